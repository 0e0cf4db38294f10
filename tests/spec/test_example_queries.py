"""The specification's "Example Queries" (copied verbatim into example-queries.md beside this file), run as they are against the
local table: moto through tools/local_aws.py, the table created from template.yaml, and boto3 pointed at it
by the environment only (AWS_ENDPOINT_URL), as a user would run them. Then what they did to our data.
"""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SPEC = Path(__file__).resolve().parent / "example-queries.md"
PYTHON = sys.executable


def example_blocks() -> list[tuple[str, str]]:
    text = SPEC.read_text(encoding="utf-8")
    section = text.split("## Example Queries", 1)[1].split("\n## ", 1)[0]
    return [(m.group(1).strip(), m.group(2))
            for m in re.finditer(r"^### (.+?)\n+```python\n(.*?)```", section, re.S | re.M)]


@pytest.fixture(scope="module")
def moto():
    proc = subprocess.Popen([PYTHON, str(REPO / "tools" / "local_aws.py"), "--port", "0"], cwd=REPO,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    ready = json.loads(proc.stdout.readline())
    yield ready
    proc.stdin.close()
    proc.wait(timeout=30)


def aws_env(moto) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(AWS_ENDPOINT_URL=moto["endpoint"], AWS_DEFAULT_REGION=moto["region"],
               AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
               AWS_CONFIG_FILE=os.devnull, AWS_SHARED_CREDENTIALS_FILE=os.devnull)
    return env


def run(moto, code: str) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "-c", code], env=aws_env(moto), cwd=REPO, capture_output=True, text=True)


def scan(moto) -> dict:
    out = run(moto, "import boto3, json; print(json.dumps(boto3.resource('dynamodb')"
                    ".Table('ecommerce-users').scan()['Items'], default=str))")
    assert out.returncode == 0, out.stderr
    return {item["userId"]: item for item in json.loads(out.stdout)}


def test_the_example_queries_run_verbatim_and_what_they_leave_behind(moto):
    blocks = example_blocks()
    assert [title for title, _ in blocks] == [
        "Get User by ID", "Get User by Email (using GSI)", "Create User", "Update Password"]
    # One program, the blocks in the specification's order, unchanged; it prints what the reads returned.
    program = "\n".join(code for _, code in blocks) + (
        "\nimport json\nprint(json.dumps({'user': user, 'users': users}, default=str))\n")
    out = run(moto, program)
    assert out.returncode == 0, out.stderr
    reads = json.loads(out.stdout.strip().splitlines()[-1])
    assert reads == {"user": None, "users": []}  # both reads ran before "Create User"

    items = scan(moto)
    user = items["user-uuid"]
    assert user["passwordHash"] == "new-bcrypt-hash"  # "Update Password" changed it
    assert user["email"] == "user@example.com"
    # What the raw put_item does NOT write: the email claim that signup writes with the user (docs/design.md),
    # so this user cannot log in (login reads EMAIL#<email>) and the email is not reserved.
    assert "EMAIL#user@example.com" not in items
    # Its timestamps have no zone (datetime.utcnow().isoformat()), unlike the service's ISO-8601 instants.
    assert not user["createdAt"].endswith("Z")

    # The GSI query of the specification finds it, as the specification says.
    again = run(moto, "\n".join(code for title, code in blocks if title.startswith("Get User by ID"))
                + "\n" + "\n".join(code for title, code in blocks if "Email" in title)
                + "\nprint(len(users), user['userId'])")
    assert again.returncode == 0, again.stderr
    assert again.stdout.split() == ["1", "user-uuid"]


def test_import_script_writes_user_and_claim_together_and_refuses_a_taken_email(moto):
    hash_ = "$2b$12$" + "a" * 53
    lines = [
        {"email": "  Grace@Example.COM ", "passwordHash": hash_, "name": "Grace Hopper",
         "createdAt": "2020-01-02T03:04:05Z"},
        {"email": "grace@example.com", "passwordHash": hash_, "name": "Grace Again"},
        {"email": "bob@example.com", "passwordHash": "plain-text", "name": "Bob"},
    ]
    proc = subprocess.run([PYTHON, str(REPO / "scripts" / "import_users.py")], env=aws_env(moto), cwd=REPO,
                          input="\n".join(json.dumps(x) for x in lines), capture_output=True, text=True)
    assert proc.returncode == 1, proc.stderr
    out = proc.stdout.splitlines()
    assert out[0].startswith("imported grace@example.com ")
    assert out[1] == "skipped grace@example.com: email already claimed"
    assert out[2].startswith("skipped bob@example.com: passwordHash is not a bcrypt hash")
    assert hash_ not in proc.stdout + proc.stderr  # hashes are never printed

    user_id = out[0].split()[2]
    items = scan(moto)
    assert items["EMAIL#grace@example.com"]["ownerId"] == user_id
    user = items[user_id]
    assert user["passwordHash"] == "$2a$" + hash_[4:]
    assert user["createdAt"] == "2020-01-02T03:04:05Z"  # as the store writes every instant (ISO-8601, UTC)
    assert int(user["failedLogins"]) == 0
    assert "bob@example.com" not in json.dumps(items)
    assert sum(1 for item in items.values() if item.get("name") == "Grace Again") == 0
