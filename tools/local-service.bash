# Sourced by tools/fuzz-api.sh, tools/browser-test.sh and bench/run-enumeration.sh (not run directly): start scripts/run-local.sh
# in the background, in a process group of its own, wait until it answers, and stop the whole group
# (bash, maven, the dev-mode JVM and moto) on exit.
#
#   local_service_start PORT LOG [extra -D args for quarkus:dev]   # installs an EXIT trap that stops it
#
# Knobs (environment): LOCAL_SERVICE_START_TIMEOUT (300 s), LOCAL_SERVICE_PORT_WAIT (300 s: how long to wait
# for ports PORT and MOTO_PORT (4566) to be freed by someone else's run), MOTO_PORT.

local_service_pgid=""

local_service_answers() { curl -s -o /dev/null -m 3 "http://localhost:$1/.well-known/jwks.json"; }

local_service_port_busy() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

local_service_stop() {
  [[ -n "$local_service_pgid" ]] || return 0
  echo "local-service: stopping process group $local_service_pgid" >&2
  kill -TERM -- "-$local_service_pgid" 2>/dev/null || true
  local _
  for _ in $(seq 1 30); do
    if ! kill -0 -- "-$local_service_pgid" 2>/dev/null; then
      local_service_pgid=""
      return 0
    fi
    sleep 1
  done
  echo "local-service: still running after 30 s; sending SIGKILL" >&2
  kill -KILL -- "-$local_service_pgid" 2>/dev/null || true
  local_service_pgid=""
}

local_service_start() {
  local port="$1" log="$2"
  shift 2
  local moto_port="${MOTO_PORT:-4566}" waited=0
  local port_wait="${LOCAL_SERVICE_PORT_WAIT:-300}" start_timeout="${LOCAL_SERVICE_START_TIMEOUT:-300}"
  while local_service_port_busy "$port" || local_service_port_busy "$moto_port"; do
    if (( waited >= port_wait )); then
      echo "local-service: port $port or $moto_port still in use after ${port_wait}s; giving up" >&2
      return 1
    fi
    (( waited % 30 == 0 )) && echo "local-service: port $port or $moto_port in use (someone else's run?); waiting" >&2
    sleep 5
    waited=$((waited + 5))
  done

  trap local_service_stop EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  mkdir -p "$(dirname "$log")"
  echo "local-service: starting scripts/run-local.sh on port $port $* (log: $log)" >&2
  # Job control on for this one job: bash puts it in a process group of its own whose id is its pid (set in
  # parent and child, so no race), and one signal then reaches bash, maven, the JVM and moto.
  set -m
  scripts/run-local.sh -Dquarkus.lambda.mock-event-server.dev-port="$port" "$@" </dev/null >"$log" 2>&1 &
  local pid=$! started=$SECONDS
  set +m
  local_service_pgid="$pid"
  until local_service_answers "$port"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "local-service: the service exited before answering; last lines of $log:" >&2
      tail -n 30 "$log" >&2
      return 1
    fi
    if (( SECONDS - started >= start_timeout )); then
      echo "local-service: no answer on port $port after ${start_timeout}s; last lines of $log:" >&2
      tail -n 30 "$log" >&2
      return 1
    fi
    sleep 2
  done
  echo "local-service: answering on http://localhost:$port after $((SECONDS - started))s" >&2
}
