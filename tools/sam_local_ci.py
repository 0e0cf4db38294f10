#!/usr/bin/env python3
"""The real SAM CLI against moto, as a user runs it: the Docker part of CI (tools/sam-local-ci.sh).

    .venv/bin/python tools/sam_local_ci.py [--steps build,invoke,api,package]

Needs a Docker daemon and the java21 stand-in image (tools/lambda-base-image.sh); the shell script
checks both and reports the steps as SKIPPED when they cannot run. Steps, each timed:
  build    `sam build --parameter-overrides DeploymentMode=jvm` (the Makefile; .aws-sam/build)
  invoke   `sam local invoke <Function> -e <event>` for every events/*.json, each sent to the function
           that owns its routeKey in template.yaml (AdminFunction for events/admin-*.json, whose IAM
           request context API Gateway's AWS_IAM authorizer would add); statusCode as in
           tools/check-events.sh's table, bodies checked (JSON fields per route, problem+json for errors);
           every function that owns a route gets at least one event
  api      `sam local start-api`, then over HTTP: signup -> login -> refresh (when the template has
           POST /token/refresh) -> JWKS (the access token's signature verified with it) -> reset request
           -> the link from moto's mailbox -> confirm -> login with the new password -> GET /me (when the
           template has it) with the access token
  stream   the table's real stream in moto after those steps (tools/stream_event.py), as the Lambda
           event, through `sam local invoke StreamAuditFunction`: one audit line per record, no secret
  package  `sam package` to a bucket in moto's S3; the uploaded artifact must be the application
Every AWS call (SAM's own sts:GetCallerIdentity and S3, the functions' DynamoDB/KMS/SES) goes to one moto
on 127.0.0.1 (AWS_ENDPOINT_URL for SAM, the env-vars file for the functions). Containers use the host
network through tools/sam_host_network.py (aws/aws-sam-cli#3609). Prints one line per check and a
closing 'N passed, N failed' line; exits 1 when a check failed.
"""
from __future__ import annotations

import argparse
import base64
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
import cfn_table  # noqa: E402

WORK = ROOT / "target" / "sam-local"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
SAM = [PYTHON, str(ROOT / "tools" / "sam_host_network.py")]
PARAMETERS = ["DeploymentMode=jvm", "PasswordBcryptCost=10", "EnableStreams=true"]
LOCAL = ["--parameter-overrides", *PARAMETERS, "--docker-network", "host", "--skip-pull-image"]
PASSWORD = "correct horse battery staple 42"
NEW_PASSWORD = "a brand new passphrase for ada 7"


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, ok: bool, what: str, detail: str = "") -> bool:
        if ok:
            self.passed += 1
            print(f"ok    {what}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL  {what}{': ' + detail if detail else ''}", flush=True)
        return ok


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def sam_env(endpoint: str) -> dict:
    # Nothing from the caller's AWS settings (profiles, real credentials) reaches SAM.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update({
        "AWS_ENDPOINT_URL": endpoint,  # SAM's own calls: sts:GetCallerIdentity, S3 for sam package
        "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1", "AWS_REGION": "us-east-1",
        "AWS_CONFIG_FILE": os.devnull, "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        "AWS_EC2_METADATA_DISABLED": "true", "SAM_CLI_TELEMETRY": "0",
    })
    return env


