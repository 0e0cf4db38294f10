#!/usr/bin/env bash
# Invokes the packaged functions the way AWS Lambda's java21 runtime runs them, without Docker:
# the no-Docker counterpart of `sam local invoke <Function> -e <event>`.
#
#   scripts/invoke-local.sh <Function> events/<file>.json [more.json ...] [<Function> more.json ...]
#
#   <Function> is a function of template.yaml: SignupFunction, LoginFunction or ResetFunction.
#   The event files after it go to that function; another function name switches the target.
#   e.g. scripts/invoke-local.sh SignupFunction events/signup.json LoginFunction events/login.json
#
# NOT EMULATED: API GATEWAY. The RIE invokes one function with the event exactly as given; it does
# not route (which route belongs to which function), throttle, apply CORS or limit payloads. All
# three functions run the same zip, so any event "works" with any function: the name selects the
# environment from template.yaml (and the log file). A warning is printed when an event's routeKey
# is not one of the function's routes in the template. tools/check-events.sh sends each event to
# the function that owns its route. Also not emulated: SnapStart, IAM (the dummy credentials may do
# anything in moto), X-Ray, the exact JDK (the local `java` runs; Lambda's java21 is Corretto 21).
#
# What it does:
#   1. Builds the AWS Lambda Runtime Interface Emulator (RIE, the local Runtime API used by
#      `sam local` and the Lambda base images) into .tools/bin/ with `go install`, pinned to
#      RIE_VERSION (once).
#   2. Copies the AWS Lambda Runtime Interface Client (RIC: the Java side of the Runtime API, which
#      the java21 runtime runs as its bootstrap) and its dependencies into .tools/ric-<version>/lib,
#      pinned in tools/lambda-ric.sh, with Maven and a throwaway POM there (the app's pom.xml is untouched).
#   3. Builds target/function.zip (./mvnw -q package -DskipTests) when it is missing or older than
#      pom.xml or anything under src/main/, and unpacks it into target/invoke-local/task, the local
#      /var/task.
#   4. Starts moto (tools/local_aws.py --port 0: users table from template.yaml, KMS key, SES
#      sender) and, for each function named, one RIE on free 127.0.0.1 ports with the bootstrap
#        java -XX:MaxRAM=<MemorySize>m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
#             -cp <RIC jars> com.amazonaws.services.lambda.runtime.api.client.AWSLambda <Handler>
#      run in the task directory: as in Lambda, the RIC loads the function code itself from its
#      working directory and lib/*.jar (its CustomerClassLoader), not from the JVM classpath.
#      The environment is the function's Environment.Variables from template.yaml, rendered with
#      DeploymentMode=jvm and PasswordBcryptCost=10 (tools/cfn_table.py), with moto's table, KMS
#      key and sender, the moto endpoint as QUARKUS_{DYNAMODB,KMS,SES}_ENDPOINT_OVERRIDE, dummy
#      static credentials and Lambda's own variables (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME, ...).
#      Nothing else from the calling shell is passed on (env -i), as in Lambda.
#   5. POSTs each event file, in the order given, to
#      http://127.0.0.1:<port>/2015-03-31/functions/function/invocations of its function's RIE
#      (one cold start per function, then warm invocations; one table for all) and prints one line
#      per event on stdout:
#        <event file> <the function's response JSON, i.e. the API Gateway v2 response>
#      The runtime's and the function's logs go to target/invoke-local/<Function>.log.
#   6. Stops the RIEs, java and moto on exit, error or Ctrl+C.
#
# Environment knobs: JAVA (java executable, default `java` on PATH), INVOKE_LOCAL_TIMEOUT (seconds,
# default: the function's Timeout in the template), INVOKE_LOCAL_LOG_LEVEL (RIE log level, default
# info). Exit status: 0 when every event got a response from its function (whatever its
# statusCode), 1 otherwise, 2 for bad arguments. Linux only (the RIE is).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

# Pinned tool versions. The RIE has no semver tags that the Go module proxy accepts (its tags look
# like v1.22), so `go list -m -versions` lists none and the newest commit is used as a pseudo-version
# (`go list -m github.com/aws/aws-lambda-runtime-interface-emulator@latest`).
RIE_MODULE=github.com/aws/aws-lambda-runtime-interface-emulator
RIE_VERSION=v0.0.0-20261030222936-bef5c4ba774d
RIC_MAIN=com.amazonaws.services.lambda.runtime.api.client.AWSLambda

usage() {
  echo "usage: $0 <Function> events/<file>.json [more.json ...] [<Function> more.json ...]" >&2
  echo "       <Function>: a function of template.yaml (SignupFunction, LoginFunction, ResetFunction)" >&2
  exit 2
}
log() { echo "invoke-local: $*" >&2; }

