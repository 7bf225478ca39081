#!/bin/sh
# Authorize the key given at run time, start php-fpm and nginx the Ubuntu way, keep sshd in the foreground.
set -e
mkdir -p /root/.ssh && chmod 700 /root/.ssh
if [ -n "$AUTHORIZED_KEY" ]; then printf '%s\n' "$AUTHORIZED_KEY" > /root/.ssh/authorized_keys; fi
chmod 600 /root/.ssh/authorized_keys 2>/dev/null || true
ssh-keygen -A >/dev/null
service php8.3-fpm start
service nginx start
exec /usr/sbin/sshd -D -e
