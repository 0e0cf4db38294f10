#!/usr/bin/env bash
# The browser test: the pages the emails open and the passkey page, in Debian's Chromium driven by Playwright for Python
# (tests/browser/browser_test.py), against the local service (scripts/run-local.sh: moto + Quarkus dev mode).
#
#   tools/browser-test.sh
#
# Installs chromium with apt when it is missing (as root; one apt-get update first); only where it cannot be
# installed does it skip, saying so. Playwright's own browser download is never used. Starts the service,
# runs the flows, and stops everything it started (the service's process group: maven, the JVM and moto; the
# test's: Playwright's driver and Chromium) at the end whatever happens.
# Screenshots: target/browser/. Service log: target/browser-run-local.log.
#
# Environment: BROWSER_PORT=8080 (the API), MOTO_PORT=4566; LOCAL_SERVICE_*: see tools/local-service.bash.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/local-service.bash

chromium=/usr/bin/chromium
if [[ ! -x "$chromium" ]]; then
  if [[ "$(id -u)" == 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "browser-test: installing Debian's chromium with apt-get" >&2
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; } >&2; then
      echo "browser-test: SKIPPED: apt-get could not install chromium on this machine" >&2
      exit 0
    fi
  else
    echo "browser-test: SKIPPED: $chromium is missing and cannot be installed here (needs root and apt-get)" >&2
    exit 0
  fi
fi
"$chromium" --version >&2

bash tools/venv.sh

port="${BROWSER_PORT:-8080}"
base="http://localhost:$port"
test_pgid=""
stop_all() {
  if [[ -n "$test_pgid" ]]; then
    kill -TERM -- "-$test_pgid" 2>/dev/null || true
    test_pgid=""
  fi
  local_service_stop
}

# The links in the emails must point at this service's own pages (dev mode builds them from %dev.auth.*.link-base-url),
# and passkeys must be accepted from this origin (dev mode: rp id localhost, origin http://localhost:8080). The origin
# goes in the environment: a service without passkeys ignores a variable, but refuses to start on an unknown -D key.
export AUTH_WEBAUTHN_ORIGINS="$base"
local_service_start "$port" target/browser-run-local.log -Dauth.reset.link-base-url="$base/reset-password" \
  -Dauth.verification.link-base-url="$base/verify-email" -Dauth.email-change.link-base-url="$base/confirm-email-change"
trap stop_all EXIT

rm -rf target/browser
status=0
set -m
.venv/bin/python tests/browser/browser_test.py --base "$base" --moto "http://127.0.0.1:${MOTO_PORT:-4566}" &
test_pgid=$!
set +m
wait "$test_pgid" || status=$?
test_pgid=""
exit "$status"
