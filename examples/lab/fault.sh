#!/bin/bash
# fault.sh [--dir DIR] HOST FAULT
#
# Injects one fault into a running --web lab host, the honest way: by ssh'ing into the
# host with the lab key (as an admin or a bad deploy would) and changing its config or
# services. Prints what it did, the HTTP status before/after, and the log line to look for.
#
# HOST:  host01 | 127.0.0.11 | 1
# FAULT: php-fpm-stopped | socket-permissions | wrong-socket | config-broken |
#        slow-upstream | max-children
#
# Faults accumulate; `start.sh --restart --web ...` gives you clean hosts again.
set -u
LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$LAB_SRC/lib/common.sh"
ORIG_ARGS=("$@")

FAULTS="php-fpm-stopped socket-permissions wrong-socket config-broken slow-upstream max-children"
usage() {
    cat <<EOF
usage: $0 [--dir DIR] HOST FAULT
  HOST   host01 | 127.0.0.11 | 1
  FAULT  one of:
    php-fpm-stopped     stop php-fpm                         -> 502, "(2: No such file or directory)"
    socket-permissions  php-fpm socket root:root 0600        -> 502, "(13: Permission denied)"
    wrong-socket        fastcgi_pass -> php-missing.sock     -> 502, "(2: No such file or directory)"
    config-broken       syntax error in the site, no reload  -> still 200, but nginx -t and restart fail
    slow-upstream       fastcgi_read_timeout 2s              -> slow.php?s=5 gives 504 "upstream timed out (110"
    max-children        pm.max_children=1 + busy workers     -> 502, "(11: Resource temporarily unavailable)"
  env: LAB_BUSY_SECONDS (max-children: how long the background requests hold php-fpm, default 120)
EOF
}

DIR=$LAB_DEFAULT_DIR
args=()
while [ $# -gt 0 ]; do
    case "$1" in
        --dir) [ $# -ge 2 ] || lab_die "--dir needs a value"; DIR=$2; shift 2 ;;
        --dir=*) DIR=${1#--dir=}; shift ;;
        -h|--help) usage; exit 0 ;;
        -*) usage >&2; lab_die "unknown option '$1'" ;;
        *) args+=("$1"); shift ;;
    esac
done
[ ${#args[@]} -eq 2 ] || { usage >&2; exit 2; }
HOST=${args[0]} FAULT=${args[1]}
case " $FAULTS " in *" $FAULT "*) ;; *) usage >&2; lab_die "unknown fault '$FAULT'" ;; esac
DIR=${DIR%/}
lab_check_dir "$DIR"
lab_require_root "the lab key in DIR is readable by root only" "${ORIG_ARGS[@]}"
[ -r "$DIR/lab.conf" ] || lab_die "no lab in $DIR (start one with: $LAB_SRC/start.sh --web --dir $DIR)"
. "$DIR/lab.conf"
[ "${LAB_WEB:-0}" = 1 ] || lab_die "the lab in $DIR was started without --web; faults need nginx/php-fpm (start.sh --restart --web --dir $DIR)"
command -v curl >/dev/null || lab_die "curl is needed"

# Resolve HOST to a host dir.
case "$HOST" in
    host[0-9]*) NAME=$HOST ;;
    *[!0-9]*)   NAME=$(grep -lxF "$HOST" "$DIR"/hosts/*/ip 2>/dev/null | head -n1 | xargs -r dirname | xargs -r basename) ;;
    *)          NAME=$(lab_name "$((10#$HOST))") ;;
esac
[ -n "$NAME" ] && [ -r "$DIR/hosts/$NAME/ip" ] || lab_die "unknown lab host '$HOST' in $DIR"
IP=$(cat "$DIR/hosts/$NAME/ip")
lab_alive "$DIR/hosts/$NAME/pid" || lab_die "$NAME ($IP) is not running (start.sh --dir $DIR)"

BUSY=${LAB_BUSY_SECONDS:-120}
case "$BUSY" in ''|*[!0-9]*) lab_die "LAB_BUSY_SECONDS must be an integer" ;; esac

code() {  # code URL [MAX_SECONDS] -> HTTP status (000 = no answer within MAX_SECONDS)
    curl -s -o /dev/null -m "${2:-5}" -w '%{http_code}' "$1"
}
remote() {  # run a bash script (stdin) on the host; vars passed in the environment
    lab_ssh "$DIR" "$IP" "IP=$IP BUSY=$BUSY bash -s" 2>&1 | sed 's/^/    | /'
}
show_errlog() {  # show_errlog PATTERN
    echo "  nginx error.log:"
    lab_ssh "$DIR" "$IP" "grep -E '$1' /var/log/nginx/error.log | tail -n 1" | sed 's/^/    /'
}

URL=http://$IP/index.php
echo "== $FAULT on $NAME ($IP)"
echo "  before: GET /index.php -> $(code "$URL")"

case "$FAULT" in
php-fpm-stopped)
    remote <<'EOF'
service php8.2-fpm stop
service php8.2-fpm status
ls -l /run/php/
EOF
    echo "  did:    service php8.2-fpm stop"
    echo "  after:  GET /index.php -> $(code "$URL")   (expect 502)"
    show_errlog 'php8.2-fpm.sock failed \((2|111):'
    ;;

socket-permissions)
    remote <<'EOF'
f=/etc/php/8.2/fpm/pool.d/www.conf
sed -i -E -e 's/^;?\s*listen\.owner\s*=.*/listen.owner = root/' \
          -e 's/^;?\s*listen\.group\s*=.*/listen.group = root/' \
          -e 's/^;?\s*listen\.mode\s*=.*/listen.mode = 0600/' "$f"
grep -E '^listen' "$f"
service php8.2-fpm restart
ls -l /run/php/php8.2-fpm.sock
EOF
    echo "  did:    www.conf listen.owner/group = root, listen.mode = 0600; service php8.2-fpm restart"
    echo "  after:  GET /index.php -> $(code "$URL")   (expect 502; nginx workers run as www-data)"
    show_errlog 'failed \(13: Permission denied\)'
    ;;

wrong-socket)
    remote <<'EOF'
