#!/usr/bin/env bash
# Invokes the packaged functions the way AWS Lambda's java21 runtime runs them, without Docker:
# the no-Docker counterpart of `sam local invoke <Function> -e <event>`.
#
#   scripts/invoke-local.sh <SignupFunction|LoginFunction|ResetFunction> events/<file>.json [more.json ...]
#
# What it does:
#   1. Builds the AWS Lambda Runtime Interface Emulator (RIE, the Runtime API that `sam local` and
#      the Lambda base images use) into .tools/bin/ with `go install`, pinned to RIE_VERSION.
#   2. Copies the AWS Lambda Runtime Interface Client (RIC, the Java side of the Runtime API that
#      the java21 runtime runs as its bootstrap) and its dependencies into .tools/, pinned to
#      RIC_VERSION, with Maven (a throwaway POM under .tools/; the app's pom.xml is not touched).
#   3. Builds target/function.zip (./mvnw -q package -DskipTests) when it is missing or older than
#      pom.xml or anything under src/main/, and unpacks it into target/invoke-local/task, the local
#      /var/task.
#   4. Starts moto (scripts/local_aws.py --port 0: users table from template.yaml, KMS key, SES
#      sender), then the RIE on a free 127.0.0.1 port with the bootstrap command
#        java -XX:MaxRAM=<MemorySize>m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
#             -cp <RIC jars> com.amazonaws.services.lambda.runtime.api.client.AWSLambda <Handler>
#      run in the task directory: like Lambda, the RIC loads the function code itself from its
#      working directory and lib/*.jar (CustomerClassLoader), not from the JVM classpath.
#      The environment is the function's Environment.Variables from template.yaml, rendered with
#      DeploymentMode=jvm and PasswordBcryptCost=10 (scripts/cfn_table.py), with the table, KMS key
#      and sender of moto, the moto endpoint as QUARKUS_{DYNAMODB,KMS,SES}_ENDPOINT_OVERRIDE, dummy
#      static credentials and Lambda's own variables (AWS_REGION, AWS_LAMBDA_FUNCTION_NAME, ...).
#      Nothing else from the calling shell is passed on (env -i), as in Lambda.
#   5. POSTs each event file to http://127.0.0.1:<port>/2015-03-31/functions/function/invocations,
#      in the order given, all to the same execution environment (one cold start, then warm
#      invocations on the same table), and prints one line per event on stdout:
#        <event file> <the function's response JSON, i.e. the API Gateway v2 response>
#      The runtime's and the function's logs go to target/invoke-local/<Function>.log.
#   6. Stops the RIE, java and moto on exit, error or Ctrl+C.
#
# Not emulated: API Gateway. The RIE invokes exactly one function with the event as given; it does
# not route (which route belongs to which function, throttling, CORS, payload limits). All three
# functions run the same zip, so any event "works" with any function name: the name only selects
# the environment (and the log name). scripts/check-events.sh sends each event to the function
# that owns its route in template.yaml. Also not emulated: SnapStart, IAM (the dummy credentials
# may do anything in moto), X-Ray, the exact JDK (the local `java` is used; Lambda's java21 is
# Amazon Corretto 21).
#
# Environment knobs: JAVA (java executable, default `java` on PATH), INVOKE_LOCAL_TIMEOUT (seconds,
# default: the function's Timeout from the template), INVOKE_LOCAL_LOG_LEVEL (RIE log level, default
# info). Exit status: 0 when every event got a response from the function (whatever its
# statusCode), 1 otherwise.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

# Pinned tool versions. The RIE has no semver tags that the Go module proxy accepts (its tags look
# like v1.22), so `go list -m -versions` lists none and the newest commit is used as a pseudo-version
# (`go list -m github.com/aws/aws-lambda-runtime-interface-emulator@latest`).
RIE_MODULE=github.com/aws/aws-lambda-runtime-interface-emulator
RIE_VERSION=v0.0.0-20261030222936-bef5c4ba774d
RIC_VERSION=2.10.1
RIC_MAIN=com.amazonaws.services.lambda.runtime.api.client.AWSLambda
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.7.0

usage() {
  echo "usage: $0 <SignupFunction|LoginFunction|ResetFunction> events/<file>.json [more.json ...]" >&2
  exit 2
}
log() { echo "invoke-local: $*" >&2; }

