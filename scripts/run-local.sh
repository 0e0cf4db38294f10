#!/usr/bin/env bash
# Runs the service locally: moto as DynamoDB/KMS/SES on 127.0.0.1:4566 (table created from template.yaml,
# signing key, verified sender), then Quarkus dev mode serving the API at http://localhost:8080 through the
# Lambda HTTP mock event server. Ctrl+C stops both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

port="${MOTO_PORT:-4566}"
bash tools/venv.sh
mkdir -p target

# moto lives as long as this script: it exits when its stdin (a pipe held open here) closes.
coproc MOTO { exec .venv/bin/python tools/local_aws.py --port "$port" 2> target/local-aws.log; }
trap 'exec {MOTO[1]}>&-; wait "$MOTO_PID" 2>/dev/null || true' EXIT
if ! read -r -t 60 ready <&"${MOTO[0]}"; then
  echo "moto did not start; see target/local-aws.log" >&2
  exit 1
fi
echo "Local AWS endpoint: $ready"

# The dev profile's endpoints name 4566; another MOTO_PORT must reach the service too.
endpoint="http://127.0.0.1:$port"
./mvnw quarkus:dev -Dquarkus.analytics.disabled=true -Dquarkus.dynamodb.endpoint-override="$endpoint" \
  -Dquarkus.kms.endpoint-override="$endpoint" -Dquarkus.ses.endpoint-override="$endpoint" "$@"
