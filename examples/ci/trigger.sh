#!/usr/bin/env bash
# Starts a playbook run on a `fleet serve` instance, waits for it, and fails unless every host came out ok
# (or changed). For CI jobs that have no SSH access to the fleet themselves.
#
#   FLEET_URL=https://fleet.internal:8470 FLEET_TOKEN=... examples/ci/trigger.sh site.yml production.ini [LIMIT]
#
# Environment:
#   FLEET_URL         base URL of fleet serve (default http://127.0.0.1:8470)
#   FLEET_TOKEN       API bearer token (required)
#   FLEET_EXTRA_VARS  JSON object of extra vars, e.g. '{"version": "1.2.3"}' (default {})
#   FLEET_CHECK       "true" for a check-mode run (default false)
#   FLEET_TIMEOUT     seconds to wait for the run before giving up (default 3600)
#   FLEET_POLL        seconds between polls (default 5)
# Exit code: 0 ok/changed; the run's own exit code otherwise (2 failed hosts, 3 unreachable, 99 interrupted or
# cancelled); 1 for API/usage errors or a timeout. Needs curl; uses jq when installed.
set -euo pipefail

usage() { echo "usage: FLEET_TOKEN=... $0 PLAYBOOK INVENTORY [LIMIT]" >&2; exit 1; }
[ $# -ge 2 ] && [ $# -le 3 ] || usage
: "${FLEET_TOKEN:?set FLEET_TOKEN to the fleet serve API token}"
url="${FLEET_URL:-http://127.0.0.1:8470}"
url="${url%/}"
playbook=$1 inventory=$2 limit=${3:-}
extra="${FLEET_EXTRA_VARS:-{\}}"
check="${FLEET_CHECK:-false}"
timeout="${FLEET_TIMEOUT:-3600}"
poll="${FLEET_POLL:-5}"

# the token goes through a header file, never onto the command line (ps shows arguments)
hdr=$(mktemp); body=$(mktemp)
trap 'rm -f "$hdr" "$body"' EXIT
printf 'Authorization: Bearer %s\n' "$FLEET_TOKEN" > "$hdr"

# field NAME: the top-level string/number field of the JSON in $body
field() {
  if command -v jq >/dev/null 2>&1; then jq -r --arg k "$1" '.[$k] // empty' "$body"
  else grep -o "\"$1\":\\(\"[^\"]*\"\\|[0-9-]*\\|null\\)" "$body" | head -1 | sed -e 's/^[^:]*://' -e 's/"//g' -e 's/^null$//'
  fi
}

api() { # api METHOD PATH [JSON] -> HTTP status; response body in $body
  local args=(-sS -o "$body" -w '%{http_code}' -H @"$hdr" -X "$1" --max-time 60)
  [ $# -ge 3 ] && args+=(-H 'Content-Type: application/json' --data-binary "$3")
  curl "${args[@]}" "$url$2" || echo 000
}

json_string() { # a JSON string literal for $1
  if command -v jq >/dev/null 2>&1; then jq -Rn --arg s "$1" '$s'
  else case "$1" in *[\"\\]*) echo "fleet: quotes and backslashes are not supported without jq" >&2; exit 1;; esac
       printf '"%s"' "$1"; fi
}

request="{\"playbook\": $(json_string "$playbook"), \"inventory\": $(json_string "$inventory"), \"check\": $check, \"extra_vars\": $extra"
[ -n "$limit" ] && request="$request, \"limit\": $(json_string "$limit")"
request="$request}"

code=$(api POST /api/runs "$request")
if [ "$code" != 202 ]; then
  echo "fleet: run refused (HTTP $code): $(field error)" >&2
  exit 1
fi
id=$(field id)
echo "fleet: run $id started: $playbook on $inventory${limit:+ (limit $limit)}; $url/#run=$id"

deadline=$(( $(date +%s) + timeout ))
status=queued
while :; do
  code=$(api GET "/api/runs/$id")
  if [ "$code" = 200 ]; then
    status=$(field status)
    exit_code=$(field exit_code)
    [ -n "$exit_code" ] && break
  else
    echo "fleet: polling run $id: HTTP $code" >&2
  fi
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "fleet: run $id still $status after ${timeout}s; cancelling" >&2
    api DELETE "/api/runs/$id" >/dev/null
    exit 1
  fi
  sleep "$poll"
done

echo "fleet: run $id finished: $status (exit code $exit_code)"
if command -v jq >/dev/null 2>&1; then
  jq -r '.recap | to_entries[] | "  \(.key): \(.value.status)  ok=\(.value.ok) changed=\(.value.changed) failed=\(.value.failed) unreachable=\(.value.unreachable)"' "$body"
  jq -r '.symptom_groups[]? | "  \(.count) host(s) \(.status) at \(.task) (\(.source)): \(.symptom)\n    \(.hosts | join(", "))"' "$body" >&2
fi
case "$status" in
  ok|changed) exit 0 ;;
  *) [ "$exit_code" -gt 0 ] 2>/dev/null && exit "$exit_code"; exit 1 ;;
esac
