#!/bin/bash
# stop.sh [--dir DIR] [--purge]
#
# Stops every lab host started by start.sh in DIR: SIGKILL to each namespace's PID 1
# (recorded in DIR/hosts/hostNN/pid) makes the kernel kill every process in that PID
# namespace (sshd, ssh sessions, nginx, php-fpm, background curls, ...), and the
# namespace's private mounts disappear with it. Keeps DIR (keys, known_hosts, inventory,
# logs) unless --purge is given.
set -u
LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$LAB_SRC/lib/common.sh"
ORIG_ARGS=("$@")

DIR=$LAB_DEFAULT_DIR PURGE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) [ $# -ge 2 ] || lab_die "--dir needs a value"; DIR=$2; shift 2 ;;
        --dir=*) DIR=${1#--dir=}; shift ;;
        --purge) PURGE=1; shift ;;
        -h|--help) echo "usage: $0 [--dir DIR] [--purge]"; exit 0 ;;
        *) lab_die "unknown argument '$1' (usage: $0 [--dir DIR] [--purge])" ;;
    esac
done
DIR=${DIR%/}
lab_check_dir "$DIR"
lab_require_root "it kills the lab namespaces, which run as root" "${ORIG_ARGS[@]}"

if [ ! -d "$DIR/hosts" ]; then
    echo "No lab in $DIR (no $DIR/hosts)."
    if [ "$PURGE" = 1 ] && [ -e "$DIR" ]; then
        [ -e "$DIR/lab.conf" ] || [ -e "$DIR/inventory.ini" ] ||
            lab_die "$DIR does not look like a lab directory; not purging it"
        rm -rf "$DIR" && echo "Purged $DIR."
    fi
    exit 0
fi

killed=() pids=()
for pf in "$DIR"/hosts/*/pid; do
    [ -e "$pf" ] || continue
    h=$(dirname "$pf")
    if lab_alive "$pf"; then
        pid=$(cat "$pf")
        kill -KILL "$pid" 2>/dev/null && { killed+=("$(basename "$h")"); pids+=("$pid"); }
    fi
    # The unshare parent exits by itself once its child is gone; make sure.
    if [ -s "$h/unshare.pid" ]; then
        u=$(cat "$h/unshare.pid")
        if [ -r "/proc/$u/cmdline" ] && tr '\0' ' ' < "/proc/$u/cmdline" | grep -q "unshare .*host-init\.sh"; then
            pids+=("$u")
        fi
    fi
done

# Bounded wait (10 s) for every namespace init and unshare parent to be gone.
deadline=$(( $(date +%s) + 10 ))
left=("${pids[@]+"${pids[@]}"}")
while [ ${#left[@]} -gt 0 ] && [ "$(date +%s)" -le "$deadline" ]; do
    still=()
    for p in "${left[@]}"; do
        [ -d "/proc/$p" ] && ! grep -q '^State:\s*Z' "/proc/$p/status" 2>/dev/null && still+=("$p")
    done
    left=("${still[@]+"${still[@]}"}")
    [ ${#left[@]} -gt 0 ] && sleep 0.1
done
for p in "${left[@]+"${left[@]}"}"; do
    # An unshare parent that survived its namespace: kill it too (it is ours).
    kill -KILL "$p" 2>/dev/null
done

rm -f "$DIR"/hosts/*/pid "$DIR"/hosts/*/unshare.pid "$DIR"/hosts/*/sshd.pid

if [ ${#killed[@]} -eq 0 ]; then
    echo "No running lab hosts in $DIR."
else
    mapfile -t killed < <(printf '%s\n' "${killed[@]}" | sort -V)
    echo "Stopped ${#killed[@]} lab hosts in $DIR (${killed[0]}${killed[1]:+ .. ${killed[-1]}})."
fi
[ ${#left[@]} -gt 0 ] && echo "WARNING: ${#left[@]} process(es) still present after 10 s: ${left[*]}" >&2

if [ "$PURGE" = 1 ]; then
    [ -e "$DIR/lab.conf" ] || [ -e "$DIR/inventory.ini" ] ||
        lab_die "$DIR does not look like a lab directory (no lab.conf/inventory.ini); not purging it"
    rm -rf "$DIR" && echo "Purged $DIR."
fi
exit 0
