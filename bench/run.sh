#!/usr/bin/env bash
# Performance benchmark: ONE command that measures and prints a results table (and writes bench/RESULTS.md).
# Nothing asserts on times. See bench/README.md.
#
#   bench/run.sh
#
# 1. login/signup throughput through the Lambda HTTP path vs raw bcrypt, same JVM, cost 12, concurrency 2
#    (./mvnw -Pbench test: src/test/java/com/example/shop/auth/bench/AuthBenchTest.java, on moto)
# 2. reset-request latency through the Lambda path vs the same SDK calls direct (padding set to PT0S)
# 3. cold start under the Lambda RIE: target/function.zip vs a bare quarkus-amazon-lambda-http 3.33.2 app
# 4. function.zip size and the biggest jars; RSS of the java process after 1,000 logins at -XX:MaxRAM=256m
#
# Knobs (environment): BENCH_LOGINS (200), BENCH_SIGNUPS (100), BENCH_RESETS (200), BENCH_CONCURRENCY (2),
# BENCH_COLD_RUNS (5), BENCH_RSS_LOGINS (1000), BENCH_RSS_COST (10: the bcrypt cost of the RSS run, as
# scripts/invoke-local.sh uses; memory does not depend on it, time does).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
out="$root/target/bench"
python="$root/.venv/bin/python"
log() { echo "bench: $*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

LOGINS="${BENCH_LOGINS:-200}"
SIGNUPS="${BENCH_SIGNUPS:-100}"
RESETS="${BENCH_RESETS:-200}"
CONCURRENCY="${BENCH_CONCURRENCY:-2}"
COLD_RUNS="${BENCH_COLD_RUNS:-5}"
RSS_LOGINS="${BENCH_RSS_LOGINS:-1000}"
RSS_COST="${BENCH_RSS_COST:-10}"
ARCHETYPE_VERSION=3.33.2

bare_dir=""
cleanup() { [[ -n "$bare_dir" && -d "$bare_dir" ]] && rm -rf "$bare_dir"; return 0; }
trap cleanup EXIT

# One run at a time: a second one would wipe target/bench under the first and share its 2 cores.
mkdir -p target
exec 9> target/bench.lock
flock -n 9 || { log "another bench/run.sh is running (target/bench.lock); try again when it is done"; exit 1; }
rm -rf "$out"
mkdir -p "$out"
loads=()
note_load() { loads+=("$1: $(loadavg)"); log "load before $1: $(loadavg)"; }
started="$(date -u '+%Y-%m-%d %H:%M UTC')"

# ---- tools: venv, RIE + RIC (built once by scripts/invoke-local.sh), target/function.zip ----------------------
bash scripts/venv.sh >&2
zip="$root/target/function.zip"
if [[ ! -f "$zip" ]] || [[ -n "$(find pom.xml src/main -newer "$zip" -print -quit)" ]]; then
  log "building target/function.zip (./mvnw package -DskipTests)"
  ./mvnw -q -B -ntp package -DskipTests >&2
fi
if [[ ! -x .tools/bin/aws-lambda-rie ]] || ! ls .tools/ric-*/.complete >/dev/null 2>&1; then
  log "building the Runtime Interface Emulator and client (scripts/invoke-local.sh, once)"
  scripts/invoke-local.sh LoginFunction events/jwks.json >/dev/null
fi
mkdir -p "$out/task-ours"
(cd "$out/task-ours" && unzip -q "$zip")

# ---- the bare app: the archetype if Maven Central serves it, else an equivalent minimal app ------------------
bare_dir="$(mktemp -d /tmp/bench-bare.XXXXXX)"
bare_label=""
log "generating a bare quarkus-amazon-lambda-http $ARCHETYPE_VERSION app in $bare_dir"
if (cd "$bare_dir" && "$root/mvnw" -B -ntp -q archetype:generate -DinteractiveMode=false \
      -DarchetypeGroupId=io.quarkus -DarchetypeArtifactId=quarkus-amazon-lambda-http-archetype \
      -DarchetypeVersion="$ARCHETYPE_VERSION" -DgroupId=bench -DartifactId=bare -Dversion=1.0 -Dpackage=bench \
      > "$out/archetype.log" 2>&1); then
  bare_label="\`quarkus-amazon-lambda-http-archetype\` $ARCHETYPE_VERSION, generated and built"
else
  # Not served (Maven Central answers 404 for io/quarkus/quarkus-amazon-lambda-http-archetype/maven-metadata.xml
  # and for the $ARCHETYPE_VERSION pom from here): the same shape by hand, pinned to the same Quarkus.
  log "archetype $ARCHETYPE_VERSION not available (see target/bench/archetype.log): writing the equivalent bare app"
  bare_label="a bare Quarkus $ARCHETYPE_VERSION app (quarkus-amazon-lambda-http + quarkus-rest, one \`GET /hello\` resource), written by bench/run.sh because \`quarkus-amazon-lambda-http-archetype\` is not served by Maven Central (HTTP 404 for its maven-metadata.xml and for $ARCHETYPE_VERSION; no nearby version found)"
  mkdir -p "$bare_dir/bare/src/main/java/bench" "$bare_dir/bare/src/main/resources"
  cat > "$bare_dir/bare/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId>
  <artifactId>bare</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
    <quarkus.platform.version>$ARCHETYPE_VERSION</quarkus.platform.version>
  </properties>
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>io.quarkus</groupId>
        <artifactId>quarkus-bom</artifactId>
        <version>\${quarkus.platform.version}</version>
        <type>pom</type>
        <scope>import</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
  <dependencies>
    <dependency><groupId>io.quarkus</groupId><artifactId>quarkus-rest</artifactId></dependency>
    <dependency><groupId>io.quarkus</groupId><artifactId>quarkus-amazon-lambda-http</artifactId></dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>io.quarkus</groupId>
        <artifactId>quarkus-maven-plugin</artifactId>
        <version>\${quarkus.platform.version}</version>
        <extensions>true</extensions>
        <executions><execution><goals><goal>build</goal></goals></execution></executions>
      </plugin>
      <plugin>
        <artifactId>maven-compiler-plugin</artifactId>
        <version>3.14.0</version>
      </plugin>
    </plugins>
  </build>
</project>
EOF
  cat > "$bare_dir/bare/src/main/java/bench/GreetingResource.java" <<'EOF'
package bench;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

@Path("/hello")
public class GreetingResource {
    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public String hello() {
        return "hello jaxrs";
    }
}
EOF
  touch "$bare_dir/bare/src/main/resources/application.properties"
fi
log "building the bare app"
"$root/mvnw" -B -ntp -q -f "$bare_dir/bare/pom.xml" package -DskipTests > "$out/bare-build.log" 2>&1
mkdir -p "$out/task-bare"
(cd "$out/task-bare" && unzip -q "$bare_dir/bare/target/function.zip")
bare_zip_mb="$(stat -c %s "$bare_dir/bare/target/function.zip" | awk '{printf "%.2f", $1/1e6}')"

# ---- 1 + 2: the JUnit benchmark (same JVM), on moto ------------------------------------------------------------
note_load "JUnit benchmark (login/signup/reset)"
log "running ./mvnw -Pbench test (cost 12; takes a few minutes)"
./mvnw -B -ntp -Pbench test \
  '-D%test.auth.password.bcrypt-cost=12' \
  '-D%test.auth.reset.min-response-time=PT0S' \
  '-D%test.quarkus.log.category."com.example.shop".level=INFO' \
  -Dbench.logins="$LOGINS" -Dbench.signups="$SIGNUPS" -Dbench.resets="$RESETS" \
  -Dbench.concurrency="$CONCURRENCY" > "$out/maven-bench.log" 2>&1 \
  || { log "the benchmark failed; see target/bench/maven-bench.log"; tail -40 "$out/maven-bench.log" >&2; exit 1; }
grep '^BENCH ' "$out/maven-bench.log" | sed 's/^BENCH //'

# ---- 3: cold starts under the RIE ------------------------------------------------------------------------------
note_load "cold starts"
log "cold starts under the RIE ($COLD_RUNS each, alternating) + one JFR-recorded start of each"
"$python" bench/lambda_rie.py coldstart --ours "$out/task-ours" --bare "$out/task-bare" --runs "$COLD_RUNS" \
  --bcrypt-cost 12 --jfr-dir "$out" --bare-label "$bare_label (function.zip $bare_zip_mb MB)" | sed 's/^BENCH //'

# ---- 4: size and RSS -------------------------------------------------------------------------------------------
note_load "RSS run"
log "RSS after $RSS_LOGINS logins under the RIE at -XX:MaxRAM=256m"
"$python" bench/lambda_rie.py rss --ours "$out/task-ours" --logins "$RSS_LOGINS" --max-ram-mb 256 \
  --bcrypt-cost "$RSS_COST" | sed 's/^BENCH //'

log "function.zip size and the biggest jars"
"$python" - "$zip" > "$out/size.md" <<'PY'
import sys, zipfile
zip_path = sys.argv[1]
size = __import__("os").path.getsize(zip_path) / 1e6
z = zipfile.ZipFile(zip_path)
jars = sorted(((i.file_size, i.filename[4:]) for i in z.infolist() if i.filename.startswith("lib/")), reverse=True)
total_jars = sum(s for s, _ in jars) / 1e6
# jars that only the OpenAPI extension needs, by name (`mvn dependency:tree` places shared jars such as Jackson under
# whichever path is shortest, so it cannot tell "only" apart)
OPENAPI = ("open-api", "openapi", "snakeyaml", "dataformat-yaml", "swagger-ui")
def role(name):
    if any(k in name for k in OPENAPI):
        return "OpenAPI extension: serves `/q/openapi` (dev mode; API Gateway routes never reach it in Lambda) — not needed in Lambda"
    if "brotli4j" in name:
        return "HTTP compression for Vert.x (`quarkus.http.compression`, off here) — likely not needed in Lambda"
    if "joda-time" in name:
        return "dependency of aws-lambda-java-events (only for event types this app does not use) — likely not needed"
    if name.startswith("software.amazon.awssdk"):
        return "AWS SDK — needed"
    if "jackson" in name:
        return "JSON — needed"
    if any(k in name for k in ("vertx", "netty", "mutiny", "resteasy", "quarkus-core", "quarkus-vertx", "jboss-logmanager", "smallrye-config", "jandex", "lambda", "jctools")):
        return "Quarkus / Lambda HTTP runtime — needed"
    return ""
lines = [f"| `target/function.zip` size | {size:.2f} MB | | | ≤ 30 MB | {'met' if size <= 30 else '**missed**'} |", ""]
lines.append(f"- function.zip {size:.2f} MB compressed; {len(jars)} jars in lib/ ({total_jars:.1f} MB). Biggest jars:")
for s, n in jars[:12]:
    lines.append(f"  - {n} {s / 1e6:.2f} MB{' — ' + role(n) if role(n) else ''}")
oa = [(s, n) for s, n in jars if role(n).startswith("OpenAPI")]
if oa:
    lines.append(f"- jars only the OpenAPI extension needs (by name; {sum(s for s, _ in oa) / 1e6:.2f} MB uncompressed; "
                 "the contract is a static file, mp.openapi.scan.disable=true): "
                 + ", ".join(f"{n} {s / 1e6:.2f}" for s, n in oa))
print("\n".join(lines))
PY
cat "$out/size.md"

# ---- evidence: where the time goes (JFR) -----------------------------------------------------------------------
{
  for f in login-c"$CONCURRENCY" reset coldstart-ours coldstart-bare; do
    [[ -f "$out/$f.jfr" ]] || continue
    echo "- \`target/bench/$f.jfr\`:"
    "$python" bench/jfr_top.py "$out/$f.jfr" 2>/dev/null || echo "  - (jfr print failed)"
  done
} > "$out/jfr.md"

# ---- assemble ---------------------------------------------------------------------------------------------------
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
{
  echo "# Benchmark results"
  echo
  echo "Command: \`bench/run.sh\` (started $started; finished $(date -u '+%Y-%m-%d %H:%M UTC')). Machine: $(nproc) CPUs ($cpu),"
  echo "memory $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}'); $(java -version 2>&1 | head -1);"
  echo "moto $("$python" -c 'import moto; print(moto.__version__)') as DynamoDB, KMS and SES. Load average (1, 5, 15 min) before each phase:"
  for l in "${loads[@]}"; do echo "- $l"; done
  echo
  echo "| measurement | ours | baseline | ratio | goal | |"
  echo "|---|---|---|---|---|---|"
  cat "$out"/throughput.md "$out"/reset.md "$out"/refresh.md "$out"/coldstart.md "$out"/rss.md "$out"/size.md 2>/dev/null | grep '^|'
  echo
  echo "## Notes"
  echo
  cat "$out"/throughput.md "$out"/reset.md "$out"/refresh.md "$out"/coldstart.md "$out"/rss.md "$out"/size.md 2>/dev/null | grep -E '^(-|  -)'
  echo
  echo "## Where the CPU time goes (JFR, \`jdk.ExecutionSample\`)"
  echo
  cat "$out/jfr.md"
} > "$out/RESULTS.md"
cp "$out/RESULTS.md" bench/RESULTS.md
echo
cat bench/RESULTS.md
