#!/bin/bash
# serve-load.sh [-n HOSTS] [--posts N] [--clients N] [--jar FLEET_JAR] [--dir DIR] [--keep-lab]
#
# Load on `fleet serve` (issue 12), against a small scale lab (examples/bench/scale-lab.sh, needs root) on
# loopback: N concurrent POST /api/runs (default 50), N SSE clients on one run (default 200), and one client that
# connects to a run of ~15 MB of events and never reads. Prints the time for the POSTs and their answers (202/429),
# how many SSE clients got the whole stream, whether the non-reader was dropped, how long a GET took under load,
# and the server's RSS (idle, peak, after) and heap. Loopback only; every wait is bounded.
set -u
die() { echo "serve-load.sh: $*" >&2; exit 1; }

HOSTS=4 POSTS=50 CLIENTS=200 DIR=/tmp/fleet-serve-bench KEEP=0
HERE=$(cd "$(dirname "$0")" && pwd)
JAR=$HERE/../../orchestrator/target/fleet.jar
while [ $# -gt 0 ]; do
    case "$1" in
        -n) HOSTS=$2; shift 2 ;;
        --posts) POSTS=$2; shift 2 ;;
        --clients) CLIENTS=$2; shift 2 ;;
        --jar) JAR=$2; shift 2 ;;
        --dir) DIR=${2%/}; shift 2 ;;
        --keep-lab) KEEP=1; shift ;;
        -h|--help) sed -n '2,8p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1'" ;;
    esac
done
case "$DIR" in /tmp/?*) ;; *) die "--dir must be under /tmp" ;; esac
[ -r "$JAR" ] || die "no $JAR: build it first (mvn -q -B package -DskipTests)"
command -v curl >/dev/null || die "curl not found"
JAVA=java
[ -n "${JAVA_HOME:-}" ] && JAVA=$JAVA_HOME/bin/java

LAB=$DIR/lab SRV=$DIR/srv OUT=$DIR/out
mkdir -p "$SRV/playbooks" "$SRV/inventory" "$SRV/state" && rm -rf "$OUT" && mkdir -p "$OUT"
"$HERE/scale-lab.sh" start -n "$HOSTS" --dir "$LAB" >/dev/null || die "could not start the scale lab"
cp "$LAB/inventory.ini" "$SRV/inventory/lab.ini"
TOKEN=bench-token-$(date +%s%N)
cat > "$SRV/fleet.yml" <<EOF
listen: {host: 127.0.0.1, port: 0}
tokens: [$TOKEN]
playbook_dirs: [playbooks]
inventory_dirs: [inventory]
history: {db: state/history.db}
ssh: {known_hosts: $LAB/known_hosts, connect_timeout: 10s}
limits: {max_concurrent_runs: 4, max_queued_runs: 100, sse_stall_timeout: 5s}
EOF
printf -- '- hosts: all\n  gather_facts: false\n  tasks:\n    - command: sleep 1\n    - command: echo done\n' \
    > "$SRV/playbooks/load.yml"
PAD=$(head -c 4000 /dev/zero | tr '\0' x)
{ printf -- '- hosts: all\n  gather_facts: false\n  vars: {pad: "%s"}\n  tasks:\n    - command: sleep 3\n' "$PAD"
  for i in $(seq 1 20); do printf '    - debug: {msg: "{{ pad }}"}\n'; done; } > "$SRV/playbooks/events.yml"
BIG=$(head -c 30000 /dev/zero | tr '\0' y)
{ printf -- '- hosts: host01\n  gather_facts: false\n  vars: {pad: "%s"}\n  tasks:\n    - command: sleep 3\n' "$BIG"
  for i in $(seq 1 500); do printf '    - debug: {msg: "{{ pad }}"}\n'; done; } > "$SRV/playbooks/flood.yml"

(cd "$SRV" && exec "$JAVA" -Xmx512m -jar "$JAR" serve -c fleet.yml 2> "$OUT/serve.log") &
PID=$!
cleanup() {
    kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null
    exec 3>&- 2>/dev/null
    [ "$KEEP" = 1 ] || "$HERE/scale-lab.sh" stop --dir "$LAB" >/dev/null
}
trap cleanup EXIT
PORT=
for _ in $(seq 1 300); do
    PORT=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$OUT/serve.log" | tail -1)
    [ -n "$PORT" ] && break; sleep 0.1
