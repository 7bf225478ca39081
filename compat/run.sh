#!/usr/bin/env bash
# compat/run.sh [fleet|ansible] [-i INVENTORY] [--known-hosts FILE] [PLAYBOOK...]
#
# Runs the compatibility suite (every compat/<target>/*.yml, or the playbooks named) against an existing lab,
# by default the one examples/lab/start.sh writes (/tmp/fleet-lab/inventory.ini and known_hosts), with fleet
# (default) or ansible-playbook, and prints PASS/FAIL per playbook and a count. A playbook passes when the run
# exits with its expected code (0 unless a `# compat: expect-rc=N` line says otherwise, and then the playbook
# must also have created {{ compat_dir }}/verified in its last task); `# compat: args=...`
# lines add command-line options to both tools. Each run gets its own -e compat_dir=DIR under a temp dir.
# Only the inventory's first two hosts are used, renamed host1 and host2 as the playbooks expect.
# Logs of failing runs stay in that temp dir (printed at the end). Exit code 0 only when all passed.
set -u
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(dirname "$HERE")
TOOL=fleet
INV=/tmp/fleet-lab/inventory.ini
KH=
PLAYBOOKS=()
while [ $# -gt 0 ]; do
    case "$1" in
        fleet|ansible) TOOL=$1; shift ;;
        -i) INV=$2; shift 2 ;;
        --known-hosts) KH=$2; shift 2 ;;
        -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
        *) PLAYBOOKS+=("$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"); shift ;;
    esac
done
[ -n "$KH" ] || KH=$(dirname "$INV")/known_hosts
[ -f "$INV" ] || { echo "run.sh: no inventory $INV (start a lab: sudo examples/lab/start.sh)" >&2; exit 1; }
[ -f "$KH" ] || { echo "run.sh: no known_hosts $KH (use --known-hosts)" >&2; exit 1; }
if [ ${#PLAYBOOKS[@]} = 0 ]; then
    mapfile -t PLAYBOOKS < <(cd "$HERE" && ls -1 */*.yml | sort | sed "s|^|$HERE/|")
fi
WORK=$(mktemp -d /tmp/fleet-compat-XXXXXX)
# The playbooks name their hosts host1 and host2: take the first two hosts of the lab's inventory under those names
# (examples/lab/start.sh calls them host01, host02, ...), with their connection variables.
{ echo "[lab]"; grep -E '^[^[#;[:space:]][^[:space:]]*[[:space:]]+ansible_host=' "$INV" | head -2 \
    | awk '{ $1 = "host" NR; print }'; } > "$WORK/inventory.ini"
[ "$(grep -c '^host' "$WORK/inventory.ini")" = 2 ] || { echo "run.sh: $INV does not name 2 hosts with ansible_host=" >&2; exit 1; }
INV=$WORK/inventory.ini
if [ "$TOOL" = fleet ]; then
    [ -f "$ROOT/orchestrator/target/fleet.jar" ] || "$ROOT/fleet" --version >/dev/null
else
    command -v ansible-playbook >/dev/null || { echo "run.sh: ansible-playbook not on PATH" >&2; exit 1; }
    mkdir -p "$WORK/.ansible/tmp" "$WORK/.ansible/cp"
    export ANSIBLE_LOCAL_TEMP=$WORK/.ansible/tmp ANSIBLE_REMOTE_TEMP=$WORK/.ansible/remote
    export ANSIBLE_HOST_KEY_CHECKING=True ANSIBLE_PYTHON_INTERPRETER=/usr/bin/python3
    export ANSIBLE_SSH_ARGS="-o UserKnownHostsFile=$KH -o StrictHostKeyChecking=yes -o ControlMaster=auto -o ControlPersist=30s"
    export ANSIBLE_SSH_CONTROL_PATH_DIR=$WORK/.ansible/cp ANSIBLE_PIPELINING=True ANSIBLE_NOCOLOR=1
    export ANSIBLE_RETRY_FILES_ENABLED=False ANSIBLE_DEPRECATION_WARNINGS=False ANSIBLE_GATHERING=explicit
fi
pass=0 total=0 failed=()
skipped=0
for pb in "${PLAYBOOKS[@]}"; do
    rel=${pb#$HERE/}
    if grep -qx '# compat: system' "$pb"; then
        # It installs packages, adds users or edits /etc: only on overlay hosts (CompatibilitySuiteTest), never on
        # the lab of start.sh, whose hosts share this machine's root.
        echo "SKIP $rel (changes the system: run it with mvn test -Dtest=CompatibilitySuiteTest -Dcompat.only=$rel)"
        skipped=$((skipped + 1)); continue
    fi
    name=$(echo "${rel%.yml}" | tr '/' '-')
    dir=$WORK/$name; mkdir -p "$dir"
    args=$(sed -n 's/^# compat: args=//p' "$pb" | tr '\n' ' ')
    want=$(sed -n 's/^# compat: expect-rc=//p' "$pb" | head -1); want=${want:-0}
    # shellcheck disable=SC2086
    if [ "$TOOL" = fleet ]; then
        (cd "$(dirname "$pb")" && "$ROOT/fleet" run -i "$INV" --known-hosts "$KH" --no-history --no-color \
            -e "compat_dir=$dir" $args "$pb") > "$dir.log" 2>&1
    else
        (cd "$(dirname "$pb")" && ansible-playbook -i "$INV" -e "compat_dir=$dir" $args "$pb") > "$dir.log" 2>&1
    fi
    rc=$?
    total=$((total + 1))
    if [ "$want" != 0 ] && [ "$rc" = "$want" ] && [ ! -e "$dir/verified" ]; then
        rc="$rc-unverified"  # a playbook expecting failure must reach its last task, which creates compat_dir/verified
    fi
    if [ "$rc" = "$want" ]; then pass=$((pass + 1)); echo "PASS $rel"; rm -f "$dir.log"
    else failed+=("$rel"); echo "FAIL $rel (exit $rc, expected $want; log $dir.log)"; fi
done
echo "compat: $TOOL passes $pass of $total playbooks ($skipped system playbooks skipped)"
[ ${#failed[@]} = 0 ]
