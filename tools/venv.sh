#!/usr/bin/env bash
# Creates or updates a project virtualenv, idempotently.
#
#   tools/venv.sh           -> .venv          from requirements.txt (moto, SAM CLI, cfn-lint, pytest,
#                                                schemathesis, playwright, tree-sitter)
#   tools/venv.sh checkov   -> .venv-checkov  from requirements-checkov.txt (its pins clash with the SAM CLI's)
#
# Creates the venv (python3 -m venv; override with PYTHON=...) when it is missing or broken,
# and runs pip install when the requirements file's SHA-256 differs from the one recorded in
# <venv>/.requirements.sha256 after the last successful install. Prints nothing when there is
# nothing to do; progress goes to stderr. Works from any directory.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

case "${1:-main}" in
  main) venv=.venv; req=requirements.txt ;;
  checkov) venv=.venv-checkov; req=requirements-checkov.txt ;;
  *) echo "usage: $0 [main|checkov]" >&2; exit 2 ;;
esac
python="${PYTHON:-python3}"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1
  else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

up_to_date() {
  [[ -x "$venv/bin/python" ]] && [[ -f "$venv/.requirements.sha256" ]] &&
    [[ "$(cat "$venv/.requirements.sha256")" == "$(sha256 "$req")" ]] &&
    "$venv/bin/python" -c '' 2>/dev/null
}

up_to_date && exit 0

# Serialise concurrent callers (a build and a local run started together) where flock exists.
if command -v flock >/dev/null 2>&1; then
  exec 9>"$venv.lock"
  flock 9
  up_to_date && exit 0
fi

if ! "$venv/bin/python" -c '' 2>/dev/null; then
  echo "venv.sh: creating $venv with $("$python" --version 2>&1)" >&2
  rm -rf "$venv"
  "$python" -m venv "$venv"
fi

echo "venv.sh: installing $req into $venv" >&2
rm -f "$venv/.requirements.sha256"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$req" >&2
sha256 "$req" > "$venv/.requirements.sha256"
echo "venv.sh: $venv ready" >&2