f=/etc/nginx/sites-available/default
sed -i -E 's#fastcgi_pass\s+unix:/run/php/php8\.2-fpm\.sock;#fastcgi_pass unix:/run/php/php-missing.sock;#' "$f"
grep -n 'fastcgi_pass' "$f"
nginx -t 2>&1
service nginx reload
EOF
    sleep 0.5
    echo "  did:    fastcgi_pass unix:/run/php/php-missing.sock in sites-available/default; service nginx reload"
    echo "  after:  GET /index.php -> $(code "$URL")   (expect 502)"
    show_errlog 'php-missing\.sock failed'
    ;;

config-broken)
    remote <<'EOF'
f=/etc/nginx/sites-available/default
# A classic typo: the semicolon after `root ...` goes missing.
sed -i -E 's#^(\s*root\s+/var/www/html);#\1#' "$f"
grep -n -A2 'root ' "$f"
echo "nginx -t:"
nginx -t 2>&1
echo "service nginx restart:"
service nginx restart; echo "(exit code $?)"
service nginx status
EOF
    echo "  did:    removed the ';' after 'root /var/www/html' in sites-available/default (no reload)"
    echo "  after:  GET /index.php -> $(code "$URL")   (still 200: the running nginx keeps the config it loaded;"
    echo "          but 'nginx -t', 'service nginx restart|reload' fail until the file is fixed -> the 'unfixable' host)"
    ;;

slow-upstream)
    remote <<'EOF'
f=/etc/nginx/sites-available/default
if grep -q 'fastcgi_read_timeout' "$f"; then
    sed -i -E 's#fastcgi_read_timeout\s+[^;]*;#fastcgi_read_timeout 2s;#' "$f"
else
    sed -i -E 's#^(\s*)(fastcgi_pass\s+[^;]*;)#\1\2\n\1fastcgi_read_timeout 2s;#' "$f"
fi
grep -n -E 'fastcgi_(pass|read_timeout)' "$f"
nginx -t 2>&1
service nginx reload
EOF
    sleep 0.5
    echo "  did:    fastcgi_read_timeout 2s in the PHP location; service nginx reload"
    echo "  after:  GET /slow.php?s=5 -> $(code "http://$IP/slow.php?s=5" 10)   (expect 504 after ~2 s)"
    echo "          GET /index.php    -> $(code "$URL")   (fast pages still 200)"
    show_errlog 'upstream timed out \(110'
    ;;

max-children)
    remote <<'EOF'
f=/etc/php/8.2/fpm/pool.d/www.conf
sed -i -E -e 's/^;?\s*pm\s*=.*/pm = dynamic/' \
          -e 's/^;?\s*pm\.max_children\s*=.*/pm.max_children = 1/' \
          -e 's/^;?\s*pm\.start_servers\s*=.*/pm.start_servers = 1/' \
          -e 's/^;?\s*pm\.min_spare_servers\s*=.*/pm.min_spare_servers = 1/' \
          -e 's/^;?\s*pm\.max_spare_servers\s*=.*/pm.max_spare_servers = 1/' \
          -e 's/^;?\s*listen\.backlog\s*=.*/listen.backlog = 1/' "$f"
grep -E '^(pm|listen\.backlog)' "$f"
service php8.2-fpm restart
sleep 0.5
# Occupy the only worker and fill the (tiny) accept queue with slow requests. They run
# inside this host's namespace, so stop.sh (or a php-fpm restart) ends them.
for k in 1 2 3; do
    nohup curl -s -o /dev/null -m $((BUSY + 10)) "http://$IP/slow.php?s=$BUSY" </dev/null >/dev/null 2>&1 &
    sleep 0.3
done
sleep 1.5
echo "php-fpm log:"
grep 'max_children' /var/log/php8.2-fpm.log | tail -n 1
EOF
    echo "  did:    pm.max_children = 1 (+ listen.backlog = 1), restart php-fpm, 3 background slow.php?s=$BUSY requests"
    echo "  after:  GET /index.php -> $(code "$URL")   (expect 502 until the 3 slow requests are served, up to ~$((3 * BUSY))s, or php-fpm is restarted)"
    show_errlog 'failed \(11: Resource temporarily unavailable\)'
    ;;
esac
echo "  see it: curl -s -o /dev/null -w '%{http_code}\\n' $URL"
echo "          ssh -i $DIR/id_ed25519 -o UserKnownHostsFile=$DIR/known_hosts root@$IP 'tail -n 5 /var/log/nginx/error.log /var/log/php8.2-fpm.log'"