# Arguments: a function name, then its event files; another function name switches the target of
# the event files after it. Every function named gets its own RIE (execution environment), started
# at its first event and kept warm until the end; all share one moto.
[[ $# -ge 2 && ! -f "$1" ]] || usage
plan_functions=()   # function of each event, in order
plan_events=()
functions=()        # distinct functions, in order of first use
current=""
for arg in "$@"; do
  if [[ -f "$arg" ]]; then
    [[ -n "$current" ]] || usage
    plan_functions+=("$current")
    plan_events+=("$arg")
  elif [[ "$arg" =~ ^[A-Za-z][A-Za-z0-9]*$ ]]; then
    current="$arg"
    [[ " ${functions[*]} " == *" $arg "* ]] || functions+=("$arg")
  else
    log "no such event file: $arg"
    exit 2
  fi
done
[[ ${#plan_events[@]} -gt 0 ]] || usage

bash tools/venv.sh
python="$root/.venv/bin/python"

# Function names first, before anything is built or started.
"$python" - "${functions[@]}" <<'PY' || exit 2
import sys

sys.path.insert(0, "tools")
import cfn_table

resources = cfn_table.load_template("template.yaml").get("Resources") or {}
known = sorted(k for k, v in resources.items() if v.get("Type") == "AWS::Serverless::Function")
unknown = [name for name in sys.argv[1:] if name not in known]
if unknown:
    sys.exit(f"invoke-local: not a function of template.yaml: {', '.join(unknown)} "
             f"(one of: {', '.join(known)})")
PY

work="$root/target/invoke-local"
mkdir -p "$work" .tools/bin

# ---- 1. Runtime Interface Emulator ---------------------------------------------------------------
rie="$root/.tools/bin/aws-lambda-rie"
if [[ ! -x "$rie" || "$(cat "$rie.version" 2>/dev/null)" != "$RIE_VERSION" ]]; then
  command -v go >/dev/null || { log "Go is needed once to build the RIE into .tools/bin"; exit 1; }
  log "building the Runtime Interface Emulator $RIE_VERSION into .tools/bin (once)"
  rm -f "$rie.version"
  GOBIN="$root/.tools/bin" GOFLAGS=-mod=mod go install "$RIE_MODULE/cmd/aws-lambda-rie@$RIE_VERSION" >&2
  echo "$RIE_VERSION" > "$rie.version"
fi

# ---- 2. Runtime Interface Client ----------------------------------------------------------------
ric_lib="$(tools/lambda-ric.sh)"
ric_classpath="$(printf '%s:' "$ric_lib"/*.jar)"
ric_classpath="${ric_classpath%:}"

# ---- 3. The package ------------------------------------------------------------------------------
zip="$root/target/function.zip"
if [[ ! -f "$zip" ]] || [[ -n "$(find pom.xml src/main -newer "$zip" -print -quit)" ]]; then
  log "building target/function.zip (./mvnw -q package -DskipTests)"
  ./mvnw -q -B -ntp package -DskipTests >&2
fi
task="$work/task"
if [[ ! -f "$task/.unpacked" || "$zip" -nt "$task/.unpacked" ]]; then
  rm -rf "$task"
  mkdir -p "$task"
  (cd "$task" && unzip -q "$zip")
  touch "$task/.unpacked"
fi

# ---- 4. moto, then one RIE per function running the java21-style bootstrap ------------------------
declare -A rie_pid=() rie_port=() fn_handler=() fn_memory=() fn_timeout=() fn_routes=()
moto_pid=""
stop_rie() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 0
  # The RIE runs in its own process group (setsid), which java is part of.
  kill -TERM -- "-$pid" 2>/dev/null || true
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL -- "-$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  local pid
  for pid in "${rie_pid[@]}"; do stop_rie "$pid"; done
  if [[ -n "$moto_pid" ]]; then
    # moto exits when its stdin closes; SIGTERM if it does not.
    if [[ -n "${MOTO[1]:-}" ]]; then exec {MOTO[1]}>&- 2>/dev/null || true; fi
    for _ in $(seq 50); do kill -0 "$moto_pid" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

coproc MOTO { exec "$python" tools/local_aws.py --port 0 2> "$work/local-aws.log"; }
moto_pid="$MOTO_PID"
if ! read -r -t 60 moto_json <&"${MOTO[0]}"; then
  log "moto did not start; see ${work#"$root/"}/local-aws.log"
  exit 1
fi

# Each function's configuration from template.yaml (Globals.Function merged with the function's
# own properties, as SAM does), with the local values: NUL-separated records
# "<Function>\tMETA_<KEY>=<value>" and "<Function>\t<VARIABLE>=<value>".
declare -A fn_env_count=()
fn_env=()
while IFS= read -r -d '' record; do
  fn="${record%%$'\t'*}"
  entry="${record#*$'\t'}"
  case "$entry" in
    META_HANDLER=*) fn_handler[$fn]="${entry#META_HANDLER=}" ;;
    META_MEMORY=*) fn_memory[$fn]="${entry#META_MEMORY=}" ;;
    META_TIMEOUT=*) fn_timeout[$fn]="${entry#META_TIMEOUT=}" ;;
    META_ROUTES=*) fn_routes[$fn]="${entry#META_ROUTES=}" ;;
    *) fn_env+=("$fn"$'\t'"$entry") ;;
  esac