[[ $# -ge 2 ]] || usage
function_name="$1"
shift
events=("$@")
for event in "${events[@]}"; do
  [[ -f "$event" ]] || { log "no such event file: $event"; exit 2; }
done

bash scripts/venv.sh
python="$root/.venv/bin/python"

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
ric_dir="$root/.tools/ric-$RIC_VERSION"
if [[ ! -f "$ric_dir/.complete" ]]; then
  log "copying aws-lambda-java-runtime-interface-client $RIC_VERSION and its dependencies into ${ric_dir#"$root/"} (once)"
  rm -rf "$ric_dir"
  mkdir -p "$ric_dir"
  cat > "$ric_dir/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by scripts/invoke-local.sh only to let Maven copy the RIC and its runtime dependencies. -->
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>local.tools</groupId>
  <artifactId>lambda-ric</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>com.amazonaws</groupId>
      <artifactId>aws-lambda-java-runtime-interface-client</artifactId>
      <version>$RIC_VERSION</version>
    </dependency>
  </dependencies>
</project>
EOF
  ./mvnw -q -B -ntp -f "$ric_dir/pom.xml" "$DEPENDENCY_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$ric_dir/lib" >&2
  touch "$ric_dir/.complete"
fi
ric_classpath="$(printf '%s:' "$ric_dir"/lib/*.jar)"
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

# ---- 4. moto, then the RIE running the java21-style bootstrap ------------------------------------
rie_pid=""
moto_pid=""
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ -n "$rie_pid" ]] && kill -0 "$rie_pid" 2>/dev/null; then
    # The RIE runs in its own process group (setsid), which java is part of.
    kill -TERM -- "-$rie_pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$rie_pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL -- "-$rie_pid" 2>/dev/null || true
    wait "$rie_pid" 2>/dev/null || true
  fi
  if [[ -n "$moto_pid" ]]; then
    # moto exits when its stdin closes; SIGTERM if it does not.
    exec {MOTO[1]}>&- 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$moto_pid" 2>/dev/null || break; sleep 0.1; done
    kill -TERM "$moto_pid" 2>/dev/null || true
    wait "$moto_pid" 2>/dev/null || true
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

coproc MOTO { exec "$python" scripts/local_aws.py --port 0 2> "$work/local-aws.log"; }
moto_pid="$MOTO_PID"
if ! read -r -t 60 moto_json <&"${MOTO[0]}"; then
  log "moto did not start; see ${work#"$root/"}/local-aws.log"
  exit 1
fi

# The function's configuration from template.yaml, plus the local values; NUL-separated KEY=VALUE.
function_env=()
while IFS= read -r -d '' entry; do function_env+=("$entry"); done < <(
  "$python" - "$function_name" "$moto_json" <<'PY'
import json
import sys

sys.path.insert(0, "scripts")
import cfn_table

name, moto = sys.argv[1], json.loads(sys.argv[2])
rendered = cfn_table.render_template(
    "template.yaml", {"DeploymentMode": "jvm", "PasswordBcryptCost": "10"})
functions = sorted(k for k, v in rendered["Resources"].items()
                   if v.get("Type") == "AWS::Serverless::Function")
if name not in functions:
    sys.exit(f"invoke-local: {name} is not a function of template.yaml (one of: {', '.join(functions)})")
defaults = rendered["Globals"].get("Function", {})
own = rendered["Resources"][name].get("Properties", {})
props = {**defaults, **own}
variables = {**(defaults.get("Environment") or {}).get("Variables", {}),
             **(own.get("Environment") or {}).get("Variables", {})}
# Values that point at resources of the stack become the local ones from moto.
local = {
    "AUTH_USERS_TABLE": moto["tableName"],
    "AUTH_JWT_KMS_KEY_ID": moto["kmsKeyId"],
    "AUTH_MAIL_SENDER": moto["mailSender"],
}
env = {}
for key, value in variables.items():
    if key in local:
        value = local[key]
    if isinstance(value, (dict, list)):
        sys.exit(f"invoke-local: {name}: no local value for {key} = {value!r}")
    env[key] = str(value).lower() if isinstance(value, bool) else str(value)
if props.get("Runtime") != "java21":
    sys.exit(f"invoke-local: {name} runs on {props.get('Runtime')}, not java21")
meta = {
    "HANDLER": props["Handler"],
    "MEMORY": str(props.get("MemorySize", 128)),
    "TIMEOUT": str(props.get("Timeout", 3)),
}
out = [f"META_{k}={v}" for k, v in meta.items()] + [f"{k}={v}" for k, v in env.items()]
sys.stdout.write("".join(item + "\0" for item in out))
PY
)
[[ ${#function_env[@]} -gt 0 ]] || exit 2
handler="" memory="" timeout=""
lambda_env=()
for entry in "${function_env[@]}"; do
  case "$entry" in
    META_HANDLER=*) handler="${entry#META_HANDLER=}" ;;
    META_MEMORY=*) memory="${entry#META_MEMORY=}" ;;
    META_TIMEOUT=*) timeout="${entry#META_TIMEOUT=}" ;;
    *) lambda_env+=("$entry") ;;
  esac
