#!/usr/bin/env bash
# demo.sh [-n HOSTS]
#
# The whole story of fleet in one command: start a small web fleet on this machine (real sshd, nginx and php-fpm
# per host, on 127.0.0.11...), break some hosts the ways the "502 Bad Gateway" runbook knows, show the 502s with
# curl, fix them with ONE fleet run of playbooks/nginx-502-recovery.yml (which also names the host that needs a
# human), show curl again, and run the playbook a second time to show that nothing is left to change.
#
# Run it as root, or as a user with sudo (the lab needs root for its namespaces; fleet itself does not).
# Default 6 hosts (at least 6). Stop the lab afterwards with examples/lab/stop.sh.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
hosts=6
if [ "${1:-}" = "-n" ]; then hosts="$2"; shift 2; fi
[ "$hosts" -ge 6 ] || { echo "demo.sh: needs at least 6 hosts (-n 6)" >&2; exit 1; }
dir="${FLEET_LAB_DIR:-/tmp/fleet-lab}"

# The lab scripts need root; fleet and curl do not. As root there is no sudo to ask (a fresh Debian has none).
as_root=()
if [ "$(id -u)" != 0 ]; then
    command -v sudo >/dev/null || { echo "demo.sh: run it as root, or install sudo" >&2; exit 1; }
    as_root=(sudo)
fi
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
status_table() {
    for i in $(seq 1 "$hosts"); do
        addr="127.0.0.$((10 + i))"
        code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://$addr/index.php" || true)
        slow=$(curl -s -o /dev/null -m 8 -w '%{http_code}' "http://$addr/slow.php?s=3" || true)
        printf '  host%02d  %-11s  index.php %s   slow.php?s=3 %s\n' "$i" "$addr" "$code" "$slow"
    done
}

say "Starting $hosts lab hosts with nginx + php-fpm (examples/lab/start.sh -n $hosts --web --restart)"
"${as_root[@]}" "$here/start.sh" -n "$hosts" --web --restart --dir "$dir"
if [ "$(id -u)" != 0 ]; then
    # The lab key and inventory belong to root; fleet runs as this user with its own copy.
    copy="$(mktemp -d /tmp/fleet-demo-XXXXXX)"
    "${as_root[@]}" cp "$dir/inventory.ini" "$dir/known_hosts" "$copy/"
    "${as_root[@]}" sh -c "cp '$dir'/id_* '$copy/' 2>/dev/null || true; chown -R $(id -u):$(id -g) '$copy'"
    sed -i "s|$dir/|$copy/|g" "$copy/inventory.ini"
    inv="$copy/inventory.ini" kh="$copy/known_hosts"
else
    inv="$dir/inventory.ini" kh="$dir/known_hosts"
fi

say "Breaking five hosts the ways the runbook covers (examples/lab/fault.sh)"
"${as_root[@]}" "$here/fault.sh" --dir "$dir" host01 php-fpm-stopped >/dev/null
echo "  host01: php-fpm stopped                 -> 502, connect() failed (2: No such file or directory)"
"${as_root[@]}" "$here/fault.sh" --dir "$dir" host02 socket-permissions >/dev/null
echo "  host02: php-fpm socket root:root 0600   -> 502, (13: Permission denied)"
"${as_root[@]}" "$here/fault.sh" --dir "$dir" host03 wrong-socket >/dev/null
echo "  host03: fastcgi_pass to a missing socket -> 502"
"${as_root[@]}" "$here/fault.sh" --dir "$dir" host04 config-broken >/dev/null
echo "  host04: syntax error in the site config -> nginx -t fails: needs a human"
"${as_root[@]}" "$here/fault.sh" --dir "$dir" host05 slow-upstream >/dev/null
echo "  host05: fastcgi_read_timeout 2s         -> slow pages time out with 504"
echo "  host06 and the rest: healthy"

say "What users see now (curl)"
status_table

run() {
    echo "+ ./fleet run -i $inv --known-hosts $kh $*"
    set +e
    "$root/fleet" run -i "$inv" --known-hosts "$kh" "$@"
    rc=$?
    set -e
    echo "(exit code $rc: 0 all fine, 2 some host still fails)"
}

say "One fleet run of the runbook over the whole fleet: diagnose, fix what can be fixed, name what cannot"
run "$root/playbooks/nginx-502-recovery.yml"

say "What users see after the run (curl)"
status_table

say "The same run again: nothing left to change (changed=0), host04 still waits for a human"
run "$root/playbooks/nginx-502-recovery.yml"

say "Done. Look around: ./fleet run -i $inv --known-hosts $kh playbooks/health-sweep.yml; stop the lab: ${as_root[*]:+${as_root[*]} }examples/lab/stop.sh"
