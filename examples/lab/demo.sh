#!/usr/bin/env bash
# One command from a fresh clone to a real run: start a local lab fleet (real sshd per host on 127.0.0.N:22),
# build fleet, and run a playbook against the lab.
#   sudo examples/lab/demo.sh [-n HOSTS] [PLAYBOOK]      (default: 5 hosts, playbooks/system-check.yml)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
hosts=5
if [ "${1:-}" = "-n" ]; then hosts="$2"; shift 2; fi
playbook="${1:-$root/playbooks/system-check.yml}"
dir="${FLEET_LAB_DIR:-/tmp/fleet-lab}"

"$here/start.sh" -n "$hosts" --dir "$dir"
echo
echo "+ ./fleet run -i $dir/inventory.ini --known-hosts $dir/known_hosts $playbook"
exec "$root/fleet" run -i "$dir/inventory.ini" --known-hosts "$dir/known_hosts" "$playbook"
