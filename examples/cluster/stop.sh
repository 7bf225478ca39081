#!/bin/bash
# stop.sh  -- stops the local workers start.sh started (SIGTERM: each leaves the cluster and closes its hosts).
set -u
run=${FLEET_WORKERS_DIR:-/tmp/fleet-workers}
for pidfile in "$run"/worker-*.pid; do
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
        echo "stopped $(basename "$pidfile" .pid) (pid $pid)"
    fi
    rm -f "$pidfile"
done
