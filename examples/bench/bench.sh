#!/bin/bash
# bench.sh [-n HOSTS] [-r ROUNDS] [--playbook sweep|recovery|five] [--only fleet,ansible,ssh] [--dir DIR]
#
# Times fleet, ansible-playbook and plain parallel OpenSSH side by side on a local lab fleet
# (examples/lab), in one run, round after round, checks that every run really succeeded on every
# host, and prints the medians, the ratios and a Markdown table. See README.md next to this script.
set -u
BENCH_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$BENCH_SRC/../.." && pwd)
LAB_SRC=$REPO/examples/lab
export LAB_NET=${LAB_NET:-50}

usage() {
    cat <<EOF
usage: $0 [-n HOSTS] [-r ROUNDS] [--playbook sweep|recovery|five] [--only fleet,ansible,ssh] [--dir DIR]
          [--jar FLEET_JAR] [--fleet-args 'ARGS'] [--keep-lab] [--no-cds]
  -n HOSTS        lab size (default 50, max 1000)
  -r ROUNDS       rounds; every round runs each tool once (default 3)
  --playbook P    sweep    : examples/bench/sweep.yml, 8 read-only commands (default)
                  five     : examples/bench/five.yml, 5 read-only commands
                  recovery : playbooks/nginx-502-recovery.yml on a --web lab (healthy hosts)
  --only LIST     tools to run, comma-separated (default fleet,ansible,ssh); also ssh25519:
                  plain ssh with KexAlgorithms=curve25519-sha256, the key exchange fleet uses
  --dir DIR       lab + work directory (default /tmp/fleet-bench)
  --jar JAR       fleet jar (default $REPO/orchestrator/target/fleet.jar)
  --fleet-args A  extra arguments for 'fleet run' (e.g. '-T 60')
  --keep-lab      do not stop a lab this script started
  --no-cds        no untimed warm-up run creating fleet's class-data archive (as ./fleet does on first use)
Environment: LAB_NET (default 50: hosts on 127.0.50.x), JAVA_HOME (a JDK 21+; searched otherwise),
  FLEET_JAVA_OPTS (default '-XX:+UseSerialGC -XX:TieredStopAtLevel=1', as the ./fleet launcher).
EOF
}
die() { echo "bench.sh: $*" >&2; exit 1; }

N=50 ROUNDS=3 PLAYBOOK=sweep ONLY=fleet,ansible,ssh DIR=/tmp/fleet-bench JAR= FLEET_ARGS= KEEP_LAB=0 CDS=1
while [ $# -gt 0 ]; do
    case "$1" in
        -n) [ $# -ge 2 ] || die "-n needs a value"; N=$2; shift 2 ;;
        -r) [ $# -ge 2 ] || die "-r needs a value"; ROUNDS=$2; shift 2 ;;
        --playbook) [ $# -ge 2 ] || die "--playbook needs a value"; PLAYBOOK=$2; shift 2 ;;
        --playbook=*) PLAYBOOK=${1#*=}; shift ;;
        --only) [ $# -ge 2 ] || die "--only needs a value"; ONLY=$2; shift 2 ;;
        --only=*) ONLY=${1#*=}; shift ;;
        --dir) [ $# -ge 2 ] || die "--dir needs a value"; DIR=$2; shift 2 ;;
        --dir=*) DIR=${1#*=}; shift ;;
        --jar) [ $# -ge 2 ] || die "--jar needs a value"; JAR=$2; shift 2 ;;
        --fleet-args) [ $# -ge 2 ] || die "--fleet-args needs a value"; FLEET_ARGS=$2; shift 2 ;;
        --keep-lab) KEEP_LAB=1; shift ;;
        --no-cds) CDS=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown argument '$1'" ;;
    esac
