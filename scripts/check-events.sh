#!/usr/bin/env bash
# CI step: every file in events/ through the packaged application under the Lambda Runtime Interface
# Emulator (scripts/invoke-local.sh), each sent to the function that owns its route in template.yaml,
# and its API Gateway v2 statusCode checked. One emulator session (one fresh moto) per function; the
# Login and Reset sessions first replay the signup event so the sample account exists.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

# function | event files in order | expected statusCode of each
sessions=(
  "SignupFunction|events/signup.json events/signup-malformed.json|201 400"
  "LoginFunction|events/signup.json events/login.json events/jwks.json events/openid-configuration.json|201 200 200 200"
  "ResetFunction|events/signup.json events/password-reset-request.json events/password-reset-confirm.json|201 202 400"
)

covered=()
failed=0
for session in "${sessions[@]}"; do
  IFS='|' read -r function files expected <<<"$session"
  read -r -a files <<<"$files"
  read -r -a expected <<<"$expected"
  covered+=("${files[@]}")
  output="$(scripts/invoke-local.sh "$function" "${files[@]}")"
  for i in "${!files[@]}"; do
    line="$(grep -F -m1 -- "${files[$i]} " <<<"$output" || true)"
    status="$(sed 's/^[^ ]* //' <<<"$line" | python3 -c 'import json,sys; print(json.load(sys.stdin)["statusCode"])' 2>/dev/null || echo none)"
    if [[ "$status" == "${expected[$i]}" ]]; then
      echo "ok    $function ${files[$i]} -> $status"
    else
      echo "FAIL  $function ${files[$i]} -> $status (expected ${expected[$i]})"
      failed=1
    fi
  done
done

for file in events/*.json; do
  if ! printf '%s\n' "${covered[@]}" | grep -qxF -- "$file"; then
    echo "FAIL  $file is not checked here: add it to a session"
    failed=1
  fi
done
exit "$failed"
