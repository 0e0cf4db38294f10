"""Cold starts, per-route overhead and memory of packaged Lambda functions under the Runtime Interface Emulator (RIE),
with moto as DynamoDB, KMS and SES (tools/local_aws.py).

Used by bench/run.sh; writes Markdown lines to target/bench/<name>.md and prints them. It runs an unpacked
function.zip the way scripts/invoke-local.sh does (the RIE from .tools/bin, the Java runtime interface client from
.tools/ric-*, the java21-style bootstrap `java -XX:MaxRAM=<m>m -XX:+UseSerialGC ... AWSLambda <handler>`, the
function's environment from template.yaml, JAVA_TOOL_OPTIONS included), but drives it itself, to time each cold start
and read /proc of the java process. Every process it starts runs in its own session and is stopped on exit.

  coldstart --ours TASKDIR --bare TASKDIR --dynamodb TASKDIR [--runs 5] [--jfr-dir DIR]
  routes    --ours TASKDIR --bare TASKDIR [--rounds 300]  (bench/RouteOverhead.java against three functions)
  bcrypt    --ours TASKDIR                       (bcrypt costs 10-13 in the function's JVM settings, and the cost model)
  rss       --ours TASKDIR [--requests 1000] [--max-ram-mb 256] [--bcrypt-cost 10]
"""
import argparse
import glob
import json
import re
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import cfn_table  # noqa: E402

RIE = os.path.join(ROOT, ".tools/bin/aws-lambda-rie")
RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
QUARKUS_HANDLER = "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest"
OUT = os.path.join(ROOT, "target/bench")
HZ = os.sysconf("SC_CLK_TCK")
CLIENTS = ("DYNAMODB", "KMS", "SES")
C1_ONLY = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def ric_classpath():
    jars = sorted(glob.glob(os.path.join(ROOT, ".tools/ric-*/lib/*.jar")))
    if not jars or not os.path.exists(RIE):
        sys.exit("lambda_rie: no RIE/RIC in .tools (bench/run.sh runs scripts/invoke-local.sh once to build them)")
    return ":".join(jars)


class Moto:
    def __init__(self):
        log = open(os.path.join(OUT, "moto-rie.log"), "ab")
        self.proc = subprocess.Popen([os.path.join(ROOT, ".venv/bin/python"), "tools/local_aws.py", "--port", "0"],
                                     cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log,
                                     start_new_session=True)
        self.info = json.loads(self.proc.stdout.readline())

    def stop(self):
        try:
            self.proc.stdin.close()
            self.proc.wait(timeout=10)
        except Exception:
            self.proc.terminate()
            self.proc.wait(timeout=10)


