#!/usr/bin/env python3
"""Imports existing users (bcrypt hashes) into the users table the way signup writes them.

    scripts/import_users.py [--table ecommerce-users] [FILE]    (FILE or stdin: JSON lines)

Each line: {"email": "...", "passwordHash": "$2a$12$...", "name": "...", "userId": optional UUID,
"createdAt": optional ISO-8601 instant with a zone}. Each user is stored by the service's own store
(the Java command com.example.shop.auth.importing.UserImport, which this script runs): the user item and
its email claim in one transaction, exactly as signup does, so the user logs in with the old password and
nobody can sign up again with that email. The email and name follow signup's rules; the hash must be
bcrypt `$2a$`/`$2b$`/`$2y$` with cost 04-31 (`$2b$`/`$2y$` are stored as `$2a$`, the same algorithm for
passwords of at most 72 bytes, all the service accepts). Passwords are NFKC-normalised before hashing by the
service: a hash made elsewhere from a non-NFKC password will not match.

AWS settings come from the environment as for any AWS SDK program (AWS_ENDPOINT_URL=http://127.0.0.1:4566
for the local moto; AWS_REGION, or AWS_DEFAULT_REGION). Prints one line per user: "imported <email> <userId>"
or "skipped <email>: <reason>"; exits 1 if any line was skipped, 2 on unreadable input. Hashes are never
printed. The first run compiles the project (./mvnw compile) if it has not been built.
"""
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CLASSES = REPO / "target" / "classes"
CLASSPATH = REPO / "target" / "runtime-classpath.txt"  # written by the Maven build (pom.xml)
MAIN = "com.example.shop.auth.importing.UserImport"


def main() -> None:
    run_java_command(MAIN)


def run_java_command(main_class: str) -> None:
    """Runs a Java command of the project (a class with a main) with the script's arguments, compiling first."""
    if not (CLASSES / (main_class.replace(".", "/") + ".class")).exists() or not CLASSPATH.exists():
        subprocess.run([str(REPO / "mvnw"), "-q", "-B", "-ntp", "-DskipTests", "compile"], cwd=REPO, check=True,
                       stdout=sys.stderr)
    env = dict(os.environ)
    if "AWS_REGION" not in env and "AWS_DEFAULT_REGION" in env:
        env["AWS_REGION"] = env["AWS_DEFAULT_REGION"]
    classpath = os.pathsep.join([str(CLASSES), CLASSPATH.read_text(encoding="utf-8").strip()])
    os.execvpe("java", ["java", "-cp", classpath, main_class, *sys.argv[1:]], env)


if __name__ == "__main__":
    main()
