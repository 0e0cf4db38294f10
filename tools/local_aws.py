#!/usr/bin/env python3
"""Local AWS endpoint for tests and the local run: moto serving DynamoDB, KMS and SES over HTTP.

    .venv/bin/python tools/local_aws.py [--port N] [--template template.yaml]
        [--parameter KEY=VALUE ...] [--mail-sender ADDRESS] [--ignore-stdin] [--verbose]

Starts a moto server on 127.0.0.1 (port 0 = a free port), then provisions it:
  - the users table, from template.yaml's own table definition (tools/cfn_table.py);
  - an RSA_2048 SIGN_VERIFY KMS key with alias alias/ecommerce-users-jwt;
  - a symmetric ENCRYPT_DECRYPT KMS key with alias alias/ecommerce-users-totp (TOTP secrets);
  - the mail sender as a verified SES identity (SES v1 and SESv2 views).
Then prints ONE line of JSON to stdout:
  {"endpoint", "region", "kmsKeyId", "kmsKeyAlias", "totpKmsKeyId", "totpKmsKeyAlias", "tableName", "mailSender"}
and serves until SIGTERM/SIGINT/SIGHUP or until its stdin reaches EOF (so a parent process that
dies takes it down; pass --ignore-stdin when stdin is not a pipe held by a parent, e.g. when
started in the background from a shell, where stdin is /dev/null). Logs go to stderr only.

Sent emails can be read back over HTTP: GET {endpoint}/moto-api/data.json, then
["ses"]["Message"] (a list of {"id", "source", "subject", "body", "destinations"}).
"""
from __future__ import annotations

import argparse
import gc
import io
import json
import logging
import os
import signal
import sys
import threading
import time

_STARTED = time.monotonic()

REGION = "us-east-1"
KMS_KEY_ALIAS = "alias/ecommerce-users-jwt"
TOTP_KMS_KEY_ALIAS = "alias/ecommerce-users-totp"
DEFAULT_MAIL_SENDER = "no-reply@shop.example.com"

# Dummy credentials and region for boto3 (ours and moto's own), set before either is imported.
# Anything from the caller's environment that could point boto3 at a real account is removed.
for _name in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_CONFIG_FILE",
              "AWS_SHARED_CREDENTIALS_FILE", "AWS_ENDPOINT_URL"):
    os.environ.pop(_name, None)
os.environ.update({
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": REGION,
    "AWS_REGION": REGION,
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
})

TOOLS_DIR = os.path.dirname(os.path.abspath(__file__))
REPO_ROOT = os.path.dirname(TOOLS_DIR)

log = logging.getLogger("local_aws")


class SerialisedApp:
    """WSGI wrapper that lets exactly one request at a time into moto.

    moto's server is a threaded werkzeug server and nothing in moto serialises requests: the only
    locks (DomainDispatcherApplication.lock, core.base_backend.backend_lock) guard picking the
    Flask app and creating backends, not the request handling. DynamoDB TransactWriteItems
    (moto/dynamodb/models/__init__.py) reads each item, evaluates the condition, then writes, and
    on failure restores a deep copy of the whole table taken at its start; two threads can
    interleave there, so two `attribute_not_exists` puts could both win, and a rollback can
    erase another request's committed write (seen with moto's own ThreadedMotoServer: 9 of 500
    acknowledged transactional puts lost while failing transactions ran alongside; none with this
    lock, and 50 concurrent signups for one email give exactly one winner). Real DynamoDB
    conditional writes are linearizable,
    so every request runs inside one global lock here. The server stays threaded, so accepting
    connections and reading request bodies go on concurrently and one stalled client cannot
    block the others (as it would with threaded=False); only moto's work is serialised. The
    response body is collected inside the lock and written to the socket after it.
    """

    # moto keeps most of what its requests allocate (millions of objects after a long test run or benchmark), and
    # with the collector's defaults every full collection walks all of it again: pauses grew past a second, past the
    # service's 1.5 s SDK attempt timeout, so a request in flight failed for no reason of its own. So automatic full
    # collections are off (main), and every COLLECT_EVERY requests, inside the lock, one runs and freezes what
    # survives it (gc.freeze): later collections walk only what was allocated since, and pauses stay short.
    COLLECT_EVERY = 100

    def __init__(self, app):
        self._app = app
        self._lock = threading.Lock()
        self._served = 0

    def __call__(self, environ, start_response):
        # Read the request body before taking the lock, so a slow client cannot hold it.
        length = environ.get("CONTENT_LENGTH")
        if length and length.isdigit():
            environ["wsgi.input"] = io.BytesIO(environ["wsgi.input"].read(int(length)))
        with self._lock:
            self._served += 1
            if self._served % self.COLLECT_EVERY == 0:
                gc.collect()
                gc.freeze()
            try:
                result = self._app(environ, start_response)
            except NotImplementedError as e:
                # moto raises this for actions or features it lacks. Answer 501, which AWS SDKs
                # do not retry (a 500 would be retried with backoff), with the reason.
                log.warning("moto: not implemented: %s", e)
                body = json.dumps({"__type": "NotImplementedException", "message": str(e)}).encode()
                start_response("501 Not Implemented", [
                    ("Content-Type", "application/x-amz-json-1.0"),
                    ("x-amzn-ErrorType", "NotImplementedException"),
                    ("Content-Length", str(len(body))),
                ])
                return [body]
            try:
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
        return [body]


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--port", type=int, default=0, help="port on 127.0.0.1 (0 = a free one)")
    p.add_argument("--template", default=os.path.join(REPO_ROOT, "template.yaml"),
                   help="SAM/CloudFormation template holding the users table")
    p.add_argument("--parameter", action="append", default=[], metavar="KEY=VALUE",
                   help="template parameter override (repeatable)")
    p.add_argument("--mail-sender", default=DEFAULT_MAIL_SENDER,
                   help="SES email identity to verify")
    p.add_argument("--ignore-stdin", action="store_true",
                   help="do not stop when stdin reaches EOF")
    p.add_argument("--verbose", action="store_true", help="log every request to stderr")
    args = p.parse_args(argv)
    params = {}
    for item in args.parameter:
        key, sep, value = item.partition("=")
        if not sep or not key:
            p.error(f"--parameter expects KEY=VALUE, got {item!r}")
        params[key] = value
    args.parameters = params
    return args