def aws_env(moto):
    """What Lambda sets for every function (region, the role's credentials), pointed at moto."""
    env = {f"QUARKUS_{client}_ENDPOINT_OVERRIDE": moto["endpoint"] for client in CLIENTS}
    env.update(AWS_REGION=moto["region"], AWS_DEFAULT_REGION=moto["region"], AWS_ACCESS_KEY_ID="local",
               AWS_SECRET_ACCESS_KEY="local", AWS_SESSION_TOKEN="local", AWS_CONFIG_FILE="/dev/null",
               AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    return env


def users_table_key():
    """The users table's partition key attribute, as template.yaml declares it (for the DynamoDB baseline's GetItem)."""
    rendered = cfn_table.render_template(os.path.join(ROOT, "template.yaml"), {"DeploymentMode": "jvm"})
    schema = rendered["Resources"]["UsersTable"]["Properties"]["KeySchema"]
    return next(k["AttributeName"] for k in schema if k["KeyType"] == "HASH")


def function_env(name, moto, cost, mode="jvm"):
    """Handler, memory and environment of a function as template.yaml declares them, pointed at moto."""
    rendered = cfn_table.render_template(os.path.join(ROOT, "template.yaml"),
                                         {"DeploymentMode": mode, "PasswordBcryptCost": str(max(cost, 10))})
    defaults = rendered["Globals"].get("Function", {})
    own = rendered["Resources"][name].get("Properties", {})
    props = {**defaults, **own}
    variables = {**(defaults.get("Environment") or {}).get("Variables", {}),
                 **(own.get("Environment") or {}).get("Variables", {})}
    local = {"AUTH_USERS_TABLE": moto["tableName"], "AUTH_JWT_KMS_KEY_ID": moto["kmsKeyId"],
             "AUTH_MFA_KMS_KEY_ID": moto["totpKmsKeyId"], "AUTH_MAIL_SENDER": moto["mailSender"],
             **{f"QUARKUS_{client}_AWS_REGION": moto["region"] for client in CLIENTS}}
    env = {}
    for key, value in variables.items():
        value = local.get(key, value)
        env[key] = str(value).lower() if isinstance(value, bool) else str(value)
    env["AUTH_PASSWORD_BCRYPT_COST"] = str(cost)  # below the template's MinValue 10 only for experiments
    # Every request comes from one address and for a few emails: budgets large enough that none is ever spent, so each
    # route does its whole work every round (the counters are still written, as in production).
    env.update({"AUTH_ABUSE_MAIL_PER_ADDRESS": "1000000", "AUTH_ABUSE_MAIL_REQUESTS_PER_IP": "1000000",
                "AUTH_ABUSE_LOGIN_FAILURES_PER_IP": "1000000"})
    env.update(aws_env(moto))
    return props.get("Handler", QUARKUS_HANDLER), int(props.get("MemorySize", 128)), env


class Function:
    """One execution environment: the RIE and, under it, java with the runtime interface client."""

    def __init__(self, task, handler, memory_mb, env, name, max_ram_mb=None, java_opts=()):
        self.port = free_port()
        api_port = free_port()
        base = {"PATH": "/usr/local/bin:/usr/bin:/bin", "LANG": "en_US.UTF-8", "TZ": ":UTC",
                "AWS_EXECUTION_ENV": "AWS_Lambda_java21", "AWS_LAMBDA_INITIALIZATION_TYPE": "on-demand",
                "AWS_LAMBDA_FUNCTION_NAME": name, "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(memory_mb),
                "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST", "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/" + name,
                "AWS_LAMBDA_LOG_STREAM_NAME": "local", "LAMBDA_TASK_ROOT": task, "_HANDLER": handler}
        base.update(env)
        self.log_path = os.path.join(OUT, f"rie-{name}.log")
        log = open(self.log_path, "ab")
        self.log_start = log.tell()
        cmd = [RIE, "--log-level", "info", "--runtime-interface-emulator-address", f"127.0.0.1:{self.port}",
               "--runtime-api-address", f"127.0.0.1:{api_port}",
               "java", f"-XX:MaxRAM={max_ram_mb or memory_mb}m", "-XX:+UseSerialGC", *java_opts, "-cp", ric_classpath(), RIC_MAIN, handler]
        self.proc = subprocess.Popen(cmd, cwd=task, env=base, stdin=subprocess.DEVNULL, stdout=log,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        self.url = f"http://127.0.0.1:{self.port}/2015-03-31/functions/function/invocations"
        for _ in range(200):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                if self.proc.poll() is not None:
                    raise RuntimeError("the RIE exited; see " + self.log_path)
                time.sleep(0.05)

    def java_pid(self):
        try:
            out = subprocess.run(["ps", "-o", "pid=,comm=", "--ppid", str(self.proc.pid)], capture_output=True,
                                 text=True).stdout
        except OSError:
            return None
        for row in out.strip().splitlines():
            pid, comm = row.split(None, 1)
            if comm.strip() == "java":
                return int(pid)
        return None

    def invoke(self, event_bytes, timeout=60):
        request = urllib.request.Request(self.url, data=event_bytes, headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.loads(response.read())

    def rie_init_ms(self):
        """The RIE's own INIT REPORT duration (runtime start → first /next call) of this session."""
        with open(self.log_path, "rb") as f:
            f.seek(self.log_start)
            found = re.findall(rb"INIT REPORT\(durationMs: ([0-9.]+)\)", f.read())
        return float(found[0]) if found else float("nan")

    def stop(self):
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)


def process_age_seconds(pid):
    """Seconds since the process started (from /proc, 1/HZ resolution)."""
    with open(f"/proc/{pid}/stat") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / HZ


def proc_status(pid, *keys):
    values = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in keys:
                values[key] = int(value.split()[0]) / 1024  # MB
    return values


def class_count(pid):
    """Classes loaded by the JVM so far (jstat -class)."""
    try:
        out = subprocess.run(["jstat", "-class", str(pid)], capture_output=True, text=True, timeout=30).stdout
        return int(out.splitlines()[1].split()[0])
    except (OSError, IndexError, ValueError, subprocess.TimeoutExpired):
        return -1


def cold_start(task, handler, memory, env, name, event, java_opts=(), jfr_dump=None):
    """ms from the java process's start to the first response, and the RIE's own numbers."""
    fn = Function(task, handler, memory, env, name, java_opts=java_opts)
    try:
        t_send = time.monotonic()
        response = fn.invoke(event)
        t_resp = time.monotonic()
        pid = fn.java_pid()
        age = process_age_seconds(pid) if pid else float("nan")
        # the java process started (age - (now - t_resp)) before the response
        since_java = (age - (time.monotonic() - t_resp)) * 1000
        classes = class_count(pid) if pid else -1
        if jfr_dump and pid:  # the recording started with the JVM: dump it while the process still runs
            subprocess.run(["jcmd", str(pid), "JFR.dump", f"filename={jfr_dump}"], capture_output=True, timeout=60)
        return {"java_to_response_ms": since_java, "invoke_to_response_ms": (t_resp - t_send) * 1000,
                "status": response.get("statusCode"), "rie_init_ms": fn.rie_init_ms(), "classes": classes}
    finally:
        fn.stop()


def report(name, lines):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        f.write("\n".join(lines) + "\n")
    for line in lines:
        print("BENCH " + line, flush=True)


def event(path, route=None, body=None, bearer=None):
    """An API Gateway v2 event from events/, with its route (and the fields that follow it), its JSON body or its
    bearer token replaced."""
    e = json.load(open(os.path.join(ROOT, "events", path)))
    if route:
        method, path_ = route.split(" ", 1)
        e.update(routeKey=route, rawPath=path_, body=None)
        e["requestContext"].update(routeKey=route)
        e["requestContext"]["http"].update(method=method, path=path_)
        e["headers"]["accept"] = "text/plain"
    if body is not None:
        e["body"] = json.dumps(body)
        e["headers"]["content-length"] = str(len(e["body"].encode()))
    if bearer:
        e["headers"]["authorization"] = "Bearer " + bearer
    return json.dumps(e).encode()


def fmt_runs(runs):
    return ", ".join("%.0f" % r["java_to_response_ms"] for r in runs)


def coldstart(args, moto):
    # the template rendered for jvm: what runs under the RIE
    login_handler, memory, ours_env = function_env("LoginFunction", moto.info, 12)
    # the lever: region and credentials source named (the RIE hands credentials over as variables, as Lambda does
    # for every function without SnapStart), so no client walks the default provider chains
    named_sdk = {**{f"QUARKUS_{c}_AWS_REGION": moto.info["region"] for c in CLIENTS},
                 **{f"QUARKUS_{c}_AWS_CREDENTIALS_TYPE": "env-variable" for c in CLIENTS}}
    base_env = aws_env(moto.info)
    base_env["BASELINE_TABLE"] = moto.info["tableName"]
    base_env["BASELINE_KEY"] = users_table_key()
    configs = {  # name: (task, handler, env, event, label)
        "bare": (args.bare, QUARKUS_HANDLER, base_env, event("jwks.json", route="GET /hello"),
                 "bare app (`bench/baselines/bare`), `GET /hello`"),
        "dynamodb": (args.dynamodb, QUARKUS_HANDLER, base_env, event("jwks.json", route="GET /item"),
                     "DynamoDB baseline (`bench/baselines/dynamodb`), `GET /item`: one `GetItem`"),
        "login-jwks": (args.ours, login_handler, ours_env, event("jwks.json"),
                       "Login, `GET /.well-known/jwks.json` (one KMS `GetPublicKey`)"),
        "lever-sdk-on": (args.ours, login_handler, {**ours_env, **named_sdk}, event("jwks.json"),
                         "… the same, SDK region and credentials provider named (`QUARKUS_<client>_AWS_REGION`, "
                         "`…_AWS_CREDENTIALS_TYPE=env-variable`)"),
        "lever-c1-off": (args.ours, login_handler, {k: v for k, v in ours_env.items() if k != "JAVA_TOOL_OPTIONS"},
                         event("jwks.json"), f"… the same, without `JAVA_TOOL_OPTIONS={C1_ONLY}` (C1 and C2)"),
    }
    firsts = {"SignupFunction": "signup.json", "LoginFunction": "login.json",
              "ResetFunction": "password-reset-request.json", "AccountFunction": "me.json"}
    for fn, path in firsts.items():
        handler, _, env = function_env(fn, moto.info, 12)
        env = {**env, "AUTH_RESET_MIN_RESPONSE_TIME": "PT0S"}
        configs[fn] = (args.ours, handler, env, event(path), f"{fn.replace('Function', '')}, `events/{path}`")
    if args.before:  # the password login as an earlier commit packaged it: what the code added since costs it
        handler, _, env = function_env("LoginFunction", moto.info, 12)
        configs["login-before"] = (args.before, handler, env, event("login.json"),
                                   f"Login, `events/login.json`, at `{args.before_label}`")
    runs = {name: [] for name in configs}
    for _ in range(args.runs):  # alternate, so drift hits all alike
        for name, (task, handler, env, ev, _label) in configs.items():
            runs[name].append(cold_start(task, handler, memory, env, name, ev))
    med = {name: statistics.median(r["java_to_response_ms"] for r in rs) for name, rs in runs.items()}
    init = {name: statistics.median(r["rie_init_ms"] for r in rs) for name, rs in runs.items()}
    classes = {name: statistics.median(r["classes"] for r in rs) for name, rs in runs.items()}
    statuses = {name: sorted({r["status"] for r in rs}) for name, rs in runs.items()}

    def row(name, base, goal=None, what=None, against=None):
        ratio = med[name] / med[base]
        verdict = "" if goal is None else ("met" if ratio <= goal else "**missed**")
        against = against or f" vs the {configs[base][4].split(',')[0]}"
        return (f"| cold start, {what or configs[name][4]}{against}: java start → first "
                f"response, median of {args.runs} | {med[name]:.0f} ms | {med[base]:.0f} ms | "
                f"{'**%.2f×**' % ratio if goal else '%.2f×' % ratio} | {'≤ %.2f×' % goal if goal else 'reported'} | {verdict} |")

    lines = [row("login-jwks", "dynamodb", 1.15),
             row("lever-c1-off", "dynamodb", what="Login, `GET /.well-known/jwks.json`, with the baseline's JVM options "
                 "(no JAVA_TOOL_OPTIONS)"),
             row("login-jwks", "bare"), row("dynamodb", "bare")]
    for fn in firsts:
        lines.append(row(fn, "dynamodb"))
    if args.before:
        lines.append(row("LoginFunction", "login-before", 1.10,
                         what=f"Login, `events/login.json` (password login), this tree", against=f" vs `{args.before_label}`"))
    for on, off, what in (("lever-sdk-on", "login-jwks", "explicit SDK region + credentials provider (env variables)"),
                          ("login-jwks", "lever-c1-off", f"`JAVA_TOOL_OPTIONS={C1_ONLY}`")):
        ratio = med[on] / med[off]
        lines.append(f"| lever: {what}, Login `GET /.well-known/jwks.json` cold start, on vs off | {med[on]:.0f} ms "
                     f"| {med[off]:.0f} ms | {ratio:.2f}× | < 1 helps | {'helps' if ratio < 1 else 'no gain'} |")
    lines.append("")
    lines.append(f"- cold starts under the RIE, {args.runs} rounds, each round every configuration once in turn; java start → "
                 f"first response (ms, median), of which init (the RIE's INIT REPORT: runtime start → ready for the event), "
                 f"classes loaded at the response (jstat), statuses. Every configuration at MemorySize {memory} MB "
                 f"(-XX:MaxRAM={memory}m -XX:+UseSerialGC, as Lambda's java21 runtime), moto for every AWS call, bcrypt cost 12, "
                 "reset padding off:")
    for name, (_t, _h, env, _e, label) in configs.items():
        lines.append(f"  - {label}: {med[name]:.0f} (init {init[name]:.0f}, first invoke {med[name] - init[name]:.0f}); "
                     f"{classes[name]:.0f} classes; statuses {statuses[name]}; runs {fmt_runs(runs[name])}"
                     + (f"; JAVA_TOOL_OPTIONS `{env['JAVA_TOOL_OPTIONS']}`" if "JAVA_TOOL_OPTIONS" in env else "; no JAVA_TOOL_OPTIONS"))
    if args.jfr_dir:  # one extra, uncounted cold start of each, recorded by JFR and with a class-load log
        for name in ("login-jwks", "dynamodb"):
            task, handler, env, ev, _label = configs[name]
            jfr = os.path.join(args.jfr_dir, f"coldstart-{name}.jfr")
            classlog = os.path.join(args.jfr_dir, f"coldstart-{name}-classes.log")
            cold_start(task, handler, memory, env, "Jfr" + name, ev, jfr_dump=jfr,
                       java_opts=("-XX:StartFlightRecording=settings=profile", f"-Xlog:class+load=info:file={classlog}"))
            lines.append(f"  - {configs[name][4]}, classes loaded by the first response, by origin: "
                         + classes_by_origin(classlog))
    report("coldstart.md", lines)


ORIGINS = (("AWS SDK DynamoDB client", "software.amazon.awssdk.services.dynamodb"),
           ("AWS SDK KMS client", "software.amazon.awssdk.services.kms"),
           ("AWS SDK SES client", "software.amazon.awssdk.services.ses"),
           ("rest of the AWS SDK", "software.amazon.awssdk"), ("this service", "com.example"),
           ("Jackson", "com.fasterxml"), ("Quarkus", "io.quarkus"), ("Vert.x + Netty", ("io.vertx", "io.netty")),
           ("JDK", ("java.", "javax.", "jdk.", "sun.", "com.sun.")))


def classes_by_origin(path):
    counts = {label: 0 for label, _ in ORIGINS}
    total = 0
    try:
        for line in open(path):
            m = re.search(r"\] (\S+) source:", line)
            if not m:
                continue
            total += 1
            for label, prefix in ORIGINS:
                if m.group(1).startswith(prefix):
                    counts[label] += 1
                    break
    except OSError:
        return "(no class-load log)"
    return f"{total} in all; " + ", ".join(f"{label} {n}" for label, n in counts.items()) + \
        f", other {total - sum(counts.values())}"


def java_cmd(task, memory, env):
    """The driver JVM: the function's classes and jars (its task root and lib/, as Lambda's class path) and JVM settings
    (JAVA_TOOL_OPTIONS comes with env)."""
    return ["java", f"-XX:MaxRAM={memory}m", "-XX:+UseSerialGC", "-Dfile.encoding=UTF-8", "-Dsun.stdout.encoding=UTF-8",
            "-cp", task + os.pathsep + os.path.join(task, "lib", "*")], {"PATH": os.environ["PATH"], "LANG": "C.UTF-8", **env}


def routes(args, moto):
    fns = {}
    try:
        urls, envs = {}, {}
        for short, name in (("login", "LoginFunction"), ("account", "AccountFunction"), ("reset", "ResetFunction")):
            handler, memory, envs[short] = function_env(name, moto.info, args.bcrypt_cost)
            envs[short]["AUTH_RESET_MIN_RESPONSE_TIME"] = "PT0S"
            if args.java_tool_options is not None:
                envs[short]["JAVA_TOOL_OPTIONS"] = args.java_tool_options
            fns[short] = Function(args.ours, handler, memory, envs[short], name + "Routes")
            urls[short] = fns[short].url
        bare_env = {**aws_env(moto.info), "JAVA_TOOL_OPTIONS": envs["login"].get("JAVA_TOOL_OPTIONS", "")}
        fns["bare"] = Function(args.bare, QUARKUS_HANDLER, memory, bare_env, "BareRoutes")
        urls["bare"] = fns["bare"].url
        bare_event = os.path.join(OUT, "bare-hello-event.json")
        with open(bare_event, "wb") as f:
            f.write(event("jwks.json", route="GET /hello"))
        cmd, env = java_cmd(args.ours, memory, envs["login"])
        props = {"endpoint": moto.info["endpoint"], "region": moto.info["region"], "table": moto.info["tableName"],
                 "kmsKeyId": moto.info["kmsKeyId"], "sender": moto.info["mailSender"], "rounds": args.rounds,
                 "bcryptCost": args.bcrypt_cost, "events": os.path.join(ROOT, "events"),
                 "variant": (f"the template's JAVA_TOOL_OPTIONS `{envs['login'].get('JAVA_TOOL_OPTIONS', '')}`"
                             if args.java_tool_options is None else "no JAVA_TOOL_OPTIONS (C1 and C2)"),
                 "withGoal": str(args.java_tool_options is None).lower(),
                 "bareEvent": bare_event, **{f"{k}Url": v for k, v in urls.items()}}
        cmd += [f"-D{k}={v}" for k, v in props.items()] + [os.path.join(ROOT, "bench/RouteOverhead.java"), "routes"]
        out = subprocess.run(cmd, env=env, capture_output=True, text=True, encoding="utf-8", timeout=3600)
        if out.returncode != 0:
            sys.exit("RouteOverhead failed:\n" + out.stdout + out.stderr)
        lines = out.stdout.rstrip("\n").splitlines()
        lines.append(f"- per-route functions ({props['variant']}): Login, Account and Reset at their template MemorySize, each one "
                     "warm execution environment under the RIE; the direct calls run in a JVM with the Login function's "
                     "options and the same jars.")
        report(args.report or "routes.md", lines)
    finally:
        for fn in fns.values():
            fn.stop()


# us-east-1 list prices (USD), x86_64; see README "Cost per month"
PRICE_GB_S = 0.0000166667
PRICE_REQUEST = 0.20 / 1e6
PRICE_HTTP_API = 1.00 / 1e6
PRICE_KMS_SIGN = 0.03 / 1e4
PRICE_RRU = 0.125 / 1e6
PRICE_WRU = 0.625 / 1e6
FULL_VCPU_MB = 1769


def bcrypt_and_cost(args, moto):
    _, memory, env = function_env("LoginFunction", moto.info, 12)
    rows = {}
    for label, extra in ((f"JVM, C1 only (the template's `{C1_ONLY}`)", {"JAVA_TOOL_OPTIONS": C1_ONLY}),
                         ("JVM, C1 + C2", {"JAVA_TOOL_OPTIONS": ""})):
        cmd, e = java_cmd(args.ours, memory, {**env, **extra})
        out = subprocess.run(cmd + ["-DbcryptRuns=10", os.path.join(ROOT, "bench/RouteOverhead.java"), "bcrypt",
                                    "10", "11", "12", "13"], env=e, capture_output=True, text=True, timeout=1800)
        if out.returncode != 0:
            sys.exit("bcrypt timing failed:\n" + out.stderr)
        rows[label] = {int(c): (float(m), float(b)) for _, c, m, b in
                       (line.split() for line in out.stdout.splitlines() if line.startswith("bcrypt "))}
    lines = []
    for label, by_cost in rows.items():
        lines.append(f"| bcrypt verify, one full core of this machine, {label}: cost 10 / 11 / 12 / 13, median of 10 | "
                     + " / ".join(f"{by_cost[c][0]:.0f}" for c in (10, 11, 12, 13)) + " ms | | | | |")
    cost12 = rows[f"JVM, C1 only (the template's `{C1_ONLY}`)"][12][0] / 1000
    if args.other_ms is None:  # the per-route benchmark's login minus bcrypt, when it ran before
        try:
            found = re.search(r"`POST /login` minus one bcrypt.*?\| ([0-9.]+) ms \|", open(os.path.join(OUT, "routes.md")).read())
            args.other_ms = float(found.group(1))
        except (OSError, AttributeError):
            args.other_ms = 40.0
    other_s = args.other_ms / 1000
    lines.append("")
    lines.append(f"- cost model per 1M successful logins, bcrypt cost 12 at {cost12 * 1000:.0f} ms per full vCPU (this "
                 f"machine, C1 as the template's jvm mode; a native build is assumed no faster), plus {args.other_ms:.0f} ms for the AWS calls and the "
                 "handler (the per-route benchmark's login minus bcrypt, on moto; AWS answers faster). CPU scales with "
                 f"memory up to one vCPU at {FULL_VCPU_MB} MB; bcrypt is single-threaded, so more memory adds nothing. "
                 "Fixed per 1M: Lambda requests $0.20, HTTP API $1.00, KMS `Sign` $3.00, DynamoDB 2 consistent reads "
                 "$0.25 + a 2-item transaction 4 WRU $2.50 = $6.95.")
    fixed = 1e6 * (PRICE_REQUEST + PRICE_HTTP_API + PRICE_KMS_SIGN + 2 * PRICE_RRU + 4 * PRICE_WRU)
    for mb in (512, 1024, 1769):
        duration = cost12 * max(1.0, FULL_VCPU_MB / mb) + other_s
        gbs = mb / 1024 * duration * 1e6
        lines.append(f"  - {mb} MB: login ≈ {duration * 1000:.0f} ms; {gbs:,.0f} GB-s = ${gbs * PRICE_GB_S:.2f}; "
                     f"total ≈ ${gbs * PRICE_GB_S + fixed:.2f} per 1M logins")
    report("bcrypt.md", lines)


def rss(args, moto):
    handler, memory, env = function_env("LoginFunction", moto.info, args.bcrypt_cost)
    if args.java_tool_options is not None:
        env["JAVA_TOOL_OPTIONS"] = args.java_tool_options
    fn = Function(args.ours, handler, memory, env, "LoginFunctionRss", max_ram_mb=args.max_ram_mb)
    try:
        email = f"rss-{os.getpid()}@bench.example.com"
        password = "rss-" + os.urandom(18).hex()
        signup = fn.invoke(event("signup.json", body={"email": email, "password": password, "name": "Rss"}))
        pid = fn.java_pid()
        statuses, samples = {}, []
        refresh = access = None
        t0 = time.monotonic()
        for i in range(args.requests):
            kind = ("login", "refresh", "me")[i % 3]
            if kind == "login" or refresh is None:
                kind = "login"
                response = fn.invoke(event("login.json", body={"email": email, "password": password}))
            elif kind == "refresh":
                response = fn.invoke(event("token-refresh.json", body={"refreshToken": refresh}))
            else:
                response = fn.invoke(event("me.json", bearer=access))
            status = response.get("statusCode")
            statuses[f"{kind} {status}"] = statuses.get(f"{kind} {status}", 0) + 1
            if status == 200 and kind in ("login", "refresh"):
                body = json.loads(response["body"])
                refresh, access = body["refreshToken"], body["accessToken"]
            if i % 100 == 99:
                samples.append(round(proc_status(pid, "VmRSS")["VmRSS"]))
        elapsed = time.monotonic() - t0
        mem = proc_status(pid, "VmRSS", "VmHWM")
    finally:
        fn.stop()
    value = mem["VmRSS"]
    lines = [
        f"| RSS of the java process after {args.requests} mixed requests (login, refresh, `GET /me`) under the RIE, "
        f"-XX:MaxRAM={args.max_ram_mb}m, JAVA_TOOL_OPTIONS `{env.get('JAVA_TOOL_OPTIONS', '')}` (VmRSS; peak VmHWM "
        f"{mem['VmHWM']:.0f} MB) | {value:.0f} MB | | | "
        + (f"≤ 200 MB | {'met' if value <= 200 else '**missed**'} |" if args.java_tool_options is None else "reported | |"),
        "",
        f"- RSS run: one execution environment with the LoginFunction environment serving all three routes (in AWS "
        f"they are two functions; one process holding both is the larger), signup ({signup.get('statusCode')}) then "
        f"{args.requests} requests in {elapsed:.0f} s (statuses {statuses}), bcrypt cost {args.bcrypt_cost}, "
        f"JAVA_TOOL_OPTIONS `{env.get('JAVA_TOOL_OPTIONS', '')}`; VmRSS every 100 requests (MB): {samples}.",
    ]
    report(args.report or "rss.md", lines)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["coldstart", "routes", "bcrypt", "rss"])
    parser.add_argument("--ours", required=True)
    parser.add_argument("--bare")
    parser.add_argument("--dynamodb")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=300)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--max-ram-mb", type=int, default=256)
    parser.add_argument("--bcrypt-cost", type=int, default=4)
    parser.add_argument("--other-ms", type=float,
                        help="bcrypt mode: ms of a login beyond bcrypt, for the cost model")
    parser.add_argument("--jfr-dir")
    parser.add_argument("--before", help="coldstart mode: an earlier commit's unpacked function.zip, for the password "
                        "login's cold start against it")
    parser.add_argument("--before-label", default="the earlier commit")
    parser.add_argument("--java-tool-options", help="routes and rss modes: JAVA_TOOL_OPTIONS instead of the template's")
    parser.add_argument("--report", help="routes and rss modes: the Markdown file's name in target/bench")
    args = parser.parse_args()
    for name in ("ours", "bare", "dynamodb", "jfr_dir", "before"):
        if getattr(args, name):
            setattr(args, name, os.path.abspath(getattr(args, name)))
    os.makedirs(OUT, exist_ok=True)
    moto = Moto()
    try:
        {"coldstart": coldstart, "routes": routes, "bcrypt": bcrypt_and_cost, "rss": rss}[args.mode](args, moto)
    finally:
        moto.stop()


if __name__ == "__main__":
    main()
