#!/bin/bash
# start.sh [-n N] [--web] [--dir DIR] [--restart] [--timeout SECONDS]
#
# Starts a local lab fleet of N "hosts" for fleet. Each host is its own
# mount+PID+UTS namespace (unshare -m -p -f -u --mount-proc) with a private /run,
# /var/log, /etc/hosts and a quiet /root/.bashrc, running its own sshd on 127.0.0.N:22.
# With --web every host also runs its own nginx (127.0.0.N:80) and php8.2-fpm with
# private copies of /etc/nginx, /etc/php, /var/lib/nginx and /var/www, controllable over
# ssh with `service nginx|php8.2-fpm start|stop|restart|reload|status`.
#
# Loopback only: hosts use 127.0.0.11 .. 127.0.0.210, then 127.0.1.11 .. 127.0.1.210, ...
# See README.md next to this script.
set -u
LAB_SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
. "$LAB_SRC/lib/common.sh"
ORIG_ARGS=("$@")

usage() {
    cat <<EOF
usage: $0 [-n N] [--web] [--dir DIR] [--restart] [--timeout SECONDS]
  -n N           number of hosts (default 5, max $LAB_MAX_HOSTS)
  --web          also run nginx + php8.2-fpm on every host (for the 502 runbook)
  --dir DIR      lab directory (default $LAB_DEFAULT_DIR)
  --restart      if a lab is already running in DIR, stop it and start afresh
  --timeout S    seconds to wait for all hosts to come up (default 20, 60 with --web)
EOF
}

