#!/usr/bin/env python3
"""The admin API from the command line: each request signed with AWS Signature Version 4 (botocore's SigV4Auth).

usage: .venv/bin/python scripts/admin.py (--stack NAME | --url URL) [--profile P] [--region R] COMMAND ...

  find EMAIL                          the account with this email (0 or 1)
  list [--limit N] [--cursor C] [--all]   users a page at a time (--all: every page, one JSON line per user)
  get USER_ID                         one account's summary
  disable USER_ID --reason TEXT       disable it and end every session
  enable USER_ID
  sign-out USER_ID                    end every session, on every device
  unlock USER_ID                      clear failed logins and any lockout
  password-reset USER_ID              email the customer a reset link
  remove-mfa USER_ID
  delete-passkey USER_ID PASSKEY_ID
  delete USER_ID --yes                delete the account and everything stored with it

The API's base URL comes from --url, $ADMIN_API_URL, or the stack's ApiUrl output (--stack, read with
CloudFormation). Credentials come from the usual AWS chain (--profile, environment, SSO, instance role); the
principal needs execute-api:Invoke on the admin routes (the stack's AdminRoutesArn output, docs/operations.md).
The Region is read from the execute-api host name, else from --region or the profile.

Against the local run (scripts/run-local.sh, --url http://localhost:8080) the dev-mode stand-in caller lets an
unsigned request through: with no AWS credentials the request is sent unsigned (--no-sign forces it).

Prints the response body (JSON) on stdout. Exit status: 0 for 2xx, 1 for an error answer (the problem on
stderr), 2 for bad arguments.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

USER_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
EXECUTE_API_HOST = re.compile(r"^[a-z0-9]+\.execute-api\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$")


def parse_args(argv):
    parser = argparse.ArgumentParser(prog="scripts/admin.py", description="The admin API, SigV4-signed.",
                                     formatter_class=argparse.RawDescriptionHelpFormatter,
                                     epilog=__doc__.split("\n\n", 2)[1])
    where = parser.add_mutually_exclusive_group()
    where.add_argument("--url", default=os.environ.get("ADMIN_API_URL"), help="base URL of the API")
    where.add_argument("--stack", help="CloudFormation stack whose ApiUrl output is the base URL")
    parser.add_argument("--profile", help="AWS profile (default: the usual credential chain)")
    parser.add_argument("--region", help="AWS Region (default: from the URL, else the profile's)")
    parser.add_argument("--no-sign", action="store_true", help="send unsigned (only the local dev run takes it)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser("find", help="the account with this email").add_argument("email")
    listing = commands.add_parser("list", help="users, a page at a time")
    listing.add_argument("--limit", type=int, default=None, help="users per page, 1-100 (default 50)")
    listing.add_argument("--cursor", help="nextCursor of the previous page")
    listing.add_argument("--all", action="store_true", help="follow nextCursor to the last page")
    for name, text in (("get", "one account's summary"), ("enable", "enable a disabled account"),
                       ("sign-out", "end every session"), ("unlock", "clear failed logins and any lockout"),
                       ("password-reset", "email a reset link"), ("remove-mfa", "remove second factors")):
        commands.add_parser(name, help=text).add_argument("user_id")
    disable = commands.add_parser("disable", help="disable the account and end every session")
    disable.add_argument("user_id")
    disable.add_argument("--reason", required=True, help="why (1-500 characters), kept with the account")
    passkey = commands.add_parser("delete-passkey", help="remove one passkey")
    passkey.add_argument("user_id")
    passkey.add_argument("passkey_id")
    delete = commands.add_parser("delete", help="delete the account and everything stored with it")
    delete.add_argument("user_id")
    delete.add_argument("--yes", action="store_true", help="really delete (required)")

    args = parser.parse_args(argv)
    if getattr(args, "user_id", None) is not None and not USER_ID.match(args.user_id):
        parser.error(f"{args.user_id!r} is not a user id (a lower-case UUID)")
    if args.command == "delete" and not args.yes:
        parser.error("delete needs --yes: the account and everything stored with it are gone for good")
    if args.command == "list" and args.limit is not None and not 1 <= args.limit <= 100:
        parser.error("--limit must be between 1 and 100")
    return parser, args


def request_for(args) -> tuple[str, str, dict | None, dict]:
    """(method, path, JSON body or None, query) of the command."""
    user = f"/admin/users/{urllib.parse.quote(getattr(args, 'user_id', '') or '', safe='')}"
    if args.command == "find":
        return "GET", "/admin/users", None, {"email": args.email}
    if args.command == "list":
        query = {}
        if args.limit is not None:
            query["limit"] = str(args.limit)
        if args.cursor:
            query["cursor"] = args.cursor
        return "GET", "/admin/users", None, query
    if args.command == "get":
        return "GET", user, None, {}
    if args.command == "disable":
        return "POST", f"{user}/disable", {"reason": args.reason}, {}
    if args.command in ("enable", "sign-out", "unlock", "password-reset"):
        return "POST", f"{user}/{args.command}", None, {}
    if args.command == "remove-mfa":
        return "DELETE", f"{user}/mfa", None, {}
    if args.command == "delete-passkey":
        return "DELETE", f"{user}/passkeys/{urllib.parse.quote(args.passkey_id, safe='')}", None, {}
    if args.command == "delete":
        return "DELETE", user, None, {}
    raise AssertionError(args.command)


class Client:
    def __init__(self, base_url: str, session, region: str | None, sign: bool):
        self.base = base_url.rstrip("/")
        self.session = session
        self.region = region
        self.sign = sign

    def call(self, method: str, path: str, body: dict | None, query: dict) -> tuple[int, str]:
        url = self.base + path + (("?" + urllib.parse.urlencode(query)) if query else "")
        data = json.dumps(body).encode() if body is not None else None
        headers = {"Accept": "application/json"}
        if data is not None:
            headers["Content-Type"] = "application/json"
        if self.sign:
            headers = self._signed_headers(method, url, data, headers)
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode()

    def _signed_headers(self, method: str, url: str, data: bytes | None, headers: dict) -> dict:
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest

        credentials = self.session.get_credentials().get_frozen_credentials()
        aws_request = AWSRequest(method=method, url=url, data=data or b"", headers=headers)
        SigV4Auth(credentials, "execute-api", self.region).add_auth(aws_request)
        return dict(aws_request.headers.items())


def base_url(args, session) -> str:
    if args.url:
        return args.url
    if not args.stack:
        raise SystemExit("scripts/admin.py: give --stack NAME, --url URL or set ADMIN_API_URL")
    stack = session.client("cloudformation").describe_stacks(StackName=args.stack)["Stacks"][0]
    for output in stack.get("Outputs", []):
        if output["OutputKey"] == "ApiUrl":
            return output["OutputValue"]
    raise SystemExit(f"scripts/admin.py: stack {args.stack} has no ApiUrl output")


def main(argv=None) -> int:
    _, args = parse_args(argv if argv is not None else sys.argv[1:])
    import boto3

    session = boto3.Session(profile_name=args.profile, region_name=args.region)
    url = base_url(args, session)
    host = urllib.parse.urlsplit(url).hostname or ""
    match = EXECUTE_API_HOST.match(host)
    region = match.group(1) if match else (args.region or session.region_name or "us-east-1")
    local = host in ("localhost", "127.0.0.1", "::1")
    sign = not args.no_sign and (not local or session.get_credentials() is not None)
    if not sign and not local:
        raise SystemExit("scripts/admin.py: only the local run takes an unsigned request")
    if sign and session.get_credentials() is None:
        raise SystemExit("scripts/admin.py: no AWS credentials (set a profile, or sign in with aws sso login)")
    client = Client(url, session, region, sign)

    method, path, body, query = request_for(args)
    while True:
        status, text = client.call(method, path, body, query)
        if status >= 400:
            sys.stderr.write(f"{method} {path}: HTTP {status}\n{text}\n")
            return 1
        if not (args.command == "list" and args.all):
            if text:
                print(text)
            return 0
        page = json.loads(text)
        for user in page["users"]:
            print(json.dumps(user, separators=(",", ":")))
        if not page.get("nextCursor"):
            return 0
        query = {**query, "cursor": page["nextCursor"]}


if __name__ == "__main__":
    sys.exit(main())
