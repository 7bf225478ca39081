#!/bin/bash
# certs.sh [DIR] [NODE=ADDRESS ...]
#
# Makes the certificates a fleet cluster's event bus needs for mutual TLS: one CA (ca.crt, ca.key) and, per node,
# a key and a certificate signed by that CA, valid for the node's address (subjectAltName IP). Every node gets
# ca.crt, its own NODE.key and NODE.crt; ca.key stays where certificates are made.
# Defaults: DIR=examples/cluster/certs, nodes coordinator=127.0.0.2 worker-1=127.0.0.3 worker-2=127.0.0.4
# worker-3=127.0.0.5. Existing files are kept (delete DIR to start over); a new node only gets its own pair.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
dir=${1:-$here/certs}
[ $# -gt 0 ] && shift
nodes=("$@")
[ ${#nodes[@]} -gt 0 ] || nodes=(coordinator=127.0.0.2 worker-1=127.0.0.3 worker-2=127.0.0.4 worker-3=127.0.0.5)
command -v openssl >/dev/null || { echo "certs.sh: openssl is needed (apt-get install openssl)" >&2; exit 1; }
mkdir -p "$dir"
umask 077
if [ ! -f "$dir/ca.crt" ]; then
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/ca.key"
    openssl req -x509 -new -key "$dir/ca.key" -sha256 -days 825 -subj "/CN=fleet cluster CA" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -out "$dir/ca.crt"
fi
for spec in "${nodes[@]}"; do
    name=${spec%%=*} addr=${spec#*=}
    [ -f "$dir/$name.crt" ] && continue
    # PKCS#8 "BEGIN PRIVATE KEY": what Vert.x's PEM key options read
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$dir/$name.key"
    openssl req -new -key "$dir/$name.key" -subj "/CN=$name" -out "$dir/$name.csr"
    printf 'subjectAltName=IP:%s,DNS:%s\nextendedKeyUsage=serverAuth,clientAuth\nbasicConstraints=CA:FALSE\n' \
        "$addr" "$name" > "$dir/$name.ext"
    openssl x509 -req -in "$dir/$name.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -sha256 \
        -days 825 -extfile "$dir/$name.ext" -out "$dir/$name.crt" 2>/dev/null
    rm -f "$dir/$name.csr" "$dir/$name.ext"
    echo "certs.sh: $dir/$name.crt for $addr"
done
chmod 644 "$dir"/*.crt
