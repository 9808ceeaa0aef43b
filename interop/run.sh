#!/usr/bin/env bash
# make interop: the real clients against `authcontract serve`.
#
#  1. The real Azure JS client (@azure/arm-appcontainers, stock pipeline)
#     gets a token from serve over https and sees ARM's errors as RestErrors
#     (interop/azure-client.mjs).
#  2. Prism's validating proxy stands in front of serve with each OpenAPI
#     document while verify runs through it; Prism must find fault with no
#     response of the reference (interop/prismcheck).
#
# Needs node >= 20 and npm; the packages come pinned from
# interop/package-lock.json through npm ci. Everything started here is
# stopped on exit, every port is one the kernel picked, and every step that
# waits has a timeout. Set INTEROP_SEED to replay verify's cases.
set -euo pipefail
cd "$(dirname "$0")/.."

# The Azure client is used with the api-version it sends by default.
readonly azure_client_api_version=2025-07-01
readonly container_app=/subscriptions/651f8027-33e8-4ec4-97b4-f6e9f3dc8744/resourceGroups/rg/providers/Microsoft.App/containerApps/testcontainerapp0
# Bounds, in seconds, on each step that waits for something.
readonly npm_timeout=600 start_timeout=60 client_timeout=120 verify_timeout=300

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "interop: $tool is not installed; make interop needs node >= 20 and npm" >&2; exit 1; }
done
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 20 ? 0 : 1)' ||
  { echo "interop: node $(node --version) is too old: @azure/arm-appcontainers 3.0.0 needs node >= 20" >&2; exit 1; }

work=$(mktemp -d "${TMPDIR:-/tmp}/authcontract-interop.XXXXXX")
# servers are the background processes that run until the end; step is the
# bounded step running now, if any. Both are stopped on exit.
servers=()
step=
cleanup() {
  local status=$?
  for pid in "${servers[@]}" $step; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${servers[@]}" $step; do
    wait "$pid" 2>/dev/null || true
  done
  if [[ $status -eq 0 ]]; then
    rm -rf "$work"
  elif [[ $status -gt 128 ]]; then
    echo "interop: interrupted; logs so far are kept in $work" >&2
  else
    echo "interop: FAILED; logs and reports are kept in $work" >&2
  fi
}
trap cleanup EXIT
# A signal ends the script through the EXIT trap, so the servers stop too.
trap 'exit 130' INT
trap 'exit 143' TERM

# bounded SECONDS COMMAND...: run COMMAND, killed after SECONDS. It runs in
# the background and is waited for, since bash runs the traps above only
# between commands: a signal then stops the script at once, not when a
# foreground step ends.
bounded() {
  local seconds=$1
  shift
  timeout "$seconds" "$@" &
  step=$!
  local status=0
  wait "$step" || status=$?
  step=
  return "$status"
}

# wait_for_line FILE PATTERN PID WHAT: wait until FILE has a line matching
# PATTERN (an extended regex) and set $found to the match; fail when PID
# exits first or start_timeout passes. It sets a variable rather than print,
# because $(…) would run it in a subshell, which signals do not interrupt.
found=
wait_for_line() {
  local file=$1 pattern=$2 pid=$3 what=$4 deadline=$((SECONDS + start_timeout))
  while ((SECONDS < deadline)); do
    found=$(grep -oE "$pattern" "$file" 2>/dev/null | head -n 1 || true)
    if [[ -n $found ]]; then
      return 0
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "interop: $what exited before it was ready:" >&2
      tail -n 20 "$file" >&2
      return 1
    fi
    sleep 0.2
  done
  echo "interop: $what was not ready within ${start_timeout}s:" >&2
  tail -n 20 "$file" >&2
  return 1
}

# npm ci reinstalls from scratch every time, which costs 15 to 25 seconds;
# a copy of the lock file it installed from, kept in node_modules, lets a
# second run skip it until the lock file changes (or node_modules goes).
installed_lock=interop/node_modules/.installed-package-lock.json
if cmp -s interop/package-lock.json "$installed_lock"; then
  echo "== interop: node_modules is current with interop/package-lock.json"