done
[ -n "$PORT" ] || die "fleet serve did not start: $(cat "$OUT/serve.log")"
URL=http://127.0.0.1:$PORT
rss() { awk -v k="$1:" '$1 == k {print int($2 / 1024) " MiB"}' "/proc/$PID/status"; }
api() { curl -s -H "Authorization: Bearer $TOKEN" "$@"; }
post() { api -o /dev/null -w '%{http_code}\n' -H 'Content-Type: application/json' \
    -d "{\"playbook\": \"$1\", \"inventory\": \"lab.ini\"}" "$URL/api/runs"; }
id_of() { api -H 'Content-Type: application/json' -d "{\"playbook\": \"$1\", \"inventory\": \"lab.ini\"}" \
    "$URL/api/runs" | sed -n 's/.*"id":"\([^"]*\)".*/\1/p'; }
IDLE=$(rss VmRSS)

EV=$(id_of events.yml); FLOOD=$(id_of flood.yml)
[ -n "$EV" ] && [ -n "$FLOOD" ] || die "could not start the event runs"
# the client that never reads: a raw connection whose data nobody takes
exec 3<>"/dev/tcp/127.0.0.1/$PORT" || die "no connection for the non-reader"
printf 'GET /api/runs/%s/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n' "$FLOOD" "$TOKEN" >&3
for i in $(seq 1 "$CLIENTS"); do
    api -N --max-time 300 "$URL/api/runs/$EV/events" > "$OUT/sse-$i.txt" 2>/dev/null &
done

T0=$(date +%s%N)
for i in $(seq 1 "$POSTS"); do echo load.yml; done | xargs -P "$POSTS" -I{} bash -c \
    "curl -s -o /dev/null -w '%{http_code}\n' -H 'Authorization: Bearer $TOKEN' -H 'Content-Type: application/json' \
     -d '{\"playbook\": \"{}\", \"inventory\": \"lab.ini\"}' $URL/api/runs" > "$OUT/posts.txt"
T1=$(date +%s%N)
GET_MS=$(api -o /dev/null -w '%{time_total}' "$URL/api/runs?limit=5" | awk '{printf "%d", $1 * 1000}')

for _ in $(seq 1 600); do # all runs over (at most 10 minutes)
    busy=$(api "$URL/api/runs?limit=100" | grep -o '"status":"\(running\|queued\)"' | wc -l)
    [ "$busy" = 0 ] && break; sleep 1
done
for _ in $(seq 1 120); do [ -z "$(jobs -p | grep -v "^$PID$")" ] && break; sleep 1; done
DROPPED=$(grep -c "events: dropped a client of run $FLOOD" "$OUT/serve.log")
COMPLETE=$(grep -l '^event: end' "$OUT"/sse-*.txt 2>/dev/null | wc -l)
HEAP=$(command -v jcmd >/dev/null && jcmd "$PID" GC.heap_info 2>/dev/null | awk '/total/ {
    for (i = 1; i <= NF; i++) { if ($i == "committed") c = $(i + 1); if ($i == "used") u = $(i + 1) }
    printf " used %d MiB of %d MiB committed", u / 1024, c / 1024; exit }')

echo "fleet serve under load ($HOSTS lab hosts, max_concurrent_runs 4, max_queued_runs 100)"
echo "  $POSTS concurrent POST /api/runs:   $(( (T1 - T0) / 1000000 )) ms; answers: $(sort "$OUT/posts.txt" | uniq -c | awk '{printf "%s x %s  ", $1, $2}')"
echo "  GET /api/runs during the load:   $GET_MS ms"
echo "  SSE clients with the whole stream: $COMPLETE of $CLIENTS"
echo "  client that never reads dropped: $([ "$DROPPED" -ge 1 ] && echo yes || echo NO)"
echo "  RSS: idle $IDLE, peak $(rss VmHWM), after $(rss VmRSS)${HEAP:+; heap:$HEAP}"