done < <(
  "$python" - "$moto_json" "${functions[@]}" <<'PY'
import json
import sys

sys.path.insert(0, "tools")
import cfn_table

moto, names = json.loads(sys.argv[1]), sys.argv[2:]
rendered = cfn_table.render_template(
    "template.yaml", {"DeploymentMode": "jvm", "PasswordBcryptCost": "10"})
functions = sorted(k for k, v in rendered["Resources"].items()
                   if v.get("Type") == "AWS::Serverless::Function")
# Values that point at resources of the stack become the local ones from moto.
local = {
    "AUTH_USERS_TABLE": moto["tableName"],
    "AUTH_JWT_KMS_KEY_ID": moto["kmsKeyId"],
    "AUTH_MFA_KMS_KEY_ID": moto["totpKmsKeyId"],
    "AUTH_MAIL_SENDER": moto["mailSender"],
}
records = []
for name in names:
    if name not in functions:
        sys.exit(f"invoke-local: {name} is not a function of template.yaml (one of: {', '.join(functions)})")
    defaults = rendered["Globals"].get("Function", {})
    own = rendered["Resources"][name].get("Properties", {})
    props = {**defaults, **own}
    if props.get("Runtime") != "java21":
        sys.exit(f"invoke-local: {name} runs on {props.get('Runtime')}, not java21")
    variables = {**(defaults.get("Environment") or {}).get("Variables", {}),
                 **(own.get("Environment") or {}).get("Variables", {})}
    routes = [f"{e['Properties'].get('Method', 'ANY').upper()} {e['Properties'].get('Path', '/')}"
              for e in (own.get("Events") or {}).values() if e.get("Type") == "HttpApi"]
    records += [f"{name}\t{record}" for record in (
        f"META_HANDLER={props['Handler']}",
        f"META_MEMORY={props.get('MemorySize', 128)}",
        f"META_TIMEOUT={props.get('Timeout', 3)}",
        "META_ROUTES=" + "|".join(routes),
    )]
    for key, value in variables.items():
        if key in local:
            value = local[key]
        if isinstance(value, (dict, list)):
            sys.exit(f"invoke-local: {name}: no local value for {key} = {value!r}")
        value = str(value).lower() if isinstance(value, bool) else str(value)
        records.append(f"{name}\t{key}={value}")
sys.stdout.write("".join(r + "\0" for r in records))
PY
)
for fn in "${functions[@]}"; do
  [[ -n "${fn_handler[$fn]:-}" ]] || exit 2
done

moto_field() { "$python" -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$moto_json" "$1"; }
endpoint="$(moto_field endpoint)"
region="$(moto_field region)"

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }

java="$(command -v "${JAVA:-java}")" || { log "no java on PATH (set JAVA=...)"; exit 1; }
java_version="$("$java" -version 2>&1 | head -1)"