done
timeout="${INVOKE_LOCAL_TIMEOUT:-$timeout}"

moto_field() { "$python" -c 'import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])' "$moto_json" "$1"; }
endpoint="$(moto_field endpoint)"
region="$(moto_field region)"

free_port() { "$python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
rie_port="$(free_port)"
runtime_api_port="$(free_port)"
while [[ "$runtime_api_port" == "$rie_port" ]]; do runtime_api_port="$(free_port)"; done

java="$(command -v "${JAVA:-java}")" || { log "no java on PATH (set JAVA=...)"; exit 1; }
log "$function_name: $("$java" -version 2>&1 | head -1), handler $handler, ${memory} MB, timeout ${timeout}s"

rie_log="$work/$function_name.log"
# Lambda's own variables (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime)
# that the RIE does not set itself, then the function's, then the local endpoint and credentials.
# The RIE runs the bootstrap in its own working directory: the task directory, Lambda's /var/task.
# `exec` keeps one PID from the subshell to the RIE, so $! is the RIE and its process group.
(cd "$task" && exec env -i \
  PATH="/usr/local/bin:/usr/bin:/bin" \
  LANG=en_US.UTF-8 \
  TZ=:UTC \
  AWS_EXECUTION_ENV=AWS_Lambda_java21 \
  AWS_LAMBDA_INITIALIZATION_TYPE=on-demand \
  AWS_LAMBDA_FUNCTION_NAME="$function_name" \
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE="$memory" \
  AWS_LAMBDA_FUNCTION_VERSION='$LATEST' \
  AWS_LAMBDA_FUNCTION_TIMEOUT="$timeout" \
  AWS_LAMBDA_LOG_GROUP_NAME="/aws/lambda/$function_name" \
  AWS_LAMBDA_LOG_STREAM_NAME=local \
  LAMBDA_TASK_ROOT="$task" \
  _HANDLER="$handler" \
  "${lambda_env[@]}" \
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
    --runtime-interface-emulator-address "127.0.0.1:$rie_port" \
    --runtime-api-address "127.0.0.1:$runtime_api_port" \
    "$java" "-XX:MaxRAM=${memory}m" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
      -cp "$ric_classpath" "$RIC_MAIN" "$handler" \
  < /dev/null > "$rie_log" 2>&1) &
rie_pid=$!

url="http://127.0.0.1:$rie_port/2015-03-31/functions/function/invocations"
for _ in $(seq 100); do
  curl -s -o /dev/null "http://127.0.0.1:$rie_port/" && break
  kill -0 "$rie_pid" 2>/dev/null || { log "the RIE exited; see ${rie_log#"$root/"}"; tail -n 20 "$rie_log" >&2; exit 1; }
  sleep 0.1
done

# ---- 5. The events -------------------------------------------------------------------------------
failed=0
for event in "${events[@]}"; do
  body="$work/response.json"
  # The first invocation includes the cold start (init), bounded by the function timeout as well.
  code="$(curl -sS -o "$body" -w '%{http_code}' --max-time "$((timeout * 2 + 10))" \
    -X POST -H 'content-type: application/json' --data-binary "@$event" "$url")" || code="000"
  line="$("$python" -c '
import json, sys
raw = open(sys.argv[1], "rb").read().decode("utf-8", "replace")
try:
    print(json.dumps(json.loads(raw), separators=(",", ":"), ensure_ascii=False))
except ValueError:
    print(json.dumps(raw))
' "$body" 2>/dev/null || echo '""')"
  echo "$event $line"
  if [[ "$code" != "200" ]] || ! "$python" -c '
import json, sys
r = json.loads(sys.argv[1])
sys.exit(0 if isinstance(r, dict) and "statusCode" in r else 1)' "$line"; then
    log "$event: no API Gateway response from $function_name (RIE HTTP $code); see ${rie_log#"$root/"}"
    failed=1
  fi
done
exit "$failed"