def start_server(port):
    from werkzeug.serving import make_server
    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )

    app = SerialisedApp(DomainDispatcherApplication(create_backend_app))
    server = make_server("127.0.0.1", port, app, threaded=True,
                         request_handler=MotoRequestHandler)
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, name="moto-server", daemon=True).start()
    return server


def create_users_table(session, endpoint, template, parameters):
    from botocore.config import Config
    from botocore.exceptions import ClientError

    sys.path.insert(0, TOOLS_DIR)
    import cfn_table

    ddb = session.client("dynamodb", endpoint_url=endpoint,
                         config=Config(retries={"max_attempts": 1, "mode": "standard"}))
    rendered = cfn_table.render_users_table(template, parameters)
    kwargs = cfn_table.create_table_kwargs(rendered)
    ddb.create_table(**kwargs)
    table_name = kwargs["TableName"]
    for method, call_kwargs in cfn_table.post_create_calls(rendered):
        try:
            getattr(ddb, method)(**call_kwargs)
        except ClientError as e:
            if e.response.get("ResponseMetadata", {}).get("HTTPStatusCode") != 501:
                raise
            log.warning("skipped post-create call dynamodb.%s: moto does not implement it", method)
    return table_name


def create_signing_key(session, endpoint):
    kms = session.client("kms", endpoint_url=endpoint)
    key = kms.create_key(KeySpec="RSA_2048", KeyUsage="SIGN_VERIFY",
                         Description="ecommerce-users JWT signing key (local)")
    key_id = key["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=KMS_KEY_ALIAS, TargetKeyId=key_id)
    return key_id


def create_totp_key(session, endpoint):
    kms = session.client("kms", endpoint_url=endpoint)
    key = kms.create_key(KeySpec="SYMMETRIC_DEFAULT", KeyUsage="ENCRYPT_DECRYPT",
                         Description="ecommerce-users TOTP secret key (local)")
    key_id = key["KeyMetadata"]["KeyId"]
    kms.create_alias(AliasName=TOTP_KMS_KEY_ALIAS, TargetKeyId=key_id)
    return key_id


def verify_mail_sender(session, endpoint, sender):
    ses = session.client("ses", endpoint_url=endpoint)
    ses.verify_email_identity(EmailAddress=sender)
    # SES v1 answers VerificationStatus=Success for any identity moto knows. SESv2's
    # GetEmailIdentity reports VerifiedForSendingStatus from a flag that moto never sets
    # through its API, so set it on the in-process backend (this server is ours).
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    ses_backends[DEFAULT_ACCOUNT_ID][REGION].email_identities[sender].verified_for_sending_status = True


def watch_stdin(stop):
    try:
        while sys.stdin.buffer.read(65536):
            pass
    except (AttributeError, OSError, ValueError):  # no stdin at all counts as EOF
        pass
    log.info("stdin reached EOF; shutting down")
    stop.set()


def main(argv=None):
    args = parse_args(argv)
    young, middle, _ = gc.get_threshold()
    gc.set_threshold(young, middle, 1_000_000)  # no automatic full collection: SerialisedApp runs them
    logging.basicConfig(stream=sys.stderr, level=logging.WARNING,
                        format="%(name)s %(levelname)s: %(message)s")
    log.setLevel(logging.INFO)
    # werkzeug logs one line per request at INFO: only with --verbose.
    logging.getLogger("werkzeug").setLevel(logging.INFO if args.verbose else logging.WARNING)

    server = start_server(args.port)
    endpoint = f"http://127.0.0.1:{server.server_port}"

    import boto3

    session = boto3.session.Session(region_name=REGION)
    table_name = create_users_table(session, endpoint, args.template, args.parameters)
    key_id = create_signing_key(session, endpoint)
    totp_key_id = create_totp_key(session, endpoint)
    verify_mail_sender(session, endpoint, args.mail_sender)

    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, lambda signum, frame: stop.set())
    if not args.ignore_stdin:
        threading.Thread(target=watch_stdin, args=(stop,), name="stdin-watch", daemon=True).start()

    sys.stdout.write(json.dumps({
        "endpoint": endpoint,
        "region": REGION,
        "kmsKeyId": key_id,
        "kmsKeyAlias": KMS_KEY_ALIAS,
        "totpKmsKeyId": totp_key_id,
        "totpKmsKeyAlias": TOTP_KMS_KEY_ALIAS,
        "tableName": table_name,
        "mailSender": args.mail_sender,
    }) + "\n")
    sys.stdout.flush()
    log.info("ready at %s in %.2fs", endpoint, time.monotonic() - _STARTED)

    while not stop.wait(0.2):
        pass
    server.shutdown()
    log.info("stopped")
    return 0


if __name__ == "__main__":
    code = main()
    sys.stdout.flush()
    sys.stderr.flush()
    # Skip interpreter finalisation: tearing down moto's module state takes seconds, and a
    # caller waiting for this process to exit should not have to wait for it.
    os._exit(code)
