#!/usr/bin/env python3
"""Imports existing users (bcrypt hashes) into the users table the way signup writes them.

    .venv/bin/python scripts/import_users.py [--table ecommerce-users] [FILE]    (FILE or stdin: JSON lines)

Each line: {"email": "...", "passwordHash": "$2a$12$...", "name": "...", "userId": optional UUID,
"createdAt": optional ISO-8601 instant}. For each user it writes, in ONE TransactWriteItems, the user item
(userId, normalised email, passwordHash, name, createdAt, updatedAt, failedLogins 0) and its email claim
`EMAIL#<email>` (ownerId, createdAt), each with attribute_not_exists(userId), exactly as signup does: the
user can log in with their old password, and nobody can sign up again with that email. A raw `put_item` of
a user (the specification's "Create User" example) writes no claim: that user cannot log in (login reads the
claim) and their email stays free for a second signup.

Rules checked before anything is written: the email as signup normalises it (trimmed, lower-cased, at most
254 characters, one @, a dot in the domain, no spaces or control characters), a name of 1-100 characters,
and a bcrypt hash `$2a$`/`$2b$`/`$2y$` with cost 04-31; `$2b$` and `$2y$` are stored as `$2a$` (the same
algorithm for passwords of at most 72 bytes, which is all the service accepts). Passwords are NFKC-normalised
before hashing by the service: a hash made elsewhere from a non-NFKC password will not match.

AWS settings come from the environment as for any boto3 program (AWS_ENDPOINT_URL=http://127.0.0.1:4566 for
the local moto). Prints one line per user: "imported <email> <userId>" or "skipped <email>: <reason>" (email
already claimed, userId taken, invalid input); exits 1 if any line was skipped, 2 on unreadable input.
Hashes are never printed.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
import uuid
from datetime import datetime, timezone

BCRYPT = re.compile(r"^\$2[aby]\$(0[4-9]|[12][0-9]|3[01])\$[./A-Za-z0-9]{53}$")
EMAIL_CLAIM_PREFIX = "EMAIL#"


def normalise_email(raw: str) -> str | None:
    if not isinstance(raw, str) or len(raw.strip()) > 254:
        return None
    email = raw.strip().lower()
    if email.count("@") != 1 or any(c.isspace() or unicodedata.category(c) == "Cc" for c in email):
        return None
    local, domain = email.split("@")
    if not local or "." not in domain or domain.startswith(".") or domain.endswith("."):
        return None
    return email


def normalise_name(raw: str) -> str | None:
    if not isinstance(raw, str):
        return None
    name = raw.strip()
    if not 1 <= len(name) <= 100 or any(unicodedata.category(c) == "Cc" for c in name):
        return None
    return name


def iso_instant(value: str | None) -> str | None:
    if value is None:
        return datetime.now(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    if parsed.tzinfo is None:
        return None
    return parsed.astimezone(timezone.utc).isoformat(timespec="microseconds").replace("+00:00", "Z")


def user_items(record: dict) -> tuple[dict, dict] | str:
    """The user item and its claim, or the reason the record cannot be imported."""
    email = normalise_email(record.get("email"))
    if email is None:
        return "invalid email"
    name = normalise_name(record.get("name"))
    if name is None:
        return "invalid name (1-100 characters, no control characters)"
    password_hash = record.get("passwordHash")
    if not isinstance(password_hash, str) or not BCRYPT.match(password_hash):
        return "passwordHash is not a bcrypt hash ($2a$/$2b$/$2y$, cost 04-31)"
    password_hash = "$2a$" + password_hash[4:]
    user_id = record.get("userId") or str(uuid.uuid4())
    try:
        user_id = str(uuid.UUID(user_id))
    except (TypeError, ValueError):
        return "userId is not a UUID"
    created = iso_instant(record.get("createdAt"))
    if created is None:
        return "createdAt is not an ISO-8601 instant with a zone"
    user = {"userId": {"S": user_id}, "email": {"S": email}, "passwordHash": {"S": password_hash},
            "name": {"S": name}, "createdAt": {"S": created}, "updatedAt": {"S": created},
            "failedLogins": {"N": "0"}}
    claim = {"userId": {"S": EMAIL_CLAIM_PREFIX + email}, "ownerId": {"S": user_id}, "createdAt": {"S": created}}
    return user, claim


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--table", default="ecommerce-users")
    p.add_argument("file", nargs="?", type=argparse.FileType("r", encoding="utf-8"), default=sys.stdin)
    args = p.parse_args(argv)

    import boto3
    from botocore.exceptions import ClientError

    ddb = boto3.client("dynamodb")
    skipped = 0
    for number, line in enumerate(args.file, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            print(f"import_users: line {number} is not JSON", file=sys.stderr)
            return 2
        items = user_items(record) if isinstance(record, dict) else "not a JSON object"
        label = str(record.get("email", f"line {number}")) if isinstance(record, dict) else f"line {number}"
        if isinstance(items, str):
            print(f"skipped {label}: {items}")
            skipped += 1
            continue
        user, claim = items
        try:
            ddb.transact_write_items(TransactItems=[
                {"Put": {"TableName": args.table, "Item": item,
                         "ConditionExpression": "attribute_not_exists(userId)"}}
                for item in (user, claim)])
        except ClientError as e:
            if e.response["Error"]["Code"] != "TransactionCanceledException":
                raise
            reasons = [r.get("Code") for r in e.response.get("CancellationReasons", [])]
            why = ("email already claimed" if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed"
                   else "userId already taken" if reasons and reasons[0] == "ConditionalCheckFailed"
                   else f"transaction cancelled ({reasons})")
            print(f"skipped {user['email']['S']}: {why}")
            skipped += 1
            continue
        print(f"imported {user['email']['S']} {user['userId']['S']}")
    return 1 if skipped else 0


if __name__ == "__main__":
    sys.exit(main())