N=5 WEB=0 DIR=$LAB_DEFAULT_DIR RESTART=0 TIMEOUT=
while [ $# -gt 0 ]; do
    case "$1" in
        -n) [ $# -ge 2 ] || lab_die "-n needs a value"; N=$2; shift 2 ;;
        -n*) N=${1#-n}; shift ;;
        --web) WEB=1; shift ;;
        --dir) [ $# -ge 2 ] || lab_die "--dir needs a value"; DIR=$2; shift 2 ;;
        --dir=*) DIR=${1#--dir=}; shift ;;
        --restart) RESTART=1; shift ;;
        --timeout) [ $# -ge 2 ] || lab_die "--timeout needs a value"; TIMEOUT=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; lab_die "unknown argument '$1'" ;;
    esac
done
case "$N" in ''|*[!0-9]*) lab_die "-n must be a positive integer (got '$N')" ;; esac
N=$((10#$N))
[ "$N" -ge 1 ] && [ "$N" -le "$LAB_MAX_HOSTS" ] || lab_die "-n must be between 1 and $LAB_MAX_HOSTS (got $N)"
[ -n "$TIMEOUT" ] || { [ "$WEB" = 1 ] && TIMEOUT=$(( 60 + N / 4 )) || TIMEOUT=$(( 20 + N / 10 )); }
case "$TIMEOUT" in ''|*[!0-9]*) lab_die "--timeout must be a positive integer" ;; esac
DIR=${DIR%/}
lab_check_dir "$DIR"
lab_require_root "it creates mount/PID namespaces with unshare, bind-mounts a private /run, /var/log, /etc/nginx ... inside them and binds port 22/80 on 127.0.0.x" "${ORIG_ARGS[@]}"

T0=$(date +%s.%N)
elapsed() { awk -v a="$T0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }

# ---------------------------------------------------------------- packages
install_missing() {
    local pkgs=()
    [ -x /usr/sbin/sshd ] || pkgs+=(openssh-server)
    command -v ssh-keygen >/dev/null || pkgs+=(openssh-client)
    command -v ssh >/dev/null || pkgs+=(openssh-client)
    command -v unshare >/dev/null || pkgs+=(util-linux)
    command -v ss >/dev/null || pkgs+=(iproute2)
    if [ "$WEB" = 1 ]; then
        [ -x /usr/sbin/nginx ] || pkgs+=(nginx)
        [ -x /usr/sbin/php-fpm8.2 ] || pkgs+=(php8.2-fpm)
        command -v curl >/dev/null || pkgs+=(curl)
    fi
    [ ${#pkgs[@]} -gt 0 ] || return 0
    command -v apt-get >/dev/null || lab_die "missing packages (${pkgs[*]}) and no apt-get to install them"
    echo "Installing missing packages: ${pkgs[*]}"
    # Keep the package scripts from starting the *system* sshd/nginx/php-fpm: they would
    # grab 0.0.0.0:22 / 0.0.0.0:80 and collide with the lab hosts. policy-rc.d is the
    # standard Debian switch for that; only add it if the machine has none.
    local policy=/usr/sbin/policy-rc.d added_policy=0
    if [ ! -e "$policy" ]; then
        printf '#!/bin/sh\n# temporary, written by fleet examples/lab/start.sh\nexit 101\n' > "$policy"
        chmod 755 "$policy"; added_policy=1
    fi
    local rc=0
    { DEBIAN_FRONTEND=noninteractive timeout 600 apt-get update -qq &&
      DEBIAN_FRONTEND=noninteractive timeout 900 apt-get install -y -qq --no-install-recommends "${pkgs[@]}"; } || rc=$?
    [ "$added_policy" = 1 ] && rm -f "$policy"
    [ "$rc" = 0 ] || lab_die "apt-get install ${pkgs[*]} failed (rc=$rc)"
}
install_missing

# ---------------------------------------------------------------- already running?
running_hosts() {
    local f c=0
    for f in "$DIR"/hosts/*/pid; do
        [ -e "$f" ] && lab_alive "$f" && c=$((c + 1))
    done
    echo "$c"
}

summary() {
    local first last
    first="$(lab_name 1) ($(lab_ip 1))"
    last="$(lab_name "$N") ($(lab_ip "$N"))"
    echo
    if [ "$N" = 1 ]; then
        echo "1 lab host up: $first${1:+ $1}"
    else
        echo "$N lab hosts up: $first .. $last${1:+ $1}"
    fi
    echo "  inventory:   $DIR/inventory.ini"
    echo "  known_hosts: $DIR/known_hosts"
    echo "  key:         $DIR/id_ed25519"
    echo "  ssh:         ssh -i $DIR/id_ed25519 -o UserKnownHostsFile=$DIR/known_hosts -o StrictHostKeyChecking=yes root@$(lab_ip 1) hostname"
    [ "$WEB" = 1 ] && echo "  web:         curl -s http://$(lab_ip 1)/index.php ; faults: $LAB_SRC/fault.sh --dir $DIR $(lab_name 1) php-fpm-stopped"
    echo "  run:         ./fleet run -i $DIR/inventory.ini --known-hosts $DIR/known_hosts playbooks/..."
    echo "  stop:        $LAB_SRC/stop.sh --dir $DIR"
}

if [ -d "$DIR/hosts" ]; then
    up=$(running_hosts)
    if [ "$up" -gt 0 ]; then
        old_n="" old_web=""
        [ -r "$DIR/lab.conf" ] && . "$DIR/lab.conf" && old_n=${LAB_N:-} old_web=${LAB_WEB:-}
        if [ "$RESTART" = 1 ]; then
            echo "Lab in $DIR is up ($up hosts): restarting it."
            "$LAB_SRC/stop.sh" --dir "$DIR" || lab_die "stop.sh failed"
        elif [ "$up" = "$N" ] && [ "$old_n" = "$N" ] && [ "$old_web" = "$WEB" ]; then
            echo "Lab in $DIR is already up ($up hosts, web=$WEB); nothing to do (use --restart for a fresh start)."
            summary "(already running)"
            exit 0
        else
            lab_die "a lab is already running in $DIR ($up hosts up, configured N=${old_n:-?} web=${old_web:-?}); run '$LAB_SRC/stop.sh --dir $DIR' first or pass --restart"
        fi
    fi
fi

# ---------------------------------------------------------------- port conflicts
LISTEN=$(ss -Hltn 2>/dev/null | awk '{print $4}')
conflict() {  # conflict IP PORT -> prints the conflicting listener, if any
    printf '%s\n' "$LISTEN" | grep -E -x -m1 -- "(${1//./\\.}|0\\.0\\.0\\.0|\\*):$2"
}
ports=(22); [ "$WEB" = 1 ] && ports+=(80)
for port in "${ports[@]}"; do
    c=$(conflict 0.0.0.0 "$port") && [ -n "$c" ] &&
        lab_die "something already listens on $c (all addresses), so the lab hosts cannot bind 127.0.0.x:$port; stop that service (e.g. 'service ssh stop' / 'service nginx stop') first"
done
bad=()
for ((i = 1; i <= N; i++)); do
    ip=$(lab_ip "$i")
    for port in "${ports[@]}"; do
        c=$(conflict "$ip" "$port") && [ -n "$c" ] && bad+=("$c")
    done
done
[ ${#bad[@]} -eq 0 ] || lab_die "address(es) already in use: ${bad[*]} (another lab in a different --dir? stop it first)"

# ---------------------------------------------------------------- files
mkdir -p "$DIR/hosts" || lab_die "cannot create $DIR"
chmod 700 "$DIR"
if [ ! -s "$DIR/id_ed25519" ] || [ ! -s "$DIR/id_ed25519.pub" ]; then
    rm -f "$DIR/id_ed25519" "$DIR/id_ed25519.pub"
    ssh-keygen -q -t ed25519 -N '' -C "fleet-lab@$(hostname)" -f "$DIR/id_ed25519" || lab_die "ssh-keygen failed"
fi
chmod 600 "$DIR/id_ed25519"
cp "$DIR/id_ed25519.pub" "$DIR/authorized_keys"
chmod 600 "$DIR/authorized_keys"
printf '# quiet ~/.bashrc for fleet lab hosts (bind-mounted over /root/.bashrc inside each host)\n' > "$DIR/bashrc"
cp "$LAB_SRC/lib/host-init.sh" "$DIR/host-init.sh" && chmod 755 "$DIR/host-init.sh"
# Stale pid files from a crashed lab.
rm -f "$DIR"/hosts/*/pid "$DIR"/hosts/*/unshare.pid

# Host keys: distinct per host, generated in parallel (kept across restarts so the
# known_hosts file stays valid).
keygen_pids=()
for ((i = 1; i <= N; i++)); do
    h=$DIR/hosts/$(lab_name "$i")
    mkdir -p "$h"
    if [ ! -s "$h/ssh_host_ed25519_key" ] || [ ! -s "$h/ssh_host_ed25519_key.pub" ]; then
        rm -f "$h/ssh_host_ed25519_key" "$h/ssh_host_ed25519_key.pub"
        ssh-keygen -q -t ed25519 -N '' -C "$(lab_name "$i")" -f "$h/ssh_host_ed25519_key" &
        keygen_pids+=($!)
        if [ ${#keygen_pids[@]} -ge 16 ]; then wait "${keygen_pids[@]}"; keygen_pids=(); fi
    fi
done
[ ${#keygen_pids[@]} -gt 0 ] && wait "${keygen_pids[@]}"

write_sshd_config() {  # DIR/hosts/NAME IP
    cat > "$1/sshd_config" <<EOF
# fleet lab host $(basename "$1") -- generated by examples/lab/start.sh
ListenAddress $2:22
HostKey $1/ssh_host_ed25519_key
PidFile $1/sshd.pid
PermitRootLogin prohibit-password
PubkeyAuthentication yes
AuthorizedKeysFile $DIR/authorized_keys
# The lab dir lives under /tmp (world-writable), which StrictModes would reject.
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
UseDNS no
PrintMotd no
PrintLastLog no
MaxStartups 100:30:200
MaxSessions 50
AcceptEnv LANG LC_*
Subsystem sftp /usr/lib/openssh/sftp-server
LogLevel INFO
EOF
}

write_web() {  # DIR/hosts/NAME NAME IP
    local h=$1 name=$2 ip=$3 f
    rm -rf "$h/etc-nginx" "$h/etc-php" "$h/var-lib-nginx" "$h/var-www"
    cp -a /etc/nginx "$h/etc-nginx" && cp -a /etc/php "$h/etc-php" && cp -a /var/lib/nginx "$h/var-lib-nginx" ||
        { echo "copying /etc/nginx, /etc/php, /var/lib/nginx for $name failed" >&2; return 1; }
    # Only our site: anything else enabled on the real machine would listen on 0.0.0.0:80.
    find "$h/etc-nginx/sites-enabled" -mindepth 1 -maxdepth 1 -exec rm -f {} +
    ln -s /etc/nginx/sites-available/default "$h/etc-nginx/sites-enabled/default"
    # One worker per host keeps a many-host web lab light.
    sed -i -E 's/^(\s*)worker_processes\s+[^;]*;/\1worker_processes 1;/' "$h/etc-nginx/nginx.conf"
    cat > "$h/etc-nginx/sites-available/default" <<EOF
# fleet lab site for $name -- generated by examples/lab/start.sh
server {
	listen $ip:80 default_server;

	root /var/www/html;
	index index.php index.html index.htm;

	server_name $name;

	location / {
		try_files \$uri \$uri/ =404;
	}

	# pass PHP scripts to FastCGI server
	location ~ \.php\$ {
		include snippets/fastcgi-php.conf;
		fastcgi_pass unix:/run/php/php8.2-fpm.sock;
	}
}
EOF
    # php-fpm: only the stock www pool, with the Debian defaults spelled out.
    for f in "$h"/etc-php/8.2/fpm/pool.d/*.conf; do
        [ "$(basename "$f")" = www.conf ] || rm -f "$f"
    done
    f=$h/etc-php/8.2/fpm/pool.d/www.conf
    sed -i -E \
        -e 's|^;?\s*listen\s*=.*|listen = /run/php/php8.2-fpm.sock|' \
        -e 's|^;?\s*listen\.owner\s*=.*|listen.owner = www-data|' \
        -e 's|^;?\s*listen\.group\s*=.*|listen.group = www-data|' \
        -e 's|^\s*listen\.mode\s*=.*|;listen.mode = 0660|' \
        -e 's|^;?\s*pm\s*=.*|pm = dynamic|' \
        -e 's|^;?\s*pm\.max_children\s*=.*|pm.max_children = 5|' \
        -e 's|^;?\s*pm\.start_servers\s*=.*|pm.start_servers = 2|' \
        -e 's|^;?\s*pm\.min_spare_servers\s*=.*|pm.min_spare_servers = 1|' \
        -e 's|^;?\s*pm\.max_spare_servers\s*=.*|pm.max_spare_servers = 3|' \
        "$f"
    mkdir -p "$h/var-www/html"
    cat > "$h/var-www/html/index.php" <<'EOF'
<?php
echo "ok from " . gethostname() . "\n";
EOF
    cat > "$h/var-www/html/slow.php" <<'EOF'
<?php
// slow.php?s=SECONDS : a deliberately slow page (default 5 s)
$s = (int)($_GET['s'] ?? 5);
sleep($s);
echo "slept {$s}s on " . gethostname() . "\n";
EOF
    echo "<html><body>fleet lab $name</body></html>" > "$h/var-www/html/index.html"
    mkdir -p "$h/var-log/nginx"
    chown root:adm "$h/var-log/nginx" 2>/dev/null
    chmod 755 "$h/var-log/nginx"
}

: > "$DIR/known_hosts.tmp"
{
    echo "# fleet lab inventory -- generated by examples/lab/start.sh ($N hosts, web=$WEB)"
    echo "[lab]"
} > "$DIR/inventory.ini.tmp"
for ((i = 1; i <= N; i++)); do
    name=$(lab_name "$i"); ip=$(lab_ip "$i"); h=$DIR/hosts/$name
    echo "$ip" > "$h/ip"
    write_sshd_config "$h" "$ip"
    printf '%s\n' "127.0.0.1 localhost" "$ip $name" > "$h/etc-hosts"
    rm -rf "$h/var-log"; mkdir -p "$h/var-log"
    if [ "$WEB" = 1 ]; then
        write_web "$h" "$name" "$ip" || lab_die "preparing web files for $name failed"
    else
        rm -rf "$h/etc-nginx" "$h/etc-php" "$h/var-lib-nginx" "$h/var-www"
    fi
    printf '%s %s\n' "$ip" "$(cut -d' ' -f1,2 "$h/ssh_host_ed25519_key.pub")" >> "$DIR/known_hosts.tmp"
    echo "$name ansible_host=$ip ansible_user=root ansible_ssh_private_key_file=$DIR/id_ed25519" >> "$DIR/inventory.ini.tmp"
done
{
    echo
    echo "[lab:vars]"
    echo "ansible_port=22"
    echo "lab_dir=$DIR"
    echo "lab_web=$([ "$WEB" = 1 ] && echo true || echo false)"
} >> "$DIR/inventory.ini.tmp"
mv "$DIR/known_hosts.tmp" "$DIR/known_hosts"
mv "$DIR/inventory.ini.tmp" "$DIR/inventory.ini"
# Drop host dirs of a previous, bigger lab so stop.sh/fault.sh only see current hosts.
for h in "$DIR"/hosts/host*; do
    [ -d "$h" ] || continue
    n=${h##*/host}; n=$((10#$n))
    [ "$n" -le "$N" ] || rm -rf "$h"
done
printf 'LAB_N=%s\nLAB_WEB=%s\nLAB_STARTED=%q\n' "$N" "$WEB" "$(date -Is)" > "$DIR/lab.conf"
echo "Prepared $N hosts in $DIR ($(elapsed)s); starting namespaces..."

# ---------------------------------------------------------------- launch
declare -A UPID
for ((i = 1; i <= N; i++)); do
    name=$(lab_name "$i"); ip=$(lab_ip "$i"); h=$DIR/hosts/$name
    # setsid+nohup: fully detached from this shell/terminal; stdin from /dev/null.
    ( cd / && exec setsid nohup unshare -m -p -f -u --mount-proc \
        "$DIR/host-init.sh" "$DIR" "$name" "$ip" "$WEB" </dev/null >"$h/console.log" 2>&1 ) &
    UPID[$i]=$!
    echo "${UPID[$i]}" > "$h/unshare.pid"
done

# Record each namespace's PID 1 (as seen from here): the child of the unshare process.
# The deadline grows with the lab: looking up 1000 children takes longer than 10 s on a small machine, and a host
# without a pid file could not be stopped by stop.sh.
deadline=$(( $(date +%s) + 10 + N / 10 ))
for ((i = 1; i <= N; i++)); do
    name=$(lab_name "$i"); h=$DIR/hosts/$name; u=${UPID[$i]}
    child=
    while [ "$(date +%s)" -le "$deadline" ]; do
        child=$(cat "/proc/$u/task/$u/children" 2>/dev/null | awk '{print $1}')
        [ -n "$child" ] || child=$(pgrep -P "$u" 2>/dev/null | head -n1)
        [ -n "$child" ] && break
        kill -0 "$u" 2>/dev/null || break
        sleep 0.05
    done
    if [ -n "$child" ]; then echo "$child" > "$h/pid"; else echo "WARNING: $name: no namespace init process found (see $h/console.log)" >&2; fi
done

# ---------------------------------------------------------------- wait until up
# Poll the listening sockets (one `ss` call per round), then confirm each SSH banner.
deadline=$(( $(date +%s) + TIMEOUT ))
pending=()
for ((i = 1; i <= N; i++)); do pending+=("$i"); done
while [ ${#pending[@]} -gt 0 ] && [ "$(date +%s)" -le "$deadline" ]; do
    LISTEN=$(ss -Hltn 2>/dev/null | awk '{print $4}')
    still=()
    for i in "${pending[@]}"; do
        ip=$(lab_ip "$i")
        ok=1
        for port in "${ports[@]}"; do
            printf '%s\n' "$LISTEN" | grep -qxF "$ip:$port" || { ok=0; break; }
        done
        if [ "$ok" = 0 ]; then
            # A host whose init died will never come up: stop waiting for it.
            if lab_alive "$DIR/hosts/$(lab_name "$i")/pid"; then
                still+=("$i")
            else
                echo "  $(lab_name "$i"): namespace exited (see $DIR/hosts/$(lab_name "$i")/console.log)" >&2
            fi
        fi
    done
    pending=("${still[@]+"${still[@]}"}")
    [ ${#pending[@]} -gt 0 ] && sleep 0.2
done

banner() {  # banner IP -> prints the SSH banner line
    timeout 5 bash -c 'exec 3<>"/dev/tcp/$1/22" && IFS= read -r -t 4 l <&3 && echo "$l"' _ "$1" 2>/dev/null | tr -d '\r'
}
RES=$(mktemp -d)
# Note: wait only for these check jobs by PID -- a bare `wait` would also wait for the
# unshare processes, which are our children too and live as long as the lab.
checks=()
for ((i = 1; i <= N; i++)); do
    (
        ip=$(lab_ip "$i"); b=$(banner "$ip")
        case "$b" in SSH-2.0-*) r="ssh ok" ;; *) r="NO SSH BANNER" ;; esac
        if [ "$WEB" = 1 ]; then
            code=$(curl -s -o /dev/null -m 5 -w '%{http_code}' "http://$ip/index.php" 2>/dev/null)
            r="$r, http $code"
        fi
        echo "$r" > "$RES/$i"
    ) &
    checks+=($!)
    # Bounded fan-out so a 1000-host lab does not fork 2000 processes at once.
    if [ ${#checks[@]} -ge 32 ]; then wait "${checks[@]}"; checks=(); fi
done
[ ${#checks[@]} -gt 0 ] && wait "${checks[@]}"
failed=()
for ((i = 1; i <= N; i++)); do
    r=$(cat "$RES/$i" 2>/dev/null)
    case "$r" in
        "ssh ok"|"ssh ok, http 200") ;;
        *) failed+=("$(lab_name "$i") ($(lab_ip "$i")): ${r:-no result}") ;;
    esac
done
rm -rf "$RES"

if [ ${#failed[@]} -gt 0 ]; then
    echo "ERROR: ${#failed[@]} of $N hosts did not come up within ${TIMEOUT}s:" >&2
    for f in "${failed[@]:0:10}"; do
        echo "  $f" >&2
        tail -n 5 "$DIR/hosts/${f%% *}/console.log" 2>/dev/null | sed 's/^/      /' >&2
    done
    [ ${#failed[@]} -gt 10 ] && echo "  ... and $(( ${#failed[@]} - 10 )) more" >&2
    echo "The other hosts are running; stop everything with: $LAB_SRC/stop.sh --dir $DIR" >&2
    exit 1
fi
summary "in $(elapsed)s$([ "$WEB" = 1 ] && echo ' (sshd + nginx + php8.2-fpm each)')"
