#!/usr/bin/env bash
# Checks template.yaml: cfn-lint, sam validate (SAM translator, then --lint), checkov, and the
# template tests (pytest tests/template). Runs every step, then exits non-zero if any failed.
# Warnings count as failures (cfn-lint exits non-zero on warnings).
#
#   VENV          venv with cfn-lint, aws-sam-cli, pytest, PyYAML, boto3   (default .venv)
#   CHECKOV_VENV  venv with checkov, which cannot share a venv with aws-sam-cli
#                 (default .venv-checkov; falls back to a checkov on VENV's bin or PATH)
#
# Works offline: sam gets a Region and dummy credentials, checkov downloads nothing.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

VENV="${VENV:-.venv}"
CHECKOV_VENV="${CHECKOV_VENV:-.venv-checkov}"

if [[ ! -x "$VENV/bin/python" ]]; then
  echo "check-template: no venv at $VENV (create it with tools/venv.sh, or set VENV)" >&2
  exit 2
fi
PATH="$(cd "$VENV/bin" && pwd):$PATH"
export PATH

if [[ -x "$CHECKOV_VENV/bin/checkov" ]]; then
  checkov="$CHECKOV_VENV/bin/checkov"
elif command -v checkov >/dev/null 2>&1; then
  checkov="$(command -v checkov)"
else
  checkov=""
fi

failed=()

step() {
  local name="$1"
  shift
  echo "==> $name" >&2
  if "$@"; then
    echo "    $name: ok" >&2
  else
    local status=$?
    echo "    $name: FAILED (exit $status)" >&2
    failed+=("$name")
  fi
}

sam_env=(env AWS_DEFAULT_REGION=us-east-1 AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing
  AWS_SECRET_ACCESS_KEY=testing AWS_SESSION_TOKEN=testing SAM_CLI_TELEMETRY=0)

step "cfn-lint" cfn-lint template.yaml
step "sam validate" "${sam_env[@]}" sam validate --template template.yaml
step "sam validate --lint" "${sam_env[@]}" sam validate --lint --template template.yaml
if [[ -n "$checkov" ]]; then
  step "checkov" "$checkov" -f template.yaml --config-file .checkov.yaml
else
  echo "==> checkov: not installed (tools/venv.sh checkov, or set CHECKOV_VENV)" >&2
  failed+=("checkov (missing)")
fi
step "pytest tests/template" python -m pytest -q -p no:cacheprovider tests/template

if ((${#failed[@]})); then
  echo "check-template: FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "check-template: all checks passed" >&2
