#!/usr/bin/env bash
# Starts the local service with the production bcrypt cost (12), runs bench/enumeration.py against it, and
# stops everything (bash, maven, the dev-mode JVM, moto) at the end. Arguments go to enumeration.py.
#
#   bench/run-enumeration.sh [-n 200] [--accounts 60] ...
#
# BENCH_PORT (8080) picks the API port; LOCAL_SERVICE_START_TIMEOUT / LOCAL_SERVICE_PORT_WAIT: see
# tools/local-service.bash. Service log: target/bench-run-local.log.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source tools/local-service.bash

port="${BENCH_PORT:-8080}"
bash tools/venv.sh
# Hundreds of failed logins and reset requests from one address: the per-IP budgets would answer 429 after the
# first hundred and twenty, so loopback is exempt here (the budgets per address still apply).
local_service_start "$port" target/bench-run-local.log -Dauth.password.bcrypt-cost=12 \
  -Dauth.abuse.unbudgeted-source-ips=127.0.0.1,0:0:0:0:0:0:0:1
status=0
.venv/bin/python bench/enumeration.py --base-url "http://localhost:$port" "$@" || status=$?
exit "$status"
