#!/bin/bash
# host-init.sh DIR NAME IP WEB
#
# PID 1 of one lab host. start.sh runs it as
#   unshare -m -p -f -u --mount-proc host-init.sh DIR NAME IP WEB
# so it gets its own mount, PID and UTS (hostname) namespace. It shares the network
# namespace with the real machine, which is why every listener is bound to the host's
# own loopback address (sshd on IP:22, nginx on IP:80).
#
# It sets up the host's private filesystem view, starts its services (--web) and then
# stays alive as the namespace's init: it runs sshd in the foreground and reaps
# the orphaned daemons (bash reaps any child while it sits in `wait`). When this process
# dies (stop.sh sends SIGKILL), the kernel kills everything else in the namespace.
set -u
DIR=$1 NAME=$2 IP=$3 WEB=$4
H=$DIR/hosts/$NAME

log() { echo "[$(date +%T)] $NAME: $*"; }
fail() { log "FATAL: $*"; exit 1; }

[ "$$" = 1 ] || fail "must run as PID 1 of a new PID namespace (started by start.sh)"

# start.sh's unshare already makes mounts private; be explicit so nothing we mount
# here can ever propagate back to the real machine.
mount --make-rprivate / || fail "mount --make-rprivate / failed"
hostname "$NAME" || fail "hostname failed"

# Private /run (pid files, php-fpm socket, sshd privsep dir, no /run/systemd so that
# `service` uses the SysV init scripts).
mount -t tmpfs -o mode=0755,nosuid,nodev,size=64m "lab-run-$NAME" /run || fail "tmpfs /run failed"
mkdir -p /run/sshd /run/lock || fail "mkdir /run/* failed"
chmod 0755 /run/sshd
chmod 1777 /run/lock
: > /run/utmp

# Root's real ~/.bashrc is slow (pyenv init); bash sources it for every ssh command.
if [ -e /root/.bashrc ]; then
    mount --bind "$DIR/bashrc" /root/.bashrc || fail "bind /root/.bashrc failed"
fi
mount --bind "$H/etc-hosts" /etc/hosts || fail "bind /etc/hosts failed"
mount --bind "$H/var-log" /var/log || fail "bind /var/log failed"

if [ "$WEB" = 1 ]; then
    mount --bind "$H/etc-nginx" /etc/nginx || fail "bind /etc/nginx failed"
    mount --bind "$H/etc-php" /etc/php || fail "bind /etc/php failed"
    mount --bind "$H/var-lib-nginx" /var/lib/nginx || fail "bind /var/lib/nginx failed"
    mount --bind "$H/var-www" /var/www || fail "bind /var/www failed"
    # Exactly what an admin would type on the box.
    service php8.2-fpm start || log "WARNING: service php8.2-fpm start failed"
    service nginx start || log "WARNING: service nginx start failed"
fi

log "starting sshd on $IP:22"
/usr/sbin/sshd -D -e -f "$H/sshd_config" &
SSHD=$!
trap 'kill -TERM "$SSHD" 2>/dev/null' TERM INT HUP
# `wait` returns early when a trapped signal arrives; loop (bounded by sshd's life).
while kill -0 "$SSHD" 2>/dev/null; do
    wait "$SSHD"
done
wait "$SSHD"
rc=$?
log "sshd exited (rc=$rc); host going down"
exit "$rc"
