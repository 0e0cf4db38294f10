#!/usr/bin/env bash
# Builds a stand-in for AWS's Lambda java21 base image from Debian packages and loads it into the local
# Docker daemon under the official name, so that `sam local invoke` / `start-api --skip-pull-image`
# use it (SAM builds its own image on top, adding the Runtime Interface Emulator it bundles).
#
#   tools/lambda-base-image.sh [--force]      # prints the image name on stdout
#
# Why: the official images (public.ecr.aws/lambda/java:21) cannot be pulled where only package
# registries are reachable. The stand-in is laid out like AWS's java21 image:
#   /var/lang/bin/java         -> Debian's openjdk-21-jre-headless (AWS: Amazon Corretto 21)
#   /var/runtime/lib/*.jar     aws-lambda-java-runtime-interface-client $RIC_VERSION and its dependencies
#   /var/runtime/bootstrap     starts the runtime interface client with the handler ($_HANDLER)
#   /lambda-entrypoint.sh      AWS's entrypoint: the handler as its one argument, RIE when not in Lambda
#   LAMBDA_TASK_ROOT=/var/task, LAMBDA_RUNTIME_DIR=/var/runtime, WORKDIR /var/task
# Differences from AWS's image: Debian trixie userland instead of Amazon Linux 2023, OpenJDK instead of
# Corretto, none of AWS's JVM tuning flags beyond the ones below, no SnapStart (neither has sam local).
#
# The root filesystem comes from `debootstrap --variant=minbase trixie` (Debian's mirror) and goes in with
# `docker import`. The image is labelled with a hash of this script; when an image with the same hash is
# already loaded, nothing is rebuilt (--force rebuilds). Needs root, debootstrap and a Docker daemon.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

IMAGE="${LAMBDA_BASE_IMAGE:-public.ecr.aws/lambda/java:21-x86_64}"
SUITE=trixie
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"
RIC_VERSION="$(sed -n 's/^RIC_VERSION=//p' tools/lambda-ric.sh)"
log() { echo "lambda-base-image: $*" >&2; }

force=0
[[ "${1:-}" == "--force" ]] && force=1

hash="$(cat "${BASH_SOURCE[0]}" tools/lambda-ric.sh | sha256sum | cut -c1-16)"
have="$(docker image inspect -f '{{ index .Config.Labels "standin.hash" }}' "$IMAGE" 2>/dev/null || true)"
if [[ $force -eq 0 && "$have" == "$hash" ]]; then
  log "$IMAGE is up to date (stand-in $hash)"
  echo "$IMAGE"
  exit 0
fi

command -v debootstrap >/dev/null || { log "debootstrap is missing (apt-get install debootstrap)"; exit 1; }
[[ "$(id -u)" == 0 ]] || { log "debootstrap needs root"; exit 1; }

work="$(mktemp -d "${TMPDIR:-/tmp}/lambda-base-image.XXXXXX")"
trap 'rm -rf "$work"' EXIT
rootfs="$work/rootfs"

# 1. The runtime interface client and its dependencies (.tools/, shared with scripts/invoke-local.sh).
ric_lib="$(tools/lambda-ric.sh)"

# 2. Debian trixie, minimal, with Java 21.
log "debootstrap --variant=minbase $SUITE (with openjdk-21-jre-headless) from $MIRROR"
debootstrap --variant=minbase --include=openjdk-21-jre-headless "$SUITE" "$rootfs" "$MIRROR" \
  > "$work/debootstrap.log" 2>&1 || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
java_home="$(cd "$rootfs" && ls -d usr/lib/jvm/java-21-openjdk-* | head -n1)"
[[ -x "$rootfs/$java_home/bin/java" ]] || { log "no Java 21 in the root filesystem"; exit 1; }
java_home="/$java_home"
# Trim what a function never needs (apt lists, docs, caches) to keep the image small.
rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/* "$rootfs"/usr/share/doc/* \
  "$rootfs"/usr/share/man/* "$rootfs"/usr/share/locale/*

# 3. The java21 layout.
mkdir -p "$rootfs/var/lang" "$rootfs/var/runtime/lib" "$rootfs/var/task" "$rootfs/opt"
ln -s "$java_home/bin" "$rootfs/var/lang/bin"
cp "$ric_lib/"*.jar "$rootfs/var/runtime/lib/"
cat > "$rootfs/var/runtime/bootstrap" <<'EOF'
#!/bin/sh
# java21 stand-in bootstrap: the runtime interface client runs the handler named by _HANDLER and loads
# the function code from LAMBDA_TASK_ROOT (/var/task and /var/task/lib/*.jar), as in AWS's java21.
if [ -n "$AWS_LAMBDA_FUNCTION_MEMORY_SIZE" ]; then
  heap="-XX:MaxHeapSize=$((AWS_LAMBDA_FUNCTION_MEMORY_SIZE * 85 / 100))m"
fi
exec /var/lang/bin/java -XX:+UseSerialGC -XX:+TieredCompilation -XX:TieredStopAtLevel=1 \
  -Xshare:auto $heap -classpath "/var/runtime/lib/*" \
  com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$_HANDLER"
EOF
cat > "$rootfs/lambda-entrypoint.sh" <<'EOF'
#!/bin/sh
# As in AWS's base images: the handler is the one argument; outside Lambda the RIE provides the Runtime API.
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" 1>&2
  exit 142
fi
export _HANDLER="$1"
RUNTIME_ENTRYPOINT=/var/runtime/bootstrap
if [ -z "${AWS_LAMBDA_RUNTIME_API}" ]; then
  exec /usr/local/bin/aws-lambda-rie $RUNTIME_ENTRYPOINT
else
  exec $RUNTIME_ENTRYPOINT
fi
EOF
chmod 755 "$rootfs/var/runtime/bootstrap" "$rootfs/lambda-entrypoint.sh"

# 4. Into Docker under the official name.
log "docker import as $IMAGE"
tar -C "$rootfs" -c . | docker import \
  --change 'ENV LANG=C.UTF-8' \
  --change 'ENV TZ=:/etc/localtime' \
  --change 'ENV PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin' \
  --change 'ENV LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib' \
  --change 'ENV LAMBDA_TASK_ROOT=/var/task' \
  --change 'ENV LAMBDA_RUNTIME_DIR=/var/runtime' \
  --change 'WORKDIR /var/task' \
  --change 'ENTRYPOINT ["/lambda-entrypoint.sh"]' \
  --change "LABEL standin.hash=$hash standin.source=debian-$SUITE+openjdk-21+ric-$RIC_VERSION" \
  - "$IMAGE" >&2
log "built $IMAGE (stand-in $hash, $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1e6}'))"
echo "$IMAGE"
