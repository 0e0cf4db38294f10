#!/usr/bin/env bash
# CI step: every file in events/ through the packaged application under the Lambda Runtime Interface
# Emulator, in ONE scripts/invoke-local.sh call: one moto (one table) for all events, one RIE per
# function (each started at its first event, then warm), each event sent to the function that owns
# its route in template.yaml, and each API Gateway v2 statusCode checked against the table below.
# The order matters: signup creates the account that login and the reset request use.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# event file | expected statusCode (in this order)
expected=(
  "events/signup.json 201"
  "events/login.json 200"
  "events/jwks.json 200"
  "events/openid-configuration.json 200"
  "events/token-refresh.json 401"            # the sample refresh token is not a live one
  "events/logout.json 204"                   # 204 whatever the token
  "events/me-sessions.json 401"              # the sample bearer token is a placeholder
  "events/me-session-delete.json 401"
  "events/me.json 401"
  "events/me-update.json 401"
  "events/me-password.json 401"
  "events/me-delete.json 401"
  "events/me-email.json 401"
  "events/email-verification-request.json 202"
  "events/email-verification-confirm.json 400"   # the sample token is not a live one
  "events/email-change-confirm.json 400"         # the sample token is not a live one
  "events/password-reset-request.json 202"
  "events/password-reset-confirm.json 400"   # the sample token is not a live one
  "events/signup-malformed.json 400"
)

files=()
codes=()
for row in "${expected[@]}"; do
  read -r file code <<<"$row"
  files+=("$file")
  codes+=("$code")
done

failed=0
for file in events/*.json; do
  if ! printf '%s\n' "${files[@]}" | grep -xF -- "$file" >/dev/null; then  # -q would close the pipe early (SIGPIPE under pipefail)
    echo "FAIL  $file has no expected status here: add it to the table"
    failed=1
  fi
done

bash tools/venv.sh
# The function that owns each event's route (routeKey) in template.yaml.
mapfile -t owners < <(.venv/bin/python - "${files[@]}" <<'PY'
import json
import sys

sys.path.insert(0, "tools")
import cfn_table

owner = cfn_table.route_owners(cfn_table.render_template("template.yaml", {"DeploymentMode": "jvm"}))
for path in sys.argv[1:]:
    route = json.load(open(path)).get("routeKey", "")
    if route not in owner:
        sys.exit(f"check-events: {path}: no function of template.yaml owns {route!r}")
    print(owner[route])
PY
)

# One call: "<Function> <event>" pairs, in order.
args=()
for i in "${!files[@]}"; do args+=("${owners[$i]}" "${files[$i]}"); done
status=0
output="$(scripts/invoke-local.sh "${args[@]}")" || status=$?

for i in "${!files[@]}"; do
  line="$(grep -F -m1 -- "${files[$i]} " <<<"$output" || true)"
  got="$(sed 's/^[^ ]* //' <<<"$line" | .venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["statusCode"])' 2>/dev/null || echo none)"
  if [[ "$got" == "${codes[$i]}" ]]; then
    echo "ok    ${owners[$i]} ${files[$i]} -> $got"
  else
    echo "FAIL  ${owners[$i]} ${files[$i]} -> $got (expected ${codes[$i]})"
    failed=1
  fi
done
[[ $status -eq 0 ]] || { echo "FAIL  scripts/invoke-local.sh exited with $status"; failed=1; }
exit "$failed"
