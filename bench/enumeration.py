#!/usr/bin/env python3
"""Account-enumeration timing check against a running service (see bench/README.md).

Measures two pairs of requests that must not tell whether an email is registered, interleaved A, B, A, B so
drift (JIT, GC, moto's growing tables) hits both sides alike:

  1. POST /login     unknown email          vs  registered email with a wrong password
  2. POST /password-reset  unknown email    vs  registered email
  3. POST /email-verification  unknown email  vs  registered, unverified email (a new link is sent)

and prints, per case, the median and p90 response time, the ratio of the pair's medians, the statuses seen and
whether every body of both cases is byte-identical. Exit status 1 when a pair's statuses or bodies differ or its
medians are more than --tolerance apart.

Setup creates --accounts accounts through POST /signup with random strong passwords (kept in memory only, never
printed). Wrong-password logins rotate over them, and an account that reaches --max-failures consecutive
failures is logged into successfully (untimed) before it is used again, so none is ever locked (the service
locks from the 5th).

Standard library plus requests only.
"""
from __future__ import annotations

import argparse
import itertools
import secrets
import statistics
import sys
import time
from dataclasses import dataclass, field

import requests

JSON = {"Content-Type": "application/json"}


@dataclass
class Case:
    name: str
    times_ms: list[float] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    bodies: set[bytes] = field(default_factory=set)

    def record(self, elapsed_s: float, response: requests.Response) -> None:
        self.times_ms.append(elapsed_s * 1000.0)
        self.statuses[response.status_code] = self.statuses.get(response.status_code, 0) + 1
        self.bodies.add(response.content)

    def median(self) -> float:
        return statistics.median(self.times_ms)

    def p90(self) -> float:
        return statistics.quantiles(self.times_ms, n=10, method="inclusive")[8]

    def status_text(self) -> str:
        return ", ".join(f"{code}×{count}" for code, count in sorted(self.statuses.items()))


@dataclass
class Account:
    email: str
    password: str
    consecutive_failures: int = 0


class Bench:
    def __init__(self, base_url: str, timeout: float, max_failures: int):
        self.base = base_url.rstrip("/")
        self.timeout = timeout
        self.max_failures = max_failures
        self.session = requests.Session()
        self.run_id = secrets.token_hex(4)

    def post(self, path: str, body: dict) -> tuple[float, requests.Response]:
        started = time.perf_counter()
        response = self.session.post(self.base + path, json=body, headers=JSON, timeout=self.timeout)
        _ = response.content  # the whole body is part of the measured time
        return time.perf_counter() - started, response

    def unknown_email(self) -> str:
        return f"nobody-{self.run_id}-{secrets.token_hex(6)}@example.com"

    @staticmethod
    def random_password() -> str:
        # 32 URL-safe characters (192 bits): long enough, ASCII so well under 72 bytes, never a common password.
        return secrets.token_urlsafe(24)

    def create_accounts(self, count: int) -> list[Account]:
        accounts = []
        for i in range(count):
            account = Account(f"bench-{self.run_id}-{i:03d}@example.com", self.random_password())
            _, response = self.post("/signup", {"email": account.email, "password": account.password,
                                                "name": f"Bench {i}"})
            if response.status_code != 201:
                sys.exit(f"setup: signup {i} answered {response.status_code}: {response.text[:200]}")
            accounts.append(account)
        return accounts

    def reset_failures(self, account: Account) -> None:
        """Untimed successful login: clears the account's consecutive-failure count."""
        _, response = self.post("/login", {"email": account.email, "password": account.password})
        if response.status_code != 200:
            sys.exit(f"setup: successful login for {account.email} answered {response.status_code}")
        account.consecutive_failures = 0

    def login_wrong_password(self, account: Account) -> tuple[float, requests.Response]:
        if account.consecutive_failures >= self.max_failures:
            self.reset_failures(account)
        result = self.post("/login", {"email": account.email, "password": self.random_password()})
        account.consecutive_failures += 1
        return result

    def login_unknown(self) -> tuple[float, requests.Response]:
        return self.post("/login", {"email": self.unknown_email(), "password": self.random_password()})

    def reset_unknown(self) -> tuple[float, requests.Response]:
        return self.post("/password-reset", {"email": self.unknown_email()})

    def reset_known(self, account: Account) -> tuple[float, requests.Response]:
        return self.post("/password-reset", {"email": account.email})

    def resend_unknown(self) -> tuple[float, requests.Response]:
        return self.post("/email-verification", {"email": self.unknown_email()})

    def resend_known(self, account: Account) -> tuple[float, requests.Response]:
        return self.post("/email-verification", {"email": account.email})