def start_moto():
    WORK.mkdir(parents=True, exist_ok=True)
    log = open(WORK / "moto.log", "w")
    proc = subprocess.Popen([PYTHON, str(ROOT / "tools" / "local_aws.py"), "--port", "0",
                             "--parameter", "EnableStreams=true"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, text=True)
    line = proc.stdout.readline()
    if not line:
        raise SystemExit("sam-local: moto did not start; see target/sam-local/moto.log")
    return proc, json.loads(line)


def write_env_vars(moto: dict) -> Path:
    # The shipped host-network file, pointed at this run's moto port.
    shipped = json.loads((ROOT / "local" / "env-vars.host-network.json").read_text())
    params = shipped["Parameters"]
    for key in list(params):
        if key.endswith("_ENDPOINT_OVERRIDE"):
            params[key] = moto["endpoint"]
    params["AUTH_USERS_TABLE"] = moto["tableName"]
    params["AUTH_JWT_KMS_KEY_ID"] = moto["kmsKeyAlias"]
    path = WORK / "env-vars.json"
    path.write_text(json.dumps(shipped, indent=2))
    return path


def routes_and_owners() -> dict:
    return cfn_table.route_owners(cfn_table.render_template(ROOT / "template.yaml", {"DeploymentMode": "jvm"}))


def expected_statuses() -> list[tuple[str, int]]:
    """The event -> statusCode table of tools/check-events.sh (one table for both emulations)."""
    text = (ROOT / "tools" / "check-events.sh").read_text()
    block = re.search(r"^expected=\((.*?)^\)", text, re.S | re.M).group(1)
    return [(m.group(1), int(m.group(2))) for m in re.finditer(r'"(events/\S+\.json) (\d{3})"', block)]


def header(response: dict, name: str) -> str:
    for key, value in (response.get("headers") or {}).items():
        if key.lower() == name.lower():
            return value
    return ""


def body_json(body: str | None):
    try:
        return json.loads(body) if body else None
    except ValueError:
        return None


# What a user sees in the body of each route's success; errors are checked the same way everywhere.
SUCCESS_FIELDS = {
    "POST /signup": ["userId", "email", "name", "createdAt"],
    "POST /login": ["accessToken", "tokenType", "expiresIn"],
    "POST /token/refresh": ["accessToken", "refreshToken"],
    "GET /.well-known/jwks.json": ["keys"],
    "GET /.well-known/openid-configuration": ["issuer", "jwks_uri"],
    "GET /me": ["userId", "email"],
    "GET /admin/users": ["users", "nextCursor"],
    "GET /admin/users/{userId}": ["userId", "email", "disabled", "sessions", "mfa"],
}


def body_problems(route: str, status: int, content_type: str, body: str | None) -> str:
    data = body_json(body)
    if status >= 400:
        if not content_type.startswith("application/problem+json"):
            return f"error without application/problem+json (Content-Type {content_type!r})"
        if not isinstance(data, dict) or data.get("status") != status or not data.get("title"):
            return f"problem body lacks status {status} or title: {body!r}"
        return ""
    if status == 204:
        return "" if not body else f"204 with a body: {body!r}"
    missing = [f for f in SUCCESS_FIELDS.get(route, []) if not isinstance(data, dict) or f not in data]
    if missing:
        return f"{route} body lacks {missing}: {body!r}"
    return ""


def step_build(rep: Report, env: dict) -> bool:
    t = time.monotonic()
    with open(WORK / "sam-build.log", "w") as log:
        rc = subprocess.run([*SAM, "build", "--parameter-overrides", *PARAMETERS], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT).returncode
    built = ROOT / ".aws-sam" / "build" / "template.yaml"
    ok = rep.check(rc == 0 and built.exists(), f"sam build (DeploymentMode=jvm) in {time.monotonic() - t:.1f}s",
                   f"exit {rc}; see target/sam-local/sam-build.log")
    if ok:
        codeuris = {name: r["Properties"].get("CodeUri")
                    for name, r in cfn_table.load_template(built)["Resources"].items()
                    if r.get("Type") == "AWS::Serverless::Function"}
        rep.check(all(v == name and (built.parent / name / "lib").is_dir() for name, v in codeuris.items()),
                  "built template: each function's CodeUri is its own built directory", str(codeuris))
    return ok


def step_invoke(rep: Report, env: dict, env_vars: Path) -> None:
    owners = routes_and_owners()
    table = expected_statuses()
    listed = {f for f, _ in table}
    for path in sorted(str(p.relative_to(ROOT)) for p in (ROOT / "events").glob("*.json")):
        rep.check(path in listed, f"{path} has an expected status in tools/check-events.sh")
    invoked = {owners.get(json.loads((ROOT / path).read_text()).get("routeKey", "")) for path, _ in table}
    for function in sorted(set(owners.values())):
        rep.check(function in invoked, f"{function} gets an event in the invoke step")
    for path, code in table:
        route = json.loads((ROOT / path).read_text()).get("routeKey", "")
        function = owners.get(route)
        if not rep.check(function is not None, f"{path}: {route!r} has a function in template.yaml"):
            continue
        t = time.monotonic()
        log = WORK / f"invoke-{Path(path).stem}.log"
        with open(log, "w") as err:
            proc = subprocess.run([*SAM, "local", "invoke", function, "-e", path, "--env-vars", str(env_vars),
                                   *LOCAL], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=err, text=True)
        elapsed = time.monotonic() - t
        lines = [ln for ln in proc.stdout.splitlines() if ln.strip().startswith("{")]
        response = body_json(lines[-1]) if lines else None
        if not isinstance(response, dict):
            rep.check(False, f"sam local invoke {function} -e {path}",
                      f"exit {proc.returncode}, no response; see {log.relative_to(ROOT)}")
            continue
        status = response.get("statusCode")
        problem = body_problems(route, status, header(response, "Content-Type"), response.get("body")) \
            if status == code else f"statusCode {status}, expected {code}"
        rep.check(not problem, f"sam local invoke {function} -e {path} -> {status} in {elapsed:.1f}s", problem)


def http(method: str, url: str, body: dict | None = None, token: str | None = None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(req, timeout=120) as resp:
            return resp.status, resp.headers.get("Content-Type", ""), resp.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode()


def b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify_rs256(token: str, jwks: dict) -> str:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    head, payload, signature = token.split(".")
    kid = json.loads(b64url(head)).get("kid")
    key = next((k for k in jwks.get("keys", []) if k.get("kid") == kid), None)
    if key is None:
        return f"no key {kid!r} in the JWKS"
    public = rsa.RSAPublicNumbers(int.from_bytes(b64url(key["e"]), "big"),
                                  int.from_bytes(b64url(key["n"]), "big")).public_key()
    try:
        public.verify(b64url(signature), f"{head}.{payload}".encode(), padding.PKCS1v15(), hashes.SHA256())
    except Exception as e:  # cryptography raises InvalidSignature
        return f"signature does not verify: {type(e).__name__}"
    return ""


def wait_for_api(base: str, proc: subprocess.Popen, seconds: int) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            with socket.create_connection(("127.0.0.1", int(base.rsplit(":", 1)[1])), timeout=1):
                return True
        except OSError:
            time.sleep(0.5)
    return False


def step_api(rep: Report, env: dict, env_vars: Path, moto: dict) -> None:
    routes = set(routes_and_owners())
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(WORK / "start-api.log", "w")
    t0 = time.monotonic()
    proc = subprocess.Popen([*SAM, "local", "start-api", "--host", "127.0.0.1", "--port", str(port),
                             "--env-vars", str(env_vars), "--warm-containers", "LAZY", *LOCAL],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        if not rep.check(wait_for_api(base, proc, 120), f"sam local start-api listening on {base}",
                         "see target/sam-local/start-api.log"):
            return
        email = f"ada.flow.{int(time.time())}@example.com"

        def step(what, method, path, body=None, token=None, expect=200):
            t = time.monotonic()
            status, ctype, text = http(method, base + path, body, token)
            problem = body_problems(f"{method} {path.split('?')[0]}", status, ctype, text) \
                if status == expect else f"status {status}, expected {expect}: {text[:300]}"
            rep.check(not problem, f"start-api {what}: {method} {path} -> {status} in {time.monotonic() - t:.1f}s",
                      problem)
            return body_json(text) if not problem else None

        step("signup", "POST", "/signup", {"email": email, "password": PASSWORD, "name": "Ada Flow"}, expect=201)
        tokens = step("login", "POST", "/login", {"email": email, "password": PASSWORD})
        if tokens and "POST /token/refresh" in routes:
            refreshed = step("refresh", "POST", "/token/refresh", {"refreshToken": tokens.get("refreshToken")})
            if refreshed:
                rep.check(refreshed.get("refreshToken") != tokens.get("refreshToken"),
                          "start-api refresh: a new refresh token")
                tokens = refreshed
        jwks = step("JWKS", "GET", "/.well-known/jwks.json")
        if tokens and jwks:
            problem = verify_rs256(tokens["accessToken"], jwks)
            rep.check(not problem, "start-api access token verifies with the JWKS (RS256)", problem)
        step("reset request", "POST", "/password-reset", {"email": email}, expect=202)
        token = reset_token_from_mailbox(moto["endpoint"], email)
        if rep.check(token is not None, "start-api reset link found in moto's mailbox (ses.Message)"):
            step("reset confirm", "POST", "/password-reset/confirm", {"token": token, "newPassword": NEW_PASSWORD},
                 expect=204)
            step("old password refused", "POST", "/login", {"email": email, "password": PASSWORD}, expect=401)
            tokens = step("login with the new password", "POST", "/login",
                          {"email": email, "password": NEW_PASSWORD}) or tokens
        if "GET /me" in routes and tokens:
            me = step("GET /me", "GET", "/me", token=tokens.get("accessToken"))
            if me:
                rep.check(me.get("email") == email, "start-api GET /me is the signed-up user", str(me))
        rep.check(True, f"start-api flow finished in {time.monotonic() - t0:.1f}s (with the start)")
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait()
        log.close()


def reset_token_from_mailbox(endpoint: str, email: str) -> str | None:
    for _ in range(20):
        with urllib.request.urlopen(f"{endpoint}/moto-api/data.json", timeout=10) as resp:
            messages = json.load(resp).get("ses", {}).get("Message", [])
        for m in reversed(messages):
            if email in json.dumps(m.get("destinations")):
                found = re.search(r"[?&]token=([A-Za-z0-9_-]+)", m.get("body", ""))
                if found:
                    return urllib.parse.unquote(found.group(1))
        time.sleep(0.5)
    return None


def step_stream(rep: Report, env: dict, env_vars: Path) -> None:
    event_path = WORK / "stream-event.json"
    with open(event_path, "w") as out:
        rc = subprocess.run([PYTHON, str(ROOT / "tools" / "stream_event.py")], cwd=ROOT, env=env,
                            stdout=out).returncode
    event = json.loads(event_path.read_text()) if rc == 0 else {}
    records = event.get("Records", [])
    if not rep.check(rc == 0 and records, f"the table's stream in moto holds {len(records)} records"):
        return
    t = time.monotonic()
    proc = subprocess.run([*SAM, "local", "invoke", "StreamAuditFunction", "-e", str(event_path),
                           "--env-vars", str(env_vars), *LOCAL], cwd=ROOT, env=env, capture_output=True, text=True)
    (WORK / "invoke-stream-audit.log").write_text(proc.stderr)
    lines = [json.loads(ln) for ln in proc.stderr.splitlines() if ln.startswith('{"audit":"table_change"')]
    response = [ln for ln in proc.stdout.splitlines() if ln.strip().startswith("{")]
    rep.check(proc.returncode == 0 and response and json.loads(response[-1]) == {"audited": len(records)}
              and len(lines) == len(records),
              f"sam local invoke StreamAuditFunction -e <{len(records)} stream records> -> "
              f"{len(lines)} audit lines in {time.monotonic() - t:.1f}s",
              f"exit {proc.returncode}, response {response[-1:]}; see target/sam-local/invoke-stream-audit.log")
    # every secret the records carry, found by its shape rather than by attribute name (the layout is the
    # store's): bcrypt hashes, and SHA-256 hex digests (token hashes, in attributes and in token items' keys)
    text = event_path.read_text()
    secrets = set(re.findall(r'\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}', text)) | set(re.findall(r'\b[0-9a-f]{64}\b', text))
    shown = json.dumps(lines)
    rep.check(secrets and not any(x in shown for x in secrets),
              f"audit lines show none of the {len(secrets)} hashes and tokens in those records")
    kinds = {ln["kind"] for ln in lines}
    rep.check({"user", "email_claim", "reset_token"} <= kinds, f"audit lines cover the kinds of item {sorted(kinds)}")


def step_package(rep: Report, env: dict, moto: dict) -> None:
    import boto3

    s3 = boto3.client("s3", endpoint_url=moto["endpoint"], region_name="us-east-1",
                      aws_access_key_id="testing", aws_secret_access_key="testing")
    bucket = "sam-package-local"
    s3.create_bucket(Bucket=bucket)
    out = WORK / "packaged.yaml"
    t = time.monotonic()
    with open(WORK / "sam-package.log", "w") as log:
        rc = subprocess.run([*SAM, "package", "--s3-bucket", bucket, "--output-template-file", str(out)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT).returncode
    if not rep.check(rc == 0, f"sam package to moto's S3 in {time.monotonic() - t:.1f}s",
                     f"exit {rc}; see target/sam-local/sam-package.log"):
        return
    packaged = cfn_table.load_template(out)["Resources"]
    uris = {r["Properties"].get("CodeUri") for r in packaged.values() if r.get("Type") == "AWS::Serverless::Function"}
    rep.check(all(isinstance(u, str) and u.startswith(f"s3://{bucket}/") for u in uris),
              "packaged template: every CodeUri is in the bucket", str(uris))
    for uri in sorted(u for u in uris if isinstance(u, str) and u.startswith("s3://")):
        key = uri.split("/", 3)[3]
        local = WORK / "artifact.zip"
        s3.download_file(bucket, key, str(local))
        with zipfile.ZipFile(local) as z:
            names = set(z.namelist())
        app = "bootstrap" in names or (
            "io/quarkus/runtime/generated/Config.class" in names
            and any(n.startswith("com/example/shop/auth/") for n in names)
            and any(n.startswith("lib/") for n in names))
        rep.check(app, f"uploaded {key} is the application ({len(names)} entries, "
                       f"{'bootstrap' if 'bootstrap' in names else 'Quarkus JVM classes + lib/'})")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--steps", default="build,invoke,api,stream,package")
    steps = p.parse_args().steps.split(",")
    rep = Report()
    moto_proc, moto = start_moto()
    try:
        env = sam_env(moto["endpoint"])
        env_vars = write_env_vars(moto)
        built = step_build(rep, env) if "build" in steps else True
        if not built:
            print("FAIL  later steps not run: sam build failed")
        else:
            if "invoke" in steps:
                step_invoke(rep, env, env_vars)
            if "api" in steps:
                step_api(rep, env, env_vars, moto)
            if "stream" in steps:
                step_stream(rep, env, env_vars)
            if "package" in steps:
                step_package(rep, env, moto)
    finally:
        moto_proc.stdin.close()
        try:
            moto_proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            moto_proc.terminate()
            moto_proc.wait()
    print(f"sam-local: {rep.passed} passed, {rep.failed} failed")
    return 1 if rep.failed or not built else 0


if __name__ == "__main__":
    sys.exit(main())
