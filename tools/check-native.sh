#!/usr/bin/env bash
# Native-image readiness check that runs without GraalVM and without Docker.
#
#   tools/check-native.sh [--project DIR] [--record-native-args] [--keep]
#
# 1. Copies the project (tracked and untracked, non-ignored files; no target/) to a temporary directory and
#    runs the native build there, so the working tree's target/ (and target/function.zip) is left alone:
#        ./mvnw -B package -DskipTests -Dquarkus.native.enabled=true -Dquarkus.native.container-build=false
#    Quarkus runs all of its build steps for native (reflection, resources, substitutions, the Lambda
#    extension's checks...), writes target/*-native-image-source-jar/, then looks for native-image and,
#    finding neither it nor a container runtime, stops: that stop is the expected end of the build. No image
#    is compiled: points-to analysis, build-time initialisation and linking (--link-at-build-time) are NOT
#    checked; that needs a real native build (README, "Native image").
#    --record-native-args: GRAALVM_HOME points at a recorder named `native-image` that answers --version like
#    Mandrel 25.0.1 (Quarkus 3.33's default builder), writes down the arguments Quarkus passes and FAILS
#    (exit 86), so Quarkus's real command line can be checked too. It builds nothing and never claims to.
# 2. tools/check_native.py tells that expected stop apart from any other failure and checks the generated
#    configuration against expectations derived from the sources (see its docstring).
#
# Exit status: 0 pass; 1 a check failed; 2 the build failed in an unexpected way.
# --project DIR checks another copy of the project (e.g. one with a deliberate change); --keep keeps the
# temporary directory (it is always kept when the check fails).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
project="$(cd "$here/.." && pwd)"
mode=no-stub
keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --project) project="$(cd "$2" && pwd)"; shift 2 ;;
    --record-native-args) mode=stub; shift ;;
    --keep) keep=1; shift ;;
    -h|--help) sed -n '2,24p' "${BASH_SOURCE[0]}"; exit 0 ;;
    *) echo "unknown argument: $1" >&2; exit 64 ;;
  esac
done

work="$(mktemp -d "${TMPDIR:-/tmp}/check-native.XXXXXX")"
copy="$work/project"
mkdir -p "$copy"

echo "== Copying $project to $copy"
if git -C "$project" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
  (cd "$project" && git ls-files -z --cached --others --exclude-standard \
    | while IFS= read -r -d '' f; do [ -e "$f" ] && printf '%s\0' "$f"; done \
    | tar --null -T - -cf -) | tar -xf - -C "$copy"
else
  (cd "$project" && tar --exclude=./target --exclude='./.venv*' --exclude=./.git -cf - .) | tar -xf - -C "$copy"
fi

args_file="$copy/target/native-image.args.recorded"
maven_native_args=(-Dquarkus.native.enabled=true -Dquarkus.native.container-build=false
                   -Dquarkus.native.remote-container-build=false)
env_native=()
if [ "$mode" = stub ]; then
  mkdir -p "$work/graalvm-stub/bin"
  cat >"$work/graalvm-stub/bin/native-image" <<'STUB'
#!/bin/sh
# Stub written by tools/check-native.sh: NOT GraalVM. Answers --version like Mandrel 25.0.1 (JDK 25),
# records the arguments Quarkus passes, and fails on purpose with exit code 86.
if [ "$1" = "--version" ]; then
  echo "native-image 25.0.1 2025-10-21"
  echo "OpenJDK Runtime Environment Mandrel-25.0.1.0-Final (build 25.0.1+8)"
  echo "OpenJDK 64-Bit Server VM Mandrel-25.0.1.0-Final (build 25.0.1+8, mixed mode)"
  exit 0
fi
printf '%s\n' "$@" >"$CHECK_NATIVE_ARGS_FILE"
echo "check-native stub: recorded $# native-image arguments; no image was built" >&2
exit 86
STUB
  chmod +x "$work/graalvm-stub/bin/native-image"
  env_native=(GRAALVM_HOME="$work/graalvm-stub" CHECK_NATIVE_ARGS_FILE="$args_file")
else
  # make sure no GraalVM is picked up, so that the expected stop is the missing native-image
  env_native=(GRAALVM_HOME=/nonexistent)
fi

# Quarkus 3.33 on Linux falls back to a container build whenever no local native-image is found, even with
# quarkus.native.container-build=false (NativeImageBuildStep: "Attempting to fall back to container build"),
# and uses Docker or Podman when it finds a working one (ContainerRuntimeUtil: `docker --version`, then
# `docker info`). With a daemon running it would pull the Mandrel builder image and fail on that instead.
# Shims first on PATH make this build see what a machine without a daemon shows: a docker client that
# answers --version and nothing else (no daemon), no podman. Quarkus then runs every build step, writes the
# native-image source jar and stops at the container call, as expected here, whether or not Docker runs.
mkdir -p "$work/no-containers"
cat >"$work/no-containers/docker" <<'SHIM'
#!/bin/sh
# check-native shim: a docker client without a daemon (the real docker is hidden from this build).
if [ "$1" = "--version" ]; then echo "Docker version 0.0.0-check-native, build none"; exit 0; fi
echo "check-native: no container runtime for this build (docker $*)" >&2
exit 1
SHIM
printf '#!/bin/sh\necho "check-native: podman hidden from this build" >&2\nexit 127\n' >"$work/no-containers/podman"
chmod +x "$work/no-containers/docker" "$work/no-containers/podman"
env_native+=(PATH="$work/no-containers:$PATH")

echo "== Native build in $copy (log: $work/build.log)"
set +e
(cd "$copy" && env "${env_native[@]}" ./mvnw -B -ntp package -DskipTests "${maven_native_args[@]}") \
  >"$work/build.log" 2>&1
rc=$?
set -e
echo "   ./mvnw exited $rc"

set +e
bash "$here/venv.sh"
"$here/../.venv/bin/python" "$here/check_native.py" --project "$copy" --build-log "$work/build.log" --build-rc "$rc" \
  --mode "$mode" --args-file "$args_file"
status=$?
set -e

if [ "$status" -eq 0 ] && [ "$keep" -eq 0 ]; then
  rm -rf "$work"
else
  echo "   kept $work"
fi
exit "$status"
