#!/usr/bin/env bash
# Performance benchmark: ONE command that measures and prints a results table (and writes bench/RESULTS.md).
# Nothing asserts on times. See bench/README.md.
#
#   bench/run.sh
#
# Everything runs under the Lambda Runtime Interface Emulator (bench/lambda_rie.py), on moto, side by side:
# 1. cold starts of target/function.zip vs two baselines built from bench/baselines/ (a bare
#    quarkus-amazon-lambda-http 3.33.2 app, and the same plus one DynamoDB GetItem through the same extension and
#    HTTP client), alternating; the levers (explicit SDK region/credentials, JAVA_TOOL_OPTIONS) on and off
# 2. per-route overhead: login, refresh, GET /me, reset request through the Lambda path vs the AWS calls the service
#    makes for them, made directly through its own store classes (bench/RouteOverhead.java), with the template's JVM
#    options and with C2. GET /me and refresh head the results; goal: GET /me <= 1.2x its direct calls (median, p99)
# 3. bcrypt at costs 10-13 and the Lambda cost model per 1M logins
# 4. RSS after 1,000 mixed requests at -XX:MaxRAM=256m; function.zip size
# Optional (BENCH_THROUGHPUT=1): login/signup throughput through the @QuarkusTest path vs raw bcrypt
# (./mvnw -Pbench test, src/test/java/com/example/shop/auth/bench/AuthBenchTest.java).
#
# Knobs (environment): BENCH_BEFORE (a git ref, e.g. a commit before a new library: its function.zip is built in a
# worktree and the password login's cold start is compared with it, goal <= 1.10x), BENCH_COLD_RUNS (5), BENCH_ROUNDS (200), BENCH_RSS_REQUESTS (1000), BENCH_RSS_COST (10: the
# bcrypt cost of the RSS run; memory does not depend on it, time does), BENCH_THROUGHPUT (0), and for the optional
# phase BENCH_LOGINS (200), BENCH_SIGNUPS (100), BENCH_CONCURRENCY (1).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$PWD"
out="$root/target/bench"
python="$root/.venv/bin/python"
log() { echo "bench: $*" >&2; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

COLD_RUNS="${BENCH_COLD_RUNS:-5}"
ROUNDS="${BENCH_ROUNDS:-200}"
RSS_REQUESTS="${BENCH_RSS_REQUESTS:-1000}"
RSS_COST="${BENCH_RSS_COST:-10}"
THROUGHPUT="${BENCH_THROUGHPUT:-0}"

# One run at a time: a second one would wipe target/bench under the first and share its 2 cores.
mkdir -p target
exec 9> target/bench.lock
flock -n 9 || { log "another bench/run.sh is running (target/bench.lock); try again when it is done"; exit 1; }
rm -rf "$out"
mkdir -p "$out"
loads=()
note_load() { loads+=("$1: $(loadavg)"); log "load before $1: $(loadavg)"; }
started="$(date -u '+%Y-%m-%d %H:%M UTC')"

# ---- tools: venv, RIE + RIC (built once by scripts/invoke-local.sh), target/function.zip, the baselines ---------
bash tools/venv.sh >&2
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
before_args=()
if [[ -n "${BENCH_BEFORE:-}" ]]; then
  before_rev="$(git rev-parse --short "$BENCH_BEFORE")"
  log "building function.zip at $BENCH_BEFORE ($before_rev) in a worktree, for the login cold start against it"
  git worktree add -q --detach "$out/before-src" "$before_rev"
  (cd "$out/before-src" && ./mvnw -q -B -ntp package -DskipTests) > "$out/before-build.log" 2>&1 \
    || { log "$BENCH_BEFORE did not build; see target/bench/before-build.log"; exit 1; }
  mkdir -p "$out/task-before"
  (cd "$out/task-before" && unzip -q "$out/before-src/target/function.zip")
  git worktree remove --force "$out/before-src"
  before_args=(--before "$out/task-before" --before-label "$BENCH_BEFORE ($before_rev)")
fi
declare -A baseline_mb
for b in bare dynamodb; do
  log "building the $b baseline (bench/baselines/$b)"
  "$root/mvnw" -B -ntp -q -f "bench/baselines/$b/pom.xml" package -DskipTests > "$out/baseline-$b-build.log" 2>&1 \
    || { log "the $b baseline did not build; see target/bench/baseline-$b-build.log"; exit 1; }
  mkdir -p "$out/task-$b"
  (cd "$out/task-$b" && unzip -q "$root/bench/baselines/$b/target/function.zip")
  baseline_mb[$b]="$(stat -c %s "bench/baselines/$b/target/function.zip" | awk '{printf "%.2f", $1/1e6}')"
done

# ---- optional: the @QuarkusTest throughput benchmark (same JVM), on moto -----------------------------------------
if [[ "$THROUGHPUT" == 1 ]]; then
  note_load "JUnit throughput benchmark"
  log "running ./mvnw -Pbench test (cost 12; takes a few minutes)"
  ./mvnw -B -ntp -Pbench test '-D%test.auth.password.bcrypt-cost=12' \
    '-D%test.quarkus.log.category."com.example.shop".level=INFO' \
    -Dbench.logins="${BENCH_LOGINS:-200}" -Dbench.signups="${BENCH_SIGNUPS:-100}" \
    -Dbench.concurrency="${BENCH_CONCURRENCY:-1}" > "$out/maven-bench.log" 2>&1 \
    || { log "the benchmark failed; see target/bench/maven-bench.log"; tail -40 "$out/maven-bench.log" >&2; exit 1; }
  grep '^BENCH ' "$out/maven-bench.log" | sed 's/^BENCH //'
fi

# ---- 1: cold starts under the RIE --------------------------------------------------------------------------------
note_load "cold starts"
log "cold starts under the RIE ($COLD_RUNS rounds of every configuration) + one JFR-recorded start of two"
"$python" bench/lambda_rie.py coldstart --ours "$out/task-ours" --bare "$out/task-bare" --dynamodb "$out/task-dynamodb" \
  --runs "$COLD_RUNS" --jfr-dir "$out" "${before_args[@]}" | sed 's/^BENCH //'

# ---- 2: per-route overhead ---------------------------------------------------------------------------------------
note_load "per-route overhead (template JVM options)"
log "per-route overhead, $ROUNDS rounds, JVM options as the template declares them"
"$python" bench/lambda_rie.py routes --ours "$out/task-ours" --bare "$out/task-bare" --rounds "$ROUNDS" | sed 's/^BENCH //'
note_load "per-route overhead (C1 + C2)"
log "per-route overhead, $ROUNDS rounds, without JAVA_TOOL_OPTIONS (C2 too)"
"$python" bench/lambda_rie.py routes --ours "$out/task-ours" --bare "$out/task-bare" --rounds "$ROUNDS" \
  --java-tool-options "" --report routes-c2.md | sed 's/^BENCH //'

# ---- 3: bcrypt and the cost of a login ---------------------------------------------------------------------------
note_load "bcrypt costs"
log "bcrypt at costs 10-13 and the cost model"
"$python" bench/lambda_rie.py bcrypt --ours "$out/task-ours" | sed 's/^BENCH //'

# ---- 4: size and RSS -------------------------------------------------------------------------------------------
note_load "RSS run"
log "RSS after $RSS_REQUESTS mixed requests under the RIE at -XX:MaxRAM=256m"
"$python" bench/lambda_rie.py rss --ours "$out/task-ours" --requests "$RSS_REQUESTS" --max-ram-mb 256 \
  --bcrypt-cost "$RSS_COST" | sed 's/^BENCH //'
log "the same without JAVA_TOOL_OPTIONS (C2 too), for the lever"
"$python" bench/lambda_rie.py rss --ours "$out/task-ours" --requests "$RSS_REQUESTS" --max-ram-mb 256 \
  --bcrypt-cost "$RSS_COST" --java-tool-options "" --report rss-c2.md | sed 's/^BENCH //'

log "function.zip size and the biggest jars"
"$python" - "$zip" "${baseline_mb[bare]}" "${baseline_mb[dynamodb]}" > "$out/size.md" <<'PY'
import sys, zipfile
zip_path, bare_mb, dynamodb_mb = sys.argv[1:4]
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
lines = [f"| `target/function.zip` size, every feature in (vs the DynamoDB baseline's) | {size:.2f} MB | {dynamodb_mb} MB | "
         f"{size / float(dynamodb_mb):.2f}× | ≤ 30 MB | {'met' if size <= 30 else '**missed**'} |", ""]
lines.append(f"- function.zip {size:.2f} MB compressed; {len(jars)} jars in lib/ ({total_jars:.1f} MB); the bare baseline's "
             f"{bare_mb} MB, the DynamoDB baseline's {dynamodb_mb} MB. Biggest jars:")
for s, n in jars[:12]:
    lines.append(f"  - {n} {s / 1e6:.2f} MB{' — ' + role(n) if role(n) else ''}")
oa = [(s, n) for s, n in jars if role(n).startswith("OpenAPI")]
lines.append("- OpenAPI extension jars in the package: " + (", ".join(f"{n} {s / 1e6:.2f} MB" for s, n in oa) if oa else
             "none (the contract is src/main/openapi/openapi.yaml; nothing in Lambda served it)"))
print("\n".join(lines))
PY
cat "$out/size.md"

# ---- evidence: where the time goes (JFR) -----------------------------------------------------------------------
{
  for f in coldstart-login-jwks coldstart-dynamodb login-c"${BENCH_CONCURRENCY:-1}"; do
    [[ -f "$out/$f.jfr" ]] || continue
    echo "- \`target/bench/$f.jfr\`:"
    "$python" bench/jfr_top.py "$out/$f.jfr" 2>/dev/null || echo "  - (jfr print failed)"
  done
} > "$out/jfr.md"

# ---- the headline: GET /me and refresh against their direct calls (rows of the template-options run) -------------
{
  echo "## \`GET /me\` and refresh against their direct calls"
  echo
  echo "The Lambda path (RIE) against the AWS calls the service makes for the route, made directly: \`GET /me\` one"
  echo "strongly consistent \`BatchGetItem\` of the session and its user; refresh the same read, one conditional"
  echo "\`UpdateItem\` of the session and one KMS \`Sign\`. Goal: \`GET /me\` ≤ 1.2× its direct calls, median and p99"
  echo "(met or missed as measured); refresh is reported. The template's JVM options; the C2 run is in the full table."
  echo
  echo "| measurement | ours | direct calls | ratio | goal | |"
  echo "|---|---|---|---|---|---|"
  grep -E '^\| `(GET /me|POST /token/refresh)`' "$out/routes.md" || echo "| (no per-route results) | | | | | |"
} > "$out/headline.md"

# ---- assemble ---------------------------------------------------------------------------------------------------
cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
parts=()
for f in coldstart routes routes-c2 bcrypt rss rss-c2 size throughput; do [[ -f "$out/$f.md" ]] && parts+=("$out/$f.md"); done
{
  echo "# Benchmark results"
  echo
  echo "Command: \`bench/run.sh\` (started $started; finished $(date -u '+%Y-%m-%d %H:%M UTC')). Machine: $(nproc) CPUs ($cpu),"
  echo "memory $(free -h | awk '/^Mem:/ {print $2 " total, " $7 " available"}'); $(java -version 2>&1 | head -1);"
  echo "moto $("$python" -c 'import moto; print(moto.__version__)') as DynamoDB, KMS and SES. Load average (1, 5, 15 min) before each phase:"
  for l in "${loads[@]}"; do echo "- $l"; done
  echo
  cat "$out/headline.md"
  echo
  echo "## All measurements"
  echo
  echo "| measurement | ours | baseline | ratio | goal | |"
  echo "|---|---|---|---|---|---|"
  cat "${parts[@]}" | grep '^|'
  echo
  echo "## Notes"
  echo
  cat "${parts[@]}" | grep -E '^(-|  -)'
  echo
  echo "## Where the CPU time goes (JFR, \`jdk.ExecutionSample\`)"
  echo
  cat "$out/jfr.md"
} > "$out/RESULTS.md"
cp "$out/RESULTS.md" bench/RESULTS.md
echo
cat bench/RESULTS.md
echo
cat "$out/headline.md"
