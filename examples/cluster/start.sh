#!/bin/bash
# start.sh [N]  -- starts N (1-3, default 3) local fleet workers, each its own JVM on its own address
# 127.0.0.(2+i), using examples/cluster/worker-i.yml (the lab's key and known_hosts: start the lab first with
# examples/lab/start.sh). Makes the certificates on first use (certs.sh). Logs and pids in /tmp/fleet-workers.
# Then: ./fleet run --cluster examples/cluster/coordinator.yml -i /tmp/fleet-lab/inventory.ini PLAYBOOK
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-3}
case "$n" in 1|2|3) ;; *) echo "start.sh: N must be 1, 2 or 3 (one config per worker: worker-N.yml)" >&2; exit 2 ;; esac
run=${FLEET_WORKERS_DIR:-/tmp/fleet-workers}
mkdir -p "$run"
[ -f "$here/certs/ca.crt" ] || "$here/certs.sh" >/dev/null
# builds fleet.jar here, once, if it is missing or stale (not in each worker at the same time)
"$root/fleet" --version >/dev/null
for i in $(seq 1 "$n"); do
    if [ -f "$run/worker-$i.pid" ] && kill -0 "$(cat "$run/worker-$i.pid")" 2>/dev/null; then
        echo "worker-$i already running (pid $(cat "$run/worker-$i.pid"))"
        continue
    fi
    nohup "$root/fleet" worker --config "$here/worker-$i.yml" \
        >"$run/worker-$i.log" 2>&1 &
    echo $! > "$run/worker-$i.pid"
done
for i in $(seq 1 "$n"); do
    for _ in $(seq 1 60); do
        grep -q ": ready" "$run/worker-$i.log" 2>/dev/null && break
        kill -0 "$(cat "$run/worker-$i.pid")" 2>/dev/null || { echo "worker-$i failed:"; cat "$run/worker-$i.log"; exit 1; }
        sleep 0.5
    done
    grep ": ready" "$run/worker-$i.log" || { echo "worker-$i not ready after 30 s; see $run/worker-$i.log"; exit 1; }
done
