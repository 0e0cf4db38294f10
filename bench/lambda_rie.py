"""Cold starts and memory of packaged Lambda functions under the Runtime Interface Emulator (RIE), with moto.

Used by bench/run.sh; writes Markdown lines to target/bench/<name>.md and prints them. It runs the unpacked
function.zip the way scripts/invoke-local.sh does (the RIE from .tools/bin, the Java runtime interface client from
.tools/ric-*, the java21-style bootstrap `java -XX:MaxRAM=<m>m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 ... AWSLambda
<handler>`, the function's environment from template.yaml), but drives it itself, to time each cold start and read
/proc of the java process. Every process it starts runs in its own session and is stopped on exit.

  coldstart --ours TASKDIR --bare TASKDIR [--runs 5] [--bcrypt-cost 12] [--jfr-dir DIR]
  rss       --ours TASKDIR [--logins 1000] [--max-ram-mb 256] [--bcrypt-cost 10]
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
sys.path.insert(0, os.path.join(ROOT, "scripts"))
import cfn_table  # noqa: E402

RIE = os.path.join(ROOT, ".tools/bin/aws-lambda-rie")
RIC_MAIN = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda"
OUT = os.path.join(ROOT, "target/bench")
HZ = os.sysconf("SC_CLK_TCK")


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
        self.proc = subprocess.Popen([os.path.join(ROOT, ".venv/bin/python"), "scripts/local_aws.py", "--port", "0"],
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


def function_env(name, moto, cost):
    rendered = cfn_table.render_template(os.path.join(ROOT, "template.yaml"),
                                         {"DeploymentMode": "jvm", "PasswordBcryptCost": str(max(cost, 10))})
    defaults = rendered["Globals"].get("Function", {})
    own = rendered["Resources"][name].get("Properties", {})
    props = {**defaults, **own}
    variables = {**(defaults.get("Environment") or {}).get("Variables", {}),
                 **(own.get("Environment") or {}).get("Variables", {})}
    local = {"AUTH_USERS_TABLE": moto["tableName"], "AUTH_JWT_KMS_KEY_ID": moto["kmsKeyId"],
             "AUTH_MAIL_SENDER": moto["mailSender"]}
    env = {}
    for key, value in variables.items():
        value = local.get(key, value)
        env[key] = str(value).lower() if isinstance(value, bool) else str(value)
    env["AUTH_PASSWORD_BCRYPT_COST"] = str(cost)  # below the template's MinValue 10 only for experiments
    for client in ("DYNAMODB", "KMS", "SES"):
        env[f"QUARKUS_{client}_ENDPOINT_OVERRIDE"] = moto["endpoint"]
    env.update(AWS_REGION=moto["region"], AWS_DEFAULT_REGION=moto["region"], AWS_ACCESS_KEY_ID="local",
               AWS_SECRET_ACCESS_KEY="local", AWS_CONFIG_FILE="/dev/null", AWS_SHARED_CREDENTIALS_FILE="/dev/null")
    return props["Handler"], int(props.get("MemorySize", 128)), env


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
               "java", f"-XX:MaxRAM={max_ram_mb or memory_mb}m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
               *java_opts, "-cp", ric_classpath(), RIC_MAIN, handler]
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
        status = response.get("statusCode")
        if jfr_dump and pid:  # the recording started with the JVM: dump it while the process still runs
            subprocess.run(["jcmd", str(pid), "JFR.dump", f"filename={jfr_dump}"], capture_output=True, timeout=60)
        return {"java_to_response_ms": since_java, "invoke_to_response_ms": (t_resp - t_send) * 1000,
                "status": status, "rie_init_ms": fn.rie_init_ms()}
    finally:
        fn.stop()


def report(name, lines):
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name), "w") as f:
        f.write("\n".join(lines) + "\n")
    for line in lines:
        print("BENCH " + line, flush=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["coldstart", "rss"])
    parser.add_argument("--ours", required=True)
    parser.add_argument("--bare")
    parser.add_argument("--bare-label", default="bare quarkus-amazon-lambda-http app")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--logins", type=int, default=1000)
    parser.add_argument("--max-ram-mb", type=int, default=256)
    parser.add_argument("--bcrypt-cost", type=int, default=12)
    parser.add_argument("--jfr-dir")
    args = parser.parse_args()
    args.ours = os.path.abspath(args.ours)
    args.bare = args.bare and os.path.abspath(args.bare)
    args.jfr_dir = args.jfr_dir and os.path.abspath(args.jfr_dir)
    os.makedirs(OUT, exist_ok=True)
    ours_event = open(os.path.join(ROOT, "events/jwks.json"), "rb").read()
    moto = Moto()
    try:
        handler, memory, env = function_env("LoginFunction", moto.info, args.bcrypt_cost)
        if args.mode == "coldstart":
            bare_event = json.loads(ours_event)
            bare_event.update(routeKey="GET /hello", rawPath="/hello")
            bare_event["requestContext"].update(routeKey="GET /hello")
            bare_event["requestContext"]["http"]["path"] = "/hello"
            bare_event["headers"]["accept"] = "text/plain"
            bare_event = json.dumps(bare_event).encode()
            bare_env = {"AWS_REGION": moto.info["region"], "AWS_DEFAULT_REGION": moto.info["region"]}
            ours, bare = [], []
            for run in range(args.runs):  # alternate, so drift hits both alike
                ours.append(cold_start(args.ours, handler, memory, env, "LoginFunction", ours_event))
                bare.append(cold_start(args.bare, "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest",
                                       memory, bare_env, "BareFunction", bare_event))
            bad = [r["status"] for r in ours + bare if r["status"] != 200]
            o = statistics.median(r["java_to_response_ms"] for r in ours)
            b = statistics.median(r["java_to_response_ms"] for r in bare)
            oi = statistics.median(r["invoke_to_response_ms"] for r in ours)
            bi = statistics.median(r["invoke_to_response_ms"] for r in bare)
            ratio = o / b
            ii = statistics.median(r["rie_init_ms"] for r in ours)
            bb = statistics.median(r["rie_init_ms"] for r in bare)
            lines = [
                f"| cold start under the RIE: java process start → first response (Lambda init + first invoke), "
                f"median of {args.runs} | {o:.0f} ms | {b:.0f} ms | **{ratio:.2f}×** | ≤ 1.25× | "
                f"{'met' if ratio <= 1.25 else '**missed**'} |",
                f"| … invoke sent → response (includes the RIE starting java) | {oi:.0f} ms | {bi:.0f} ms | "
                f"{oi / bi:.2f}× | | |",
                f"| … of which Lambda init (the RIE's INIT REPORT: runtime start → ready for the event) | {ii:.0f} ms | "
                f"{bb:.0f} ms | {ii / bb:.2f}× | | |",
                "",
                f"- cold starts: ours = target/function.zip, LoginFunction environment from template.yaml "
                f"(MemorySize {memory} MB → -XX:MaxRAM={memory}m, `AUTH_PASSWORD_BCRYPT_COST={args.bcrypt_cost}`), first event "
                f"`GET /.well-known/jwks.json` (KMS GetPublicKey on moto); baseline = {args.bare_label}, first event "
                f"`GET /hello`. Alternating, {args.runs} each; all "
                f"{'200' if not bad else 'NOT 200: ' + str(bad)}. "
                "Per run (ms, java start → response): ours " + ", ".join("%.0f" % r["java_to_response_ms"] for r in ours)
                + "; baseline " + ", ".join("%.0f" % r["java_to_response_ms"] for r in bare) + ".",
            ]
            if args.jfr_dir:  # one extra, uncounted cold start of each, recorded by JFR for the evidence
                for label, task, h, e, ev in (
                        ("ours", args.ours, handler, env, ours_event),
                        ("bare", args.bare, "io.quarkus.amazon.lambda.runtime.QuarkusStreamHandler::handleRequest",
                         bare_env, bare_event)):
                    path = os.path.join(args.jfr_dir, f"coldstart-{label}.jfr")
                    cold_start(task, h, memory, e, "Jfr" + label, ev,
                               java_opts=("-XX:StartFlightRecording=settings=profile",), jfr_dump=path)
            report("coldstart.md", lines)
        else:
            fn = Function(args.ours, handler, memory, env, "LoginFunctionRss", max_ram_mb=args.max_ram_mb)
            try:
                signup = fn.invoke(open(os.path.join(ROOT, "events/signup.json"), "rb").read())
                login_event = open(os.path.join(ROOT, "events/login.json"), "rb").read()
                pid = fn.java_pid()
                statuses = {}
                samples = []
                t0 = time.monotonic()
                for i in range(args.logins):
                    status = fn.invoke(login_event).get("statusCode")
                    statuses[status] = statuses.get(status, 0) + 1
                    if i % 100 == 99:
                        samples.append(round(proc_status(pid, "VmRSS")["VmRSS"]))
                elapsed = time.monotonic() - t0
                mem = proc_status(pid, "VmRSS", "VmHWM")
            finally:
                fn.stop()
            rss = mem["VmRSS"]
            lines = [
                f"| RSS of the java process after {args.logins} logins under the RIE, -XX:MaxRAM={args.max_ram_mb}m "
                f"(VmRSS; peak VmHWM {mem['VmHWM']:.0f} MB) | {rss:.0f} MB | | | ≤ 200 MB | "
                f"{'met' if rss <= 200 else '**missed**'} |",
                "",
                f"- RSS run: LoginFunction environment, signup ({signup.get('statusCode')}) then {args.logins} "
                f"`events/login.json` in {elapsed:.0f} s (statuses {statuses}), bcrypt cost {args.bcrypt_cost}, "
                f"-XX:+UseSerialGC -XX:TieredStopAtLevel=1 as the java21 bootstrap of invoke-local.sh; "
                f"VmRSS every 100 logins (MB): {samples}.",
            ]
            report("rss.md", lines)
    finally:
        moto.stop()


if __name__ == "__main__":
    main()
