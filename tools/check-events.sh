#!/usr/bin/env bash
# CI step: every file in events/ through the packaged application under the Lambda Runtime Interface
# Emulator, in ONE scripts/invoke-local.sh call: one moto (one table) for all events, one RIE per
# function (each started at its first event, then warm), each event sent to the function that owns
# its route in template.yaml, and each API Gateway v2 statusCode checked against the table below.
# The order matters: signup creates the account that login, the reset request and the admin look-up
# by email use. The admin events carry the IAM caller API Gateway's AWS_IAM authorizer adds
# (requestContext.authorizer.iam); the one without it must be refused by the packaged function itself.
# Then the template's audit metric filters are matched against the JSON lines the functions logged.
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
  "events/me-mfa-totp.json 401"
  "events/login-mfa.json 401"                # the sample mfa token is not a live one
  "events/me-passkeys.json 401"
  "events/me-passkey-registration-options.json 401"
  "events/me-passkey-register.json 401"
  "events/me-passkey-delete.json 401"
  "events/passkeys-authentication-options.json 200"
  "events/passkeys-login.json 401"           # the sample assertion answers no live challenge
  "events/email-verification-request.json 202"
  "events/email-verification-confirm.json 400"   # the sample token is not a live one
  "events/email-change-confirm.json 400"         # the sample token is not a live one
  "events/password-reset-request.json 202"
  "events/password-reset-confirm.json 400"   # the sample token is not a live one
  "events/signup-malformed.json 400"
  "events/admin-users-find.json 200"            # the account events/signup.json created
  "events/admin-users-list.json 200"
  "events/admin-users-find-without-iam.json 403"  # no requestContext.authorizer.iam: admin-caller-required
  "events/admin-user-get.json 404"              # the sample user id is no account of this fresh table
  "events/admin-user-disable.json 404"
  "events/admin-user-enable.json 404"
  "events/admin-user-sign-out.json 404"
  "events/admin-user-unlock.json 404"
  "events/admin-user-password-reset.json 404"
  "events/admin-user-mfa-delete.json 404"
  "events/admin-user-passkey-delete.json 404"
  "events/admin-user-delete.json 404"
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

# The template's audit metric filters ({ $.mdc.authEvent = "..." }) against what the packaged functions really
# logged (JSON, as in Lambda): the admin filter must count the admin actions above, which are the IAM-signed
# events that found an account or a page; the 404s and the refused event write no audit line.
.venv/bin/python - <<'PY' || failed=1
import json
import re
import sys

sys.path.insert(0, "tools")
import cfn_table

resources = cfn_table.render_template("template.yaml", {"DeploymentMode": "jvm"})["Resources"]
group_owner = {f["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]: name for name, f in resources.items()
               if f["Type"] == "AWS::Serverless::Function" and "LoggingConfig" in f["Properties"]}
expected = {"AdminActionsMetricFilter": 2}  # find by email and list
status = 0
for name, resource in resources.items():
    if resource["Type"] != "AWS::Logs::MetricFilter":
        continue
    pattern = resource["Properties"]["FilterPattern"]
    match = re.fullmatch(r'\{ \$\.([A-Za-z.]+) = "([^"]*)" \}', pattern)
    function = group_owner[resource["Properties"]["LogGroupName"]["Ref"]]
    if not match:
        print(f"FAIL  {name}: no matcher here for the filter pattern {pattern!r}")
        status = 1
        continue
    path, value = match.group(1).split("."), match.group(2)
    count = 0
    try:
        lines = open(f"target/invoke-local/{function}.log", encoding="utf-8", errors="replace").readlines()
    except FileNotFoundError:
        lines = []
    for line in lines:
        try:
            node = json.loads(line)
        except ValueError:
            continue
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        count += node == value
    want = expected.get(name, 0)
    ok = count == want
    print(f"{'ok  ' if ok else 'FAIL'}  {name} {pattern} matches {count} line(s) of {function}'s log"
          + ("" if ok else f" (expected {want})"))
    status |= not ok
sys.exit(status)
PY
exit "$failed"
