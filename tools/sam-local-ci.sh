#!/usr/bin/env bash
# CI step: the real SAM CLI in Docker: sam build, sam local invoke (every event), sam local start-api (the
# whole flow over HTTP) and sam package against moto (tools/sam_local_ci.py does the steps).
#
#   tools/sam-local-ci.sh
#
# First makes Docker available when it can:
#   - a daemon that answers `docker info` is used as it is;
#   - otherwise, as root: installs Debian's docker.io (and debootstrap) with apt-get when dockerd is missing,
#     and starts `dockerd --bridge=none --iptables=false --ip6tables=false` (no bridge network, no NAT rules:
#     containers get the host's network only, so all traffic stays on 127.0.0.1), stopped again on exit;
# then builds the java21 stand-in base image (tools/lambda-base-image.sh, cached by content hash).
# When Docker cannot run here (not root, no apt, the daemon does not start, the image cannot be built),
# it prints "SKIPPED: ..." for each of the four steps and the closing line "sam-local: 0 passed, 0 failed,
# 4 skipped", and exits 0: the no-Docker path (tools/check-events.sh) still runs in CI.
# Logs: target/sam-local/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
work="$root/target/sam-local"
mkdir -p "$work"
STEPS=("sam build" "sam local invoke (every events/*.json)" "sam local start-api (HTTP flow)" "sam package (moto S3)")

skip_all() {
  echo "sam-local: Docker cannot run here: $*"
  local s
  for s in "${STEPS[@]}"; do echo "SKIPPED: $s (no Docker)"; done
  echo "sam-local: 0 passed, 0 failed, ${#STEPS[@]} skipped"
  exit 0
}

dockerd_pid=""
stop_dockerd() {
  [[ -n "$dockerd_pid" ]] || return 0
  echo "sam-local: stopping the dockerd started here (pid $dockerd_pid)"
  kill -TERM "$dockerd_pid" 2>/dev/null || true
  for _ in $(seq 1 60); do kill -0 "$dockerd_pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$dockerd_pid" 2>/dev/null || true
  dockerd_pid=""
}
trap stop_dockerd EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

as_root() { [[ "$(id -u)" == 0 ]]; }

if ! docker info >/dev/null 2>&1; then
  as_root || skip_all "no Docker daemon answers and this is not root (cannot start dockerd)"
  if ! command -v dockerd >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
    command -v apt-get >/dev/null 2>&1 || skip_all "dockerd or debootstrap missing and no apt-get"
    echo "sam-local: installing docker.io and debootstrap (apt-get)"
    if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
        docker.io debootstrap; } >"$work/apt.log" 2>&1; then
      tail -n 5 "$work/apt.log"
      skip_all "apt-get install docker.io debootstrap failed (target/sam-local/apt.log)"
    fi
  fi
  echo "sam-local: starting dockerd --bridge=none --iptables=false --ip6tables=false"
  dockerd --bridge=none --iptables=false --ip6tables=false >"$work/dockerd.log" 2>&1 &
  dockerd_pid=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$dockerd_pid" 2>/dev/null || break
    sleep 0.5
  done
  docker info >/dev/null 2>&1 || { tail -n 5 "$work/dockerd.log"; skip_all "dockerd did not start (target/sam-local/dockerd.log)"; }
fi
echo "sam-local: Docker $(docker version -f '{{.Server.Version}}' 2>/dev/null) answers"

if ! command -v debootstrap >/dev/null 2>&1 && ! docker image inspect public.ecr.aws/lambda/java:21-x86_64 >/dev/null 2>&1; then
  skip_all "debootstrap is missing, so the stand-in base image cannot be built"
fi
t=$SECONDS
if ! bash tools/lambda-base-image.sh >"$work/base-image.log" 2>&1; then
  tail -n 10 "$work/base-image.log"
  skip_all "the stand-in base image could not be built (target/sam-local/base-image.log)"
fi
echo "sam-local: $(tail -n 2 "$work/base-image.log" | head -n 1 | sed 's/^lambda-base-image: //') ($((SECONDS - t))s)"

bash tools/venv.sh
.venv/bin/python tools/sam_local_ci.py