else
  echo "== interop: npm ci (pinned @azure/arm-appcontainers, @azure/core-auth, @stoplight/prism-cli)"
  bounded "$npm_timeout" npm ci --prefix interop --no-audit --no-fund --loglevel=error
  cp interop/package-lock.json "$installed_lock"
fi

echo "== interop: build authcontract and a private CA for 127.0.0.1"
# Built once rather than `go run` each time: a signal to `go run` does not
# reach the server it started, which would outlive this script.
go build -o "$work/" ./cmd/authcontract ./interop/localca ./interop/prismcheck
"$work/localca" "$work"
token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')

# Node trusts the private CA through NODE_EXTRA_CA_CERTS; NO_PROXY keeps a
# proxy set in the environment from carrying loopback traffic away.
export NODE_EXTRA_CA_CERTS="$work/ca.pem" NO_PROXY="127.0.0.1,localhost${NO_PROXY:+,$NO_PROXY}"

"$work/authcontract" serve --addr 127.0.0.1:0 --token "$token" --api-version "$azure_client_api_version" \
  --tls-cert "$work/server.pem" --tls-key "$work/server-key.pem" >"$work/serve.log" 2>&1 &
servers+=($!)
serve_pid=$!
wait_for_line "$work/serve.log" 'https://127\.0\.0\.1:[0-9]+' "$serve_pid" "authcontract serve"
serve_url=$found
echo "serve: $serve_url (api-versions $(sed -n 's/^api-version: //p' "$work/serve.log" | paste -sd, -))"

echo "== interop: the Azure JS client against serve"
AUTHCONTRACT_TARGET="$serve_url" AUTHCONTRACT_TOKEN="$token" AUTHCONTRACT_CONTAINERAPP="$container_app" \
  bounded "$client_timeout" node interop/azure-client.mjs

echo "== interop: verify through Prism's validating proxy"
# One Prism per document, both started before either is waited for, since
# each takes a few seconds to start.
declare -A prism_pid
for api in containerapps acs-m2m; do
  interop/node_modules/.bin/prism proxy "openapi/$api.yaml" "$serve_url" --errors --host 127.0.0.1 --port 0 \
    >"$work/prism-$api.log" 2>&1 &
  servers+=($!)
  prism_pid[$api]=$!
done
reports=()
for api in containerapps acs-m2m; do
  wait_for_line "$work/prism-$api.log" 'http://127\.0\.0\.1:[0-9]+' "${prism_pid[$api]}" "Prism ($api)"
  prism_url=$found
  report="$work/verify-$api.json"
  status=0
  bounded "$verify_timeout" "$work/authcontract" verify --api "$api" --target "$prism_url" --token "$token" \
    --containerapp "$container_app" --report-json "$report" ${INTEROP_SEED:+--seed "$INTEROP_SEED"} \
    >"$work/verify-$api.txt" 2>&1 || status=$?
  # Through Prism, verify fails the cases Prism answers itself (exit 1);
  # that is expected and judged by prismcheck below. Anything else is not.
  if [[ $status -eq 124 ]]; then
    echo "interop: verify --api $api through Prism did not finish within ${verify_timeout}s" >&2
    exit 1
  elif [[ $status -ne 0 && $status -ne 1 ]]; then
    echo "interop: verify --api $api through Prism exited $status:" >&2
    tail -n 20 "$work/verify-$api.txt" >&2
    exit 1
  fi
  echo "$api through Prism at $prism_url: $(grep -m1 -oE 'seed [0-9-]+' "$work/verify-$api.txt" || echo 'seed unknown')"
  reports+=("$report")
done
# Prism answers for an upstream that went away itself, which could pass for
# Prism refusing requests; a serve that died is a failure of its own.
if ! kill -0 "$serve_pid" 2>/dev/null; then
  echo "interop: authcontract serve exited during the run:" >&2
  tail -n 20 "$work/serve.log" >&2
  exit 1
fi
"$work/prismcheck" "${reports[@]}"

echo "== interop: passed: the Azure client works against serve, and Prism flagged no response of it"
