#!/usr/bin/env bash
# Fuzzes the locally running service against its OpenAPI contract with schemathesis: every check, a fixed seed,
# a bounded number of examples per operation. Exits non-zero on any failure.
#
#   tools/fuzz-api.sh [extra `st run` options]
#
# Starts scripts/run-local.sh in the background (a process group of its own: bash, maven, the dev-mode JVM and
# moto), waits until the API answers, runs schemathesis, and stops the whole group at the end whatever happens.
#
# Environment:
#   FUZZ_REUSE=1            use a service already answering on FUZZ_PORT instead of starting one (left running)
#   FUZZ_PORT=8080          port of the API (the Lambda mock event server)
#   FUZZ_SEED=20261125      schemathesis/hypothesis seed
#   FUZZ_MAX_EXAMPLES=50    test cases per operation and phase
#   FUZZ_SPEC=<url|file>    contract under test; default: src/main/openapi/openapi.yaml
#   LOCAL_SERVICE_START_TIMEOUT, LOCAL_SERVICE_PORT_WAIT: see tools/local-service.bash
# Check tolerances for documented behaviour: tools/fuzz-api.toml. Reports (JUnit XML, NDJSON events with every
# request and response): target/fuzz-report/. Service log: target/fuzz-run-local.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/local-service.bash

port="${FUZZ_PORT:-8080}"
base="http://localhost:$port"
report_dir=target/fuzz-report

bash tools/venv.sh

if [[ "${FUZZ_REUSE:-0}" == 1 ]] && local_service_answers "$port"; then
  echo "fuzz-api: reusing the service already answering at $base" >&2
else
  local_service_start "$port" target/fuzz-run-local.log
fi

# The signed-in routes are fuzzed with a real access token: a fresh account, logged in once. Schemathesis cannot
# end that session by chance (it would need the refresh token or the session id, which it never sees).
fuzz_email="fuzz-$(date +%s)-$$@fuzz.example.com"
fuzz_password="fuzz-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')"
curl -fsS -o /dev/null -H 'Content-Type: application/json' \
  -d "{\"email\":\"$fuzz_email\",\"password\":\"$fuzz_password\",\"name\":\"Fuzz\"}" "$base/signup"
access_token="$(curl -fsS -H 'Content-Type: application/json' \
  -d "{\"email\":\"$fuzz_email\",\"password\":\"$fuzz_password\"}" "$base/login" |
  .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["accessToken"])')"

rm -rf "$report_dir"
started=$SECONDS
status=0
.venv/bin/st --config-file tools/fuzz-api.toml run "${FUZZ_SPEC:-src/main/openapi/openapi.yaml}" \
  --url "$base" \
  --header "Authorization: Bearer $access_token" \
  --checks all \
  --seed "${FUZZ_SEED:-20261125}" \
  --max-examples "${FUZZ_MAX_EXAMPLES:-50}" \
  --generation-database none \
  --continue-on-failure \
  --workers 1 \
  --request-timeout 10 \
  --output-sanitize false \
  --report junit,ndjson --report-dir "$report_dir" \
  --no-color \
  "$@" || status=$?
echo "fuzz-api: schemathesis exited with $status after $((SECONDS - started))s (reports: $report_dir)" >&2
exit "$status"
