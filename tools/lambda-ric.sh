#!/usr/bin/env bash
# Copies the AWS Lambda Java Runtime Interface Client (the Java side of the Runtime API, which AWS's java21
# runtime runs as its bootstrap) and its runtime dependencies into .tools/ric-<version>/lib, once, with Maven
# and a throwaway POM there (the app's pom.xml is untouched). Prints that lib directory on stdout.
# Used by scripts/invoke-local.sh (no-Docker RIE) and tools/lambda-base-image.sh (the image's /var/runtime/lib).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"

RIC_VERSION=2.10.1
DEPENDENCY_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.7.0

ric_dir="$root/.tools/ric-$RIC_VERSION"
if [[ ! -f "$ric_dir/.complete" ]]; then
  echo "lambda-ric: copying aws-lambda-java-runtime-interface-client $RIC_VERSION and its dependencies into ${ric_dir#"$root/"} (once)" >&2
  rm -rf "$ric_dir"
  mkdir -p "$ric_dir"
  cat > "$ric_dir/pom.xml" <<POM
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by tools/lambda-ric.sh only to let Maven copy the RIC and its runtime dependencies. -->
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
POM
  ./mvnw -q -B -ntp -f "$ric_dir/pom.xml" "$DEPENDENCY_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$ric_dir/lib" >&2
  touch "$ric_dir/.complete"
fi
echo "$ric_dir/lib"
