#!/usr/bin/env bash
# Fuzzes the locally running service against its OpenAPI contract with schemathesis: every check, a fixed seed,
# a bounded number of examples per operation. Exits non-zero on any failure.
#
#   tools/fuzz-api.sh [extra `st run` options]
#
# Starts scripts/run-local.sh in the background (a process group of its own: bash, maven, the dev-mode JVM and
# moto), waits until the API answers, runs schemathesis, and stops the whole group at the end whatever happens.
#
# Two schemathesis runs: every route but the admin ones first, then the admin routes (/admin/users...). The
# admin routes can sign out, disable or delete any account, the fuzzing account included (they list it), so
# they come last, when no other route needs its access token any more. In the local run the dev-mode stand-in
# caller (auth.admin.local-caller-arn) takes the place of API Gateway's AWS_IAM authorizer, so a request
# without credentials is rightly served there: the admin run neither leaves out the SigV4 Authorization header
# on purpose (--generation-with-security-parameters false) nor checks for the 401/403 that would answer it
# (ignored_auth, missing_required_header). The packaged function refuses an event without an IAM caller
# (tools/check-events.sh). It also skips allow_header_conformance: Quarkus REST answers OPTIONS on an admin
# path with every method of the admin resource class, where API Gateway, which answers OPTIONS itself in AWS
# (CORS), never lets one through.
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
common=(
  --url "$base"
  --seed "${FUZZ_SEED:-20261125}"
  --max-examples "${FUZZ_MAX_EXAMPLES:-50}"
  --generation-database none
  --continue-on-failure
  --workers 1
  --request-timeout 10
  --output-sanitize false
  --report junit,ndjson --report-dir "$report_dir"
  --no-color
)
spec="${FUZZ_SPEC:-src/main/openapi/openapi.yaml}"
status=0
echo "fuzz-api: every route but /admin" >&2
.venv/bin/st --config-file tools/fuzz-api.toml run "$spec" "${common[@]}" \
  --exclude-path-regex '^/admin/' \
  --header "Authorization: Bearer $access_token" \
  --checks all \
  "$@" || status=$?
echo "fuzz-api: the admin routes (/admin/users...)" >&2
.venv/bin/st --config-file tools/fuzz-api.toml run "$spec" "${common[@]}" \
  --include-path-regex '^/admin/' \
  --generation-with-security-parameters false \
  --checks all \
  --exclude-checks ignored_auth,missing_required_header,allow_header_conformance \
  "$@" || status=$?
echo "fuzz-api: schemathesis exited with $status after $((SECONDS - started))s (reports: $report_dir)" >&2
exit "$status"