def run_pair(n: int, warmup: int, first, second) -> tuple[Case, Case]:
    """Alternates first(), second() n times each (after `warmup` untimed rounds) and records both."""
    a, b = Case(first.__name__), Case(second.__name__)
    for _ in range(warmup):
        first()
        second()
    for _ in range(n):
        a.record(*first())
        b.record(*second())
    return a, b


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--base-url", default="http://localhost:8080")
    parser.add_argument("-n", "--requests", type=int, default=200, help="timed requests per case (default 200)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed rounds per pair first (default 10)")
    parser.add_argument("--accounts", type=int, default=60, help="accounts created in setup (default 60)")
    parser.add_argument("--max-failures", type=int, default=3,
                        help="consecutive wrong passwords per account before an untimed good login (default 3; "
                             "the service locks from 5)")
    parser.add_argument("--tolerance", type=float, default=0.10,
                        help="largest allowed relative difference of a pair's medians (default 0.10)")
    parser.add_argument("--timeout", type=float, default=30.0, help="per-request timeout in seconds")
    args = parser.parse_args()
    if args.requests < 2 or args.accounts < 1 or not 1 <= args.max_failures <= 4:
        parser.error("need --requests >= 2, --accounts >= 1 and 1 <= --max-failures <= 4")

    bench = Bench(args.base_url, args.timeout, args.max_failures)
    started = time.monotonic()
    print(f"setup: creating {args.accounts} accounts ...", file=sys.stderr)
    accounts = bench.create_accounts(args.accounts)
    print(f"setup: done in {time.monotonic() - started:.1f}s", file=sys.stderr)

    rotation = itertools.cycle(accounts)

    def login_unknown_email():
        return bench.login_unknown()

    def login_wrong_password():
        return bench.login_wrong_password(next(rotation))

    def reset_unknown_email():
        return bench.reset_unknown()

    def reset_known_email():
        return bench.reset_known(next(rotation))

    def resend_unknown_email():
        return bench.resend_unknown()

    def resend_unverified_email():
        return bench.resend_known(next(rotation))

    pairs = []
    for first, second in ((login_unknown_email, login_wrong_password), (reset_unknown_email, reset_known_email),
                          (resend_unknown_email, resend_unverified_email)):
        t0 = time.monotonic()
        pairs.append(run_pair(args.requests, args.warmup, first, second))
        print(f"{first.__name__} / {second.__name__}: {time.monotonic() - t0:.1f}s", file=sys.stderr)

    print()
    print("| case | n | median ms | p90 ms | ratio of medians | statuses | bodies identical |")
    print("|---|---:|---:|---:|---:|---|---|")
    ok = True
    verdicts = []
    for a, b in pairs:
        ratio = b.median() / a.median()
        identical = len(a.bodies | b.bodies) == 1
        same_statuses = set(a.statuses) == set(b.statuses) and len(a.statuses) == 1
        for case in (a, b):
            ratio_text = "" if case is a else f"{ratio:.3f}"
            identical_text = "" if case is a else ("yes" if identical else
                                                   f"no ({len(a.bodies)} vs {len(b.bodies)} distinct, "
                                                   f"{len(a.bodies | b.bodies)} together)")
            print(f"| {case.name} | {len(case.times_ms)} | {case.median():.1f} | {case.p90():.1f} | "
                  f"{ratio_text} | {case.status_text()} | {identical_text} |")
        within = abs(ratio - 1.0) <= args.tolerance
        ok &= within and identical and same_statuses
        verdicts.append(f"{a.name} vs {b.name}: medians {'within' if within else 'NOT within'} "
                        f"{args.tolerance:.0%} ({(ratio - 1.0):+.1%}); statuses "
                        f"{'identical' if same_statuses else 'DIFFER'}; bodies "
                        f"{'identical' if identical else 'DIFFER'}")
    print()
    for verdict in verdicts:
        print("- " + verdict)
    print(f"\ntotal {time.monotonic() - started:.0f}s")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
