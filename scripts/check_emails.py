#!/usr/bin/env python3
"""Reports users whose stored email the service's email rule refuses or would spell differently.

    scripts/check_emails.py [--table ecommerce-users]

A one-off check after the email rule became strict (one spelling per mailbox: RFC 5321 dot-atom local part,
one @, the domain as a DNS host name in xn-- form; see docs/api.md "Input rules"). Users stored under the
old, looser rule may hold an email the rule now refuses (quoted strings, comments, brackets, ports, % routes,
invisible characters) or spells differently (a Unicode domain, now stored as its xn-- form): login, reset and
verification look an email up through the rule, so such a user cannot use that address. Nothing is changed:
this only reports, and an operator decides per user.

It runs the Java command com.example.shop.auth.importing.EmailCheck with the service's own rule and store, and
pages through the users-only email-index. Prints per user to fix "refused <userId> <masked email>: <reason>" or
"respelled <userId> <masked email> -> <masked new form>" (emails masked as in the audit log, characters outside
printable ASCII as \\uXXXX), then "checked <n> users, <m> to fix"; exits 1 when any user was reported, 0 when
none, 2 on bad arguments. AWS settings come from the environment as for any AWS SDK program
(AWS_ENDPOINT_URL=http://127.0.0.1:4566 for the local moto; AWS_REGION, or AWS_DEFAULT_REGION). The first run
compiles the project (./mvnw compile) if it has not been built.
"""
from import_users import run_java_command  # the same way into the project's Java commands

MAIN = "com.example.shop.auth.importing.EmailCheck"


def main() -> None:
    run_java_command(MAIN)


if __name__ == "__main__":
    main()
