# shellcheck shell=bash disable=SC2034
# Shared helpers for the lab scripts (sourced, not executed).

LAB_DEFAULT_DIR=/tmp/fleet-lab
LAB_MAX_HOSTS=1000          # 5 blocks of 200 addresses: 127.0.0.11-210 ... 127.0.4.11-210

# lab_name I   -> host01, host02, ..., host99, host100, ...
lab_name() { printf 'host%02d' "$1"; }

# lab_ip I     -> 1..200 => 127.0.0.11..127.0.0.210, 201..400 => 127.0.1.11..210, ...
# LAB_NET=K shifts the third octet by K (tests use it so their lab never meets a demo lab on 127.0.0.x).
lab_ip() {
    local i=$(( $1 - 1 ))
    echo "127.0.$(( ${LAB_NET:-0} + i / 200 )).$(( 11 + i % 200 ))"
}

lab_die() { echo "$(basename "$0"): $*" >&2; exit 1; }

lab_require_root() {  # lab_require_root WHY ORIGINAL-ARGS...
    local why=$1; shift
    [ "$(id -u)" = 0 ] || lab_die "must be run as root ($why). Try: sudo $0${*:+ $*}"
}

lab_check_dir() {
    case "$1" in
        /*) ;;
        *) lab_die "--dir must be an absolute path (got '$1')" ;;
    esac
    case "$1" in
        *[[:space:]]*|*\'*|*\"*|*\\*) lab_die "--dir must not contain spaces or quotes (got '$1')" ;;
    esac
    case "$1" in
        /|/etc|/etc/*|/usr|/usr/*|/bin|/sbin|/lib|/lib64|/var|/root|/home|/proc|/proc/*|/sys|/sys/*|/dev|/dev/*|/run|/boot)
            lab_die "refusing to use '$1' as lab directory" ;;
    esac
}

# lab_alive PIDFILE -> 0 if the pid in PIDFILE is a running lab host init (host-init.sh)
lab_alive() {
    local pid
    [ -s "$1" ] || return 1
    pid=$(cat "$1" 2>/dev/null)
    case "$pid" in ''|*[!0-9]*) return 1 ;; esac
    [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q 'host-init\.sh'
}

# lab_ssh DIR IP CMD... : ssh into a lab host with the lab key and known_hosts
lab_ssh() {
    local dir=$1 ip=$2; shift 2
    ssh -i "$dir/id_ed25519" -o UserKnownHostsFile="$dir/known_hosts" \
        -o StrictHostKeyChecking=yes -o BatchMode=yes -o ConnectTimeout=5 \
        -o ServerAliveInterval=5 -o ServerAliveCountMax=3 -o LogLevel=ERROR \
        "root@$ip" "$@"
}