done
case "$N" in ''|*[!0-9]*) die "-n must be a positive integer" ;; esac
case "$ROUNDS" in ''|*[!0-9]*) die "-r must be a positive integer" ;; esac
N=$((10#$N)); ROUNDS=$((10#$ROUNDS))
[ "$N" -ge 1 ] && [ "$N" -le 1000 ] || die "-n must be between 1 and 1000"
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 50 ] || die "-r must be between 1 and 50"
DIR=${DIR%/}
case "$DIR" in /*) ;; *) die "--dir must be an absolute path" ;; esac
[ "$(id -u)" = 0 ] || die "must run as root (the lab needs namespaces and port 22 on 127.0.x.y)"

TOOLS=()
IFS=, read -r -a want <<< "$ONLY"
for t in "${want[@]}"; do
    case "$t" in fleet|ansible|ssh|ssh25519) TOOLS+=("$t") ;; '') ;; *) die "--only: unknown tool '$t' (fleet, ansible, ssh, ssh25519)" ;; esac
done
[ ${#TOOLS[@]} -gt 0 ] || die "--only names no tool"
has_tool() { local t; for t in "${TOOLS[@]}"; do [ "$t" = "$1" ] && return 0; done; return 1; }

WEB=0
case "$PLAYBOOK" in
    sweep) PB=$BENCH_SRC/sweep.yml ;;
    five) PB=$BENCH_SRC/five.yml ;;
    recovery) PB=$REPO/playbooks/nginx-502-recovery.yml; WEB=1 ;;
    *) die "--playbook must be sweep, five or recovery (got '$PLAYBOOK')" ;;
esac
[ -r "$PB" ] || die "playbook $PB not found"

# ---------------------------------------------------------------- tools
apt_install() {
    echo "Installing $*"
    DEBIAN_FRONTEND=noninteractive timeout 900 apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >/dev/null ||
        { DEBIAN_FRONTEND=noninteractive timeout 600 apt-get -o DPkg::Lock::Timeout=300 update -qq &&
          DEBIAN_FRONTEND=noninteractive timeout 900 apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$@" >/dev/null; } ||
        die "apt-get install $* failed"
}
[ -x /usr/bin/time ] || apt_install time
if has_tool ansible && ! command -v ansible-playbook >/dev/null; then apt_install ansible-core; fi

if has_tool fleet; then
    [ -n "$JAR" ] || JAR=$REPO/orchestrator/target/fleet.jar
    [ -f "$JAR" ] || die "fleet jar $JAR not found; build it first: (cd $REPO && mvn -q -B package -DskipTests) or pass --jar"
    java_major() { "$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1; }
    JDK=
    for c in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64 /usr/lib/jvm/*; do
        [ -n "$c" ] && [ -x "$c/bin/java" ] || continue
        v=$(java_major "$c"); [ -n "$v" ] && [ "$v" -ge 21 ] && { JDK=$c; break; }
    done
    [ -n "$JDK" ] || die "no JDK 21+ found (set JAVA_HOME)"
    JAVA=$JDK/bin/java
    read -r -a JOPTS <<< "${FLEET_JAVA_OPTS--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
    read -r -a FARGS <<< "$FLEET_ARGS"
fi

# ---------------------------------------------------------------- lab
LAB_STARTED_HERE=0
lab_up_count() {
    local f c=0 pid
    for f in "$DIR"/hosts/*/pid; do
        [ -s "$f" ] || continue
        pid=$(cat "$f"); [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q host-init && c=$((c + 1))
    done
    echo "$c"
}
stop_lab() {
    "$LAB_SRC/stop.sh" --dir "$DIR" >/dev/null 2>&1 || echo "WARNING: stop.sh --dir $DIR failed" >&2
    # start.sh records each host's namespace PID 1 within a 10 s deadline; on big labs (1000 hosts) the
    # late hosts get no pid file, and stop.sh cannot see them. Kill those host inits of THIS lab by pid.
    local p left=()
    for p in $(pgrep -f "^/bin/bash $DIR/host-init.sh $DIR " 2>/dev/null); do left+=("$p"); done
    if [ ${#left[@]} -gt 0 ]; then
        echo "  ${#left[@]} lab host processes had no pid file (start.sh's 10 s pid-recording deadline); killing them by pid"
        for p in "${left[@]}"; do kill -9 "$p" 2>/dev/null; done
    fi
}
cleanup() {
    if [ "$LAB_STARTED_HERE" = 1 ] && [ "$KEEP_LAB" = 0 ]; then
        echo "Stopping the lab this script started ($DIR)"
        stop_lab
    fi
}
trap cleanup EXIT
trap 'echo "interrupted" >&2; exit 130' INT TERM

up=$(lab_up_count)
LAB_N= LAB_WEB=
[ -r "$DIR/lab.conf" ] && . "$DIR/lab.conf"
if [ "$up" -gt 0 ] && [ "$up" = "$N" ] && [ "${LAB_N:-}" = "$N" ] && [ "${LAB_WEB:-}" = "$WEB" ]; then
    echo "Reusing the lab in $DIR ($N hosts, web=$WEB, LAB_NET=$LAB_NET)"
else
    if [ "$up" -gt 0 ]; then
        echo "Lab in $DIR has $up hosts up (N=${LAB_N:-?} web=${LAB_WEB:-?}); restarting it with $N hosts, web=$WEB"
        stop_lab
    fi
    webarg=(); [ "$WEB" = 1 ] && webarg=(--web)
    echo "Starting a $N-host lab in $DIR (LAB_NET=$LAB_NET${webarg:+, --web})..."
    LAB_STARTED_HERE=1
    "$LAB_SRC/start.sh" -n "$N" "${webarg[@]}" --dir "$DIR" > "$DIR.start.log" 2>&1 ||
        { tail -n 20 "$DIR.start.log" >&2; die "lab start failed (log: $DIR.start.log)"; }
    grep -E 'lab hosts? up' "$DIR.start.log"
fi
INV=$DIR/inventory.ini KH=$DIR/known_hosts KEY=$DIR/id_ed25519
W=$DIR/bench; mkdir -p "$W"
mapfile -t IPS < <(sed -n 's/^host[0-9]* ansible_host=\([0-9.]*\) .*/\1/p' "$INV")
[ ${#IPS[@]} = "$N" ] || die "inventory $INV lists ${#IPS[@]} hosts, expected $N"

# ---------------------------------------------------------------- workloads
# The plain-ssh command: the playbook's command/shell lines joined with ';' in one session,
# `set -e` first so that any failing command fails the host, and an end marker that is checked.
if [ "$PLAYBOOK" = recovery ]; then
    mapfile -t CMDS < <(grep -v '^\s*#' "$BENCH_SRC/recovery-ssh.txt" | grep -v '^\s*$')
else
    mapfile -t CMDS < <(sed -n -E 's/^\s+(ansible\.builtin\.)?(command|shell):\s+(.*)$/\3/p' "$PB")
fi
NTASKS=${#CMDS[@]}
SSH_CMD="set -e"
for c in "${CMDS[@]}"; do SSH_CMD+="; $c"; done
SSH_CMD+="; echo __bench_ok__"

# ansible.cfg written here; ControlPersist masters get a fresh control_path_dir per round and are
# closed after the round, so every round (and every tool) starts from cold connections.
cat > "$W/ansible.cfg" <<EOF
# written by examples/bench/bench.sh
[defaults]
inventory = $INV
forks = $N
host_key_checking = True
gathering = explicit
interpreter_python = /usr/bin/python3
stdout_callback = default
display_ok_hosts = False
display_skipped_hosts = False
retry_files_enabled = False
deprecation_warnings = False
timeout = 30

[ssh_connection]
pipelining = True
ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=$KH -o StrictHostKeyChecking=yes -o BatchMode=yes
EOF

# recovery: can ansible-playbook run the playbook unchanged? Probe one host first.
if [ "$PLAYBOOK" = recovery ] && has_tool ansible; then
    echo "Probing: can ansible-playbook run $(basename "$PB") unchanged? (one host)"
    ANSIBLE_CONFIG=$W/ansible.cfg ANSIBLE_SSH_CONTROL_PATH_DIR=$W/cp-probe \
        timeout 300 ansible-playbook --limit host01 "$PB" > "$W/ansible-probe.log" 2>&1
    prc=$?
    for s in "$W"/cp-probe/*; do [ -S "$s" ] && ssh -F /dev/null -o ControlPath="$s" -O exit x >/dev/null 2>&1; done
    if [ "$prc" != 0 ]; then
        echo "  NO (exit $prc); skipping ansible for this playbook. ansible-playbook said:"
        grep -E 'fatal:|ERROR|error' "$W/ansible-probe.log" | head -n 5 | cut -c1-400 | sed 's/^/    /'
        ANSIBLE_SKIPPED="exit $prc on host01: $(grep -m1 -oE '"msg": "[^"]{0,200}' "$W/ansible-probe.log" | sed -e 's/^"msg": "//' -e 's/\\n.*//')"
        t2=(); for t in "${TOOLS[@]}"; do [ "$t" = ansible ] || t2+=("$t"); done; TOOLS=("${t2[@]}")
        [ ${#TOOLS[@]} -gt 0 ] || die "nothing left to run"
    else
        echo "  yes"
    fi
fi

# ---------------------------------------------------------------- runners
# Each runner: run the tool under /usr/bin/time (wall, peak RSS, CPU of the process tree),
# verify, and print "WALL RSS_KB CPU_S" or fail the round loudly.
timed() {  # timed OUTFILE TIMEFILE CMD...
    local out=$1 tf=$2; shift 2
    /usr/bin/time -f '%e %M %U %S' -o "$tf" "$@" > "$out" 2>&1
}
recap_ok_hosts() {  # count PLAY RECAP lines with unreachable=0 failed=0 (same format in fleet and ansible)
    grep -cE '^[^ ]+ +: ok=[0-9]+ +changed=[0-9]+ +unreachable=0 +failed=0' "$1"
}
result_line() { awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$1"; }
fail_round() { echo; echo "ROUND FAILED: $*" >&2; exit 2; }

run_fleet() {  # run_fleet ROUND
    local o=$W/fleet-$1.out tf=$W/fleet-$1.time rc ok
    timed "$o" "$tf" "$JAVA" "${JOPTS[@]}" -jar "$JAR" run -i "$INV" --known-hosts "$KH" -f "$N" "${FARGS[@]}" "$PB"
    rc=$?
    ok=$(recap_ok_hosts "$o")
    if [ "$rc" != 0 ] || [ "$ok" != "$N" ]; then
        grep -E 'FAILED|UNREACHABLE|ERROR|Exception|hosts:.*failed' "$o" | head -n 8 | cut -c1-400 >&2
        fail_round "fleet exit $rc, $ok of $N hosts ok (output: $o)"
    fi
    # fleet's own run time (verdict line "... in 4.4s"): the part after JVM start and parsing.
    grep -oE 'unreachable in [0-9.]+s' "$o" | tail -n1 | grep -oE '[0-9.]+' > "$W/fleet-$1.engine"
    # per-task count lines ("  50 hosts: ok=.. (1.81s)", printed above 20 hosts): first task includes connecting
    grep -E '^  [0-9]+ hosts: ok=' "$o" | sed -E 's/.*\(([0-9.]+)s\)$/\1/' |
        awk 'NR == 1 { f = $1 } NR > 1 { s += $1 } END { if (NR) printf "%s %.2f %d\n", f, s, NR - 1 }' > "$W/fleet-$1.tasks"
    result_line "$tf"
}
run_ansible() {
    local o=$W/ansible-$1.out tf=$W/ansible-$1.time rc ok cp=$W/cp-$1 s
    rm -rf "$cp"; mkdir -p "$cp"
    ANSIBLE_CONFIG=$W/ansible.cfg ANSIBLE_SSH_CONTROL_PATH_DIR=$cp timed "$o" "$tf" ansible-playbook "$PB"
    rc=$?
    # close this round's ControlPersist masters (not part of the timing)
    for s in "$cp"/*; do [ -S "$s" ] && echo "$s"; done |
        xargs -r -P 64 -I{} ssh -F /dev/null -o ControlPath={} -O exit x >/dev/null 2>&1
    ok=$(recap_ok_hosts "$o")
    if [ "$rc" != 0 ] || [ "$ok" != "$N" ]; then
        grep -E 'fatal|UNREACHABLE|ERROR' "$o" | head -n 8 | cut -c1-400 >&2
        fail_round "ansible-playbook exit $rc, $ok of $N hosts ok (output: $o)"
    fi
    result_line "$tf"
}
run_ssh() { ssh_tool ssh "$1"; }
# ssh25519: the same, but with the key exchange fleet's SSH library (sshj) negotiates, curve25519-sha256,
# instead of OpenSSH 9's default sntrup761x25519-sha512 (post-quantum hybrid, much more CPU per handshake).
run_ssh25519() { ssh_tool ssh25519 "$1" -o KexAlgorithms=curve25519-sha256; }
ssh_tool() {  # ssh_tool NAME ROUND [EXTRA SSH OPTIONS...]
    local name=$1; shift
    local o=$W/$name-$1 tf=$W/$name-$1.time rc bad f; shift
    local extra="$*"
    rm -rf "$o"; mkdir -p "$o"
    printf '%s\n' "${IPS[@]}" > "$W/ips"
    # one ssh per host, all hosts at once; each host's output in its own file
    timed "$o.log" "$tf" xargs -a "$W/ips" -P "$N" -I{} sh -c 'exec ssh -F /dev/null -i "$1" -o UserKnownHostsFile="$2" \
        -o StrictHostKeyChecking=yes -o BatchMode=yes -o ControlMaster=no -o ControlPath=none \
        -o ConnectTimeout=60 -o LogLevel=ERROR $6 root@"$3" "$4" > "$5/$3.out" 2>&1' _ \
        "$KEY" "$KH" {} "$SSH_CMD" "$o" "$extra"
    rc=$?
    bad=0
    for f in "${IPS[@]}"; do
        [ "$(tail -n1 "$o/$f.out" 2>/dev/null)" = __bench_ok__ ] || { bad=$((bad + 1)); [ $bad -le 3 ] && { echo "  $f:"; tail -n 3 "$o/$f.out" 2>/dev/null; } >&2; }
    done
    [ "$rc" = 0 ] && [ "$bad" = 0 ] || fail_round "plain $name: xargs exit $rc, $bad of $N hosts without the end marker (outputs: $o/)"
    result_line "$tf"
}
fleet_startup() {  # JVM start + --version; JVM start + parse inventory and playbook (--list-hosts): no ssh
    local tf=$W/fleet-version-$1.time tl=$W/fleet-listhosts-$1.time
    /usr/bin/time -f '%e' -o "$tf" "$JAVA" "${JOPTS[@]}" -jar "$JAR" --version >/dev/null 2>&1
    /usr/bin/time -f '%e' -o "$tl" "$JAVA" "${JOPTS[@]}" -jar "$JAR" run -i "$INV" --list-hosts "$PB" >/dev/null 2>&1
    echo "$(cat "$tf") $(cat "$tl")"
}

# ---------------------------------------------------------------- fleet warm-up (not timed)
# As the ./fleet launcher does on a user's first run: one run dumps the classes it loaded into a class-data
# archive that later starts map instead of loading ~5000 classes from the jar (about 0.7 s less per run on this
# 2-core machine). The warm-up run is checked like the timed ones but not timed. --no-cds skips it.
if has_tool fleet && [ "$CDS" = 1 ]; then
    JSA=$W/fleet.jsa
    rm -f "$JSA"
    echo "Warm-up fleet run (creates its class-data archive $JSA; not timed)"
    "$JAVA" "${JOPTS[@]}" -XX:ArchiveClassesAtExit="$JSA" -Xlog:cds*=off -jar "$JAR" run -i "$INV" --known-hosts "$KH" \
        -f "$N" "${FARGS[@]}" "$PB" > "$W/fleet-warmup.out" 2>&1 || die "fleet warm-up run failed (output: $W/fleet-warmup.out)"
    [ -s "$JSA" ] && JOPTS+=(-XX:SharedArchiveFile="$JSA" -Xlog:cds*=off) || echo "  (no archive was written; timing without it)"
fi

# ---------------------------------------------------------------- rounds
median() { sort -g | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else printf "%.2f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
minmax() { sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%s-%s", lo, hi }'; }

MACHINE="$(nproc) CPUs ($(sed -n 's/^model name\s*:\s*//p' /proc/cpuinfo | head -n1)), $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM, Linux $(uname -r), $(. /etc/os-release; echo "$PRETTY_NAME")"
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
DATE=$(date -u '+%Y-%m-%d %H:%M UTC')
echo
echo "Benchmark: $PLAYBOOK ($(basename "$PB"), $NTASKS commands$([ "$PLAYBOOK" = recovery ] && echo ' in the ssh baseline')), $N hosts, $ROUNDS rounds, tools: ${TOOLS[*]}"
echo "Machine:   $MACHINE; load average $LOAD0"
declare -A RES
for ((r = 1; r <= ROUNDS; r++)); do
    # rotate the order every round so no tool always runs right after another one
    order=()
    for ((k = 0; k < ${#TOOLS[@]}; k++)); do order+=("${TOOLS[$(( (k + r - 1) % ${#TOOLS[@]} ))]}"); done
    line="round $r:"
    for t in "${order[@]}"; do
        sleep 1
        res=$("run_$t" "$r") || exit 2
        RES[$t,$r]=$res
        read -r wall rss cpu <<< "$res"
        line+=$(printf '  %s %ss (cpu %ss, rss %d MiB)' "$t" "$wall" "$cpu" $((rss / 1024)))
    done
    has_tool fleet && STARTUP[$r]=$(fleet_startup "$r")
    echo "$line"
done

col() {  # col TOOL FIELD(1 wall, 2 rss, 3 cpu) -> one value per round
    local r; for ((r = 1; r <= ROUNDS; r++)); do [ -n "${RES[$1,$r]:-}" ] && echo "${RES[$1,$r]}" | awk -v f="$2" '{ print $f }'; done
}
declare -A MED
for t in "${TOOLS[@]}"; do MED[$t]=$(col "$t" 1 | median); done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }

VERS="OpenSSH $(ssh -V 2>&1 | sed -E 's/^OpenSSH_([^ ,]*).*/\1/')"
has_tool ansible && VERS="ansible-core $(ansible-playbook --version 2>/dev/null | sed -n 's/.*\[core \([^]]*\)\].*/\1/p' | head -n1), $VERS"
has_tool fleet && VERS="$("$JAVA" -jar "$JAR" --version 2>/dev/null | head -n1), $VERS"

echo
echo "Medians over $ROUNDS rounds (wall seconds):"
for t in "${TOOLS[@]}"; do printf '  %-8s %6s s   (min-max %s, client cpu %s s, peak rss %s MiB)\n' "$t" "${MED[$t]}" "$(col "$t" 1 | minmax)" "$(col "$t" 3 | median)" "$(( $(col "$t" 2 | sort -g | tail -n1) / 1024 ))"; done
if has_tool fleet; then
    echo "  fleet breakdown (medians): JVM start + --version $(printf '%s\n' "${STARTUP[@]}" | awk '{print $1}' | median) s;" \
         "start + parse (--list-hosts) $(printf '%s\n' "${STARTUP[@]}" | awk '{print $2}' | median) s;" \
         "fleet's own 'in X s' $(for ((r = 1; r <= ROUNDS; r++)); do cat "$W/fleet-$r.engine" 2>/dev/null; done | median) s" \
         "= first task incl. connect $(for ((r = 1; r <= ROUNDS; r++)); do awk '{print $1}' "$W/fleet-$r.tasks" 2>/dev/null; done | median) s" \
         "+ other $(awk '{print $3}' "$W/fleet-1.tasks" 2>/dev/null) tasks $(for ((r = 1; r <= ROUNDS; r++)); do awk '{print $2}' "$W/fleet-$r.tasks" 2>/dev/null; done | median) s"
fi
has_tool ansible && has_tool fleet && echo "  ansible/fleet = $(ratio "${MED[ansible]}" "${MED[fleet]}")"
has_tool fleet && has_tool ssh && echo "  fleet/ssh     = $(ratio "${MED[fleet]}" "${MED[ssh]}")"
has_tool fleet && has_tool ssh25519 && echo "  fleet/ssh25519 = $(ratio "${MED[fleet]}" "${MED[ssh25519]}")"
has_tool fleet && echo "  fleet peak RSS = $(( $(col fleet 2 | sort -g | tail -n1) / 1024 )) MiB"
[ -n "${ANSIBLE_SKIPPED:-}" ] && echo "  ansible skipped: cannot run $(basename "$PB") unchanged ($ANSIBLE_SKIPPED)"

LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
echo "  load average: $LOAD0 at start, $LOAD1 at the end"
MD=$W/result-$PLAYBOOK-$N.md
{
    echo "**$PLAYBOOK** ($NTASKS commands per host$([ "$PLAYBOOK" = recovery ] && echo ' in the ssh baseline; the playbook has more tasks')), **$N hosts**, $ROUNDS rounds, $DATE"
    echo "Machine: $MACHINE; load average $LOAD0 at start, $LOAD1 at the end. $VERS."
    echo
    echo "| tool | median wall (s) | min-max (s) | client CPU (s) | peak RSS (MiB) | time vs fleet |"
    echo "|---|---:|---:|---:|---:|---:|"
    for t in "${TOOLS[@]}"; do
        case "$t" in
            fleet) name="fleet (\`java -jar fleet.jar run -f $N${FLEET_ARGS:+ $FLEET_ARGS}\`)" ;;
            ansible) name="ansible-playbook (pipelining, ControlPersist, forks=$N)" ;;
            ssh) name="plain OpenSSH (1 \`ssh\` per host, all in parallel)" ;;
            ssh25519) name="plain OpenSSH, \`-o KexAlgorithms=curve25519-sha256\` (fleet's KEX)" ;;
        esac
        rss=$(( $(col "$t" 2 | sort -g | tail -n1) / 1024 ))
        case "$t" in ssh*) rss="$rss per ssh (~$(( rss * N )) for $N)" ;; esac
        [ "$t" = ansible ] && rss="$rss (largest process)"
        vs="-"; has_tool fleet && vs="$(ratio "${MED[$t]}" "${MED[fleet]}")x"
        echo "| $name | ${MED[$t]} | $(col "$t" 1 | minmax) | $(col "$t" 3 | median) | $rss | $vs |"
    done
    [ -n "${ANSIBLE_SKIPPED:-}" ] && echo "| ansible-playbook | skipped: cannot run the playbook unchanged | | | | |"
    echo
    r1=; has_tool ansible && has_tool fleet && r1="ansible/fleet = $(ratio "${MED[ansible]}" "${MED[fleet]}")"
    r2=; has_tool fleet && has_tool ssh && r2="fleet/ssh = $(ratio "${MED[fleet]}" "${MED[ssh]}")"
    r3=; has_tool fleet && has_tool ssh25519 && r3="fleet/ssh25519 = $(ratio "${MED[fleet]}" "${MED[ssh25519]}")"
    rs=$(printf '%s\n' "$r1" "$r2" "$r3" | grep . | paste -sd';' | sed 's/;/; /g')
    [ -n "$rs" ] && echo "$rs."
} > "$MD"
echo
echo "Markdown ($MD):"
echo
cat "$MD"