# Starts the RIE of function $1 (its Runtime API and invoke endpoint on free loopback ports).
start_rie() {
  local fn="$1" entry port api_port
  local memory="${fn_memory[$fn]}" handler="${fn_handler[$fn]}"
  local timeout="${INVOKE_LOCAL_TIMEOUT:-${fn_timeout[$fn]}}"
  local variables=()
  for entry in "${fn_env[@]}"; do
    [[ "${entry%%$'\t'*}" == "$fn" ]] && variables+=("${entry#*$'\t'}")
  done
  port="$(free_port)"
  api_port="$(free_port)"
  while [[ "$api_port" == "$port" ]]; do api_port="$(free_port)"; done
  local rie_log="$work/$fn.log"
  log "$fn: $java_version, $handler, ${memory} MB, timeout ${timeout}s, log ${rie_log#"$root/"}"
  # Lambda's own variables (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html)
  # that the RIE does not set itself, then the function's, then the local endpoint and credentials.
  # The RIE runs the bootstrap in its own working directory: the task directory, Lambda's /var/task.
  # `exec` keeps one PID from the subshell to the RIE, so $! is the RIE and its process group.
  (cd "$task" && exec env -i \
    PATH="/usr/local/bin:/usr/bin:/bin" \
    LANG=en_US.UTF-8 \
    TZ=:UTC \
    AWS_EXECUTION_ENV=AWS_Lambda_java21 \
    AWS_LAMBDA_INITIALIZATION_TYPE=on-demand \
    AWS_LAMBDA_FUNCTION_NAME="$fn" \
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE="$memory" \
    AWS_LAMBDA_FUNCTION_VERSION='$LATEST' \
    AWS_LAMBDA_FUNCTION_TIMEOUT="$timeout" \
    AWS_LAMBDA_LOG_GROUP_NAME="/aws/lambda/$fn" \
    AWS_LAMBDA_LOG_STREAM_NAME=local \
    LAMBDA_TASK_ROOT="$task" \
    _HANDLER="$handler" \
    "${variables[@]}" \
    QUARKUS_DYNAMODB_ENDPOINT_OVERRIDE="$endpoint" \
    QUARKUS_KMS_ENDPOINT_OVERRIDE="$endpoint" \
    QUARKUS_SES_ENDPOINT_OVERRIDE="$endpoint" \
    AWS_REGION="$region" \
    AWS_DEFAULT_REGION="$region" \
    AWS_ACCESS_KEY_ID=local \
    AWS_SECRET_ACCESS_KEY=local \
    AWS_CONFIG_FILE=/dev/null \
    AWS_SHARED_CREDENTIALS_FILE=/dev/null \
    setsid "$rie" \
      --log-level "${INVOKE_LOCAL_LOG_LEVEL:-info}" \
      --runtime-interface-emulator-address "127.0.0.1:$port" \
      --runtime-api-address "127.0.0.1:$api_port" \
      "$java" "-XX:MaxRAM=${memory}m" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
        -cp "$ric_classpath" "$RIC_MAIN" "$handler" \
    < /dev/null > "$rie_log" 2>&1) &
  rie_pid[$fn]=$!
  rie_port[$fn]="$port"
  # The RIE serves at once; the function itself starts (init) at the first invocation, as in Lambda.
  for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    kill -0 "${rie_pid[$fn]}" 2>/dev/null || break
    sleep 0.1
  done
  log "$fn: the RIE did not start; see ${rie_log#"$root/"}"
  tail -n 20 "$rie_log" >&2
  exit 1
}

# ---- 5. The events -------------------------------------------------------------------------------
failed=0
body="$work/response.json"
for i in "${!plan_events[@]}"; do
  fn="${plan_functions[$i]}"
  event="${plan_events[$i]}"
  [[ -n "${rie_pid[$fn]:-}" ]] || start_rie "$fn"
  timeout="${INVOKE_LOCAL_TIMEOUT:-${fn_timeout[$fn]}}"
  # Only a warning: the RIE does not route, it hands any event to the function.
  route="$("$python" -c 'import json,sys; print(json.load(open(sys.argv[1])).get("routeKey", ""))' "$event" 2>/dev/null || true)"
  if [[ -n "$route" && "|${fn_routes[$fn]}|" != *"|$route|"* ]]; then
    log "warning: $event ($route) is not a route of $fn in template.yaml; API Gateway would not send it there"
  fi
  # The first invocation of a function includes its cold start (init, bounded by the timeout too).
  code="$(curl -sS -o "$body" -w '%{http_code}' --max-time "$((timeout * 2 + 10))" \
    -X POST -H 'content-type: application/json' --data-binary "@$event" \
    "http://127.0.0.1:${rie_port[$fn]}/2015-03-31/functions/function/invocations")" || code="000"
  line="$("$python" -c '
import json, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
try:
    print(json.dumps(json.loads(raw), separators=(",", ":"), ensure_ascii=False))
except ValueError:
    print(json.dumps(raw))
' "$body" 2>/dev/null || echo '""')"
  rm -f "$body"
  echo "$event $line"
  if [[ "$code" != "200" ]] || ! "$python" -c '
import json, sys
r = json.loads(sys.argv[1])
sys.exit(0 if isinstance(r, dict) and "statusCode" in r else 1)' "$line"; then
    log "$event: no API Gateway response from $fn (RIE HTTP $code); see ${work#"$root/"}/$fn.log"
    failed=1
  fi
done
exit "$failed"
