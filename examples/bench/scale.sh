#!/bin/bash
# scale.sh [-n HOSTS] [-r ROUNDS] [--playbook FILE] [--dir DIR] [--keep-lab] [--fleet-args 'ARGS']
#
# fleet at fleet scale (default 5000 hosts) on the light scale lab (scale-lab.sh): runs the playbook ROUNDS
# times and checks that every host has its result, that no run hit a resource error (threads, file
# descriptors, memory), and reports wall time, client CPU, peak RSS, and the peak number of threads and open
# file descriptors of the fleet process (sampled from /proc every 0.5 s). Only fleet: at 5000 hosts a plain
# `xargs -P 5000 ssh` baseline needs 5000 ssh processes on top of the lab's ~15000 login processes, which
# does not fit this machine's pid_max (32768); bench.sh compares tools side by side up to 1000 hosts.
set -u
SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO=$(cd "$SRC/../.." && pwd)
die() { echo "scale.sh: $*" >&2; exit 1; }
N=5000 ROUNDS=1 PB=$SRC/five.yml DIR=/tmp/fleet-scale KEEP=0 FLEET_ARGS=
while [ $# -gt 0 ]; do
    case "$1" in
        -n) [ $# -ge 2 ] || die "-n needs a value"; N=$2; shift 2 ;;
        -r) [ $# -ge 2 ] || die "-r needs a value"; ROUNDS=$2; shift 2 ;;
        --playbook) [ $# -ge 2 ] || die "--playbook needs a value"; PB=$2; shift 2 ;;
        --dir) [ $# -ge 2 ] || die "--dir needs a value"; DIR=${2%/}; shift 2 ;;
        --keep-lab) KEEP=1; shift ;;
        --fleet-args) [ $# -ge 2 ] || die "--fleet-args needs a value"; FLEET_ARGS=$2; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument '$1' (see --help)" ;;
    esac
done
case "$ROUNDS" in ''|*[!0-9]*) die "-r must be a positive integer" ;; esac
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 10 ] || die "-r must be between 1 and 10"
[ -r "$PB" ] || die "playbook $PB not found"
JAR=$REPO/orchestrator/target/fleet.jar
[ -f "$JAR" ] || die "fleet jar $JAR not found; build it first: (cd $REPO && mvn -q -B package -DskipTests)"
. "$REPO/scripts/java-env.sh"
[ -x /usr/bin/time ] || die "/usr/bin/time is needed (apt-get install time)"
read -r -a JOPTS <<< "${FLEET_JAVA_OPTS--XX:+UseSerialGC -XX:TieredStopAtLevel=1}"
read -r -a FARGS <<< "$FLEET_ARGS"

"$SRC/scale-lab.sh" start -n "$N" --dir "$DIR" || die "scale lab did not start"
cleanup() { [ "$KEEP" = 1 ] || "$SRC/scale-lab.sh" stop --dir "$DIR" >/dev/null; }
trap cleanup EXIT
trap 'echo interrupted >&2; exit 130' INT TERM

echo "Machine: $(nproc) CPUs, $(awk '/MemTotal/ { printf "%.1f GiB", $2 / 1048576 }' /proc/meminfo) RAM;" \
     "fd limit $(ulimit -n), pid_max $(cat /proc/sys/kernel/pid_max); load $(cut -d' ' -f1-3 /proc/loadavg)"
rc_all=0
for ((r = 1; r <= ROUNDS; r++)); do
    out=$DIR/round-$r.out tf=$DIR/round-$r.time peaks=$DIR/round-$r.peaks
    /usr/bin/time -f '%e %M %U %S' -o "$tf" "$JAVA_HOME/bin/java" "${JOPTS[@]}" -jar "$JAR" run -i "$DIR/inventory.ini" \
        --known-hosts "$DIR/known_hosts" -f "$N" "${FARGS[@]}" "$PB" > "$out" 2>&1 &
    tpid=$!
    # Sample the java process (the child of /usr/bin/time): threads and open fds, bounded to 30 minutes.
    : > "$peaks"
    for ((k = 0; k < 3600; k++)); do
        kill -0 "$tpid" 2>/dev/null || break
        jpid=$(pgrep -P "$tpid" java | head -n1)
        if [ -n "$jpid" ]; then
            th=$(awk '/^Threads:/ { print $2 }' "/proc/$jpid/status" 2>/dev/null)
            fds=$(ls "/proc/$jpid/fd" 2>/dev/null | wc -l)
            [ -n "$th" ] && echo "$th $fds" >> "$peaks"
        fi
        sleep 0.5
    done
    wait "$tpid"; rc=$?
    # /usr/bin/time puts "Command exited with non-zero status N" first when fleet fails: the figures are last
    read -r wall rss ucpu scpu < <(tail -n1 "$tf")
    ok=$(grep -cE '^[^ ]+ +: ok=[0-9]+ +changed=[0-9]+ +unreachable=0 +failed=0' "$out")
    errors=$(grep -ciE 'OutOfMemoryError|unable to create native thread|too many open files|resource temporarily unavailable|cannot allocate' "$out")
    pth=$(sort -n "$peaks" | tail -n1 | cut -d' ' -f1); pfd=$(sort -k2 -n "$peaks" | tail -n1 | cut -d' ' -f2)
    printf 'round %d: exit %s, %s of %s hosts ok, %s resource errors; wall %ss, client cpu %.1fs, peak rss %d MiB, peak threads %s, peak fds %s\n' \
        "$r" "$rc" "$ok" "$N" "$errors" "$wall" "$(awk -v u="$ucpu" -v s="$scpu" 'BEGIN { print u + s }')" $((rss / 1024)) "${pth:--}" "${pfd:--}"
    grep -E "^$N hosts:|hosts: .* in [0-9.]+s" "$out" | tail -n1 | sed 's/^/  fleet: /'
    if [ "$rc" != 0 ] || [ "$ok" != "$N" ] || [ "$errors" != 0 ]; then
        rc_all=1
        grep -E 'UNREACHABLE|FAILED|Exception|rror' "$out" | head -n 5 | cut -c1-300 | sed 's/^/  /'
    fi
done
exit "$rc_all"
