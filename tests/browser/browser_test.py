"""The pages the emails open, in Debian's Chromium driven by Playwright, against the local service.

   python tests/browser/browser_test.py --base http://localhost:8080 --moto http://127.0.0.1:4566

Flows: (b) reset: request → link from the email moto captured → a weak password (the rule is shown) → a good one
→ logged in with it, the old one refused, the link spent; (a) verification: signup → link → confirm → GET /me says
emailVerified (run only when the service has POST /email-verification/confirm; otherwise it says why it waits);
(c) email change: signed in, POST /me/email → link from the email to the new address → confirm → the new address
logs in, the old one not, the link spent; (d) passkey: signup → /passkeys → password sign-in on the page → add a
passkey (Chromium's virtual authenticator, through the DevTools WebAuthn domain) → sign out → sign in with the
passkey → the account shows, and the access token the page received works on GET /me → delete the passkey → it no
longer signs in (run only when the service has POST /passkeys/authentication-options; otherwise it says why it waits).
(e) second factor on the passkey page: TOTP turned on through the API → password sign-in on the page asks for the
code → a wrong code is refused → the right one signs in, with an `otp` access token (run only when the service has
POST /me/mfa/totp).
Every page response's security headers are checked; screenshots go to target/browser/. Talks to 127.0.0.1 only.
"""

from __future__ import annotations

import argparse
import base64
import json
import re
import secrets
import shutil
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from playwright.sync_api import expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
SECURITY_HEADERS = {
    "content-security-policy": "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; "
                               "img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
}
SHOTS = Path("target/browser")


class Service:
    def __init__(self, base: str, moto: str):
        self.base, self.moto = base.rstrip("/"), moto.rstrip("/")

    def call(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                raw = response.read()
                return response.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as error:
            raw = error.read()
            return error.code, json.loads(raw) if raw else None

    def link_in_latest_mail(self, address: str, page: str, timeout: float = 20) -> str:
        """The link to `page` in the newest email moto's SES took for `address`."""
        pattern = re.compile(re.escape(self.base + page) + r"\?token=[A-Za-z0-9_-]+")
        deadline = time.monotonic() + timeout
        while True:
            with urllib.request.urlopen(self.moto + "/moto-api/data.json", timeout=30) as response:
                messages = json.load(response).get("ses", {}).get("Message", [])
            links = [m for message in messages if address in json.dumps(message.get("destinations"))
                     for m in pattern.findall(message.get("body", ""))]
            if links:
                return links[-1]
            if time.monotonic() > deadline:
                raise AssertionError(f"no email to {address} links to {self.base}{page}")
            time.sleep(0.5)


def check_headers(response, what: str) -> None:
    assert response is not None, f"{what}: no response"
    assert response.status == 200, f"{what}: status {response.status}"
    headers = response.all_headers()
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, f"{what}: {name} is {headers.get(name)!r}"


def open_page(context, url: str, what: str, problems: list[str]):
    page = context.new_page()
    # Console errors (CSP violations among them) fail the flow; a 4xx answer the page expects (a weak password, a
    # spent link, the favicon nobody serves) is only logged by Chromium as "Failed to load resource".
    page.on("console", lambda m: problems.append(f"{what}: console {m.type}: {m.text}")
            if m.type == "error" and not m.text.startswith("Failed to load resource") else None)
    page.on("pageerror", lambda e: problems.append(f"{what}: script error: {e}"))
    page.on("response", lambda r: check_headers(r, f"{what}: {r.url}") if "/pages/" in r.url else None)
    check_headers(page.goto(url), what)
    assert "token=" not in page.url, f"{what}: the token stayed in the address bar: {page.url}"
    return page


def outcome(page):
    return page.locator("#outcome")


def reset_flow(service: Service, context, problems: list[str]) -> None:
    email = f"browser-{secrets.token_hex(4)}@shop-test.example.com"
    old_password, new_password = f"old-{secrets.token_urlsafe(16)}", f"new-{secrets.token_urlsafe(16)}"
    assert service.call("POST", "/signup", {"email": email, "password": old_password, "name": "Ada"})[0] == 201
    assert service.call("POST", "/password-reset", {"email": email})[0] == 202
    link = service.link_in_latest_mail(email, "/reset-password")

    page = open_page(context, service.base + "/reset-password", "reset page, no token", problems)
    expect(outcome(page)).to_contain_text("This link has no token")
    expect(page.locator("#reset-form")).to_be_hidden()
    page.screenshot(path=SHOTS / "reset-0-no-token.png", full_page=True)
    page.close()

    page = open_page(context, link, "reset page", problems)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    field = page.get_by_label("New password")
    expect(field).to_be_visible()
    expect(page.locator("#password-rules")).to_contain_text("at least 15 characters")
    page.screenshot(path=SHOTS / "reset-1-form.png", full_page=True)

    field.fill("too short")
    page.get_by_role("button", name="Change my password").click()
    expect(outcome(page)).to_contain_text("Password must be at least 15 characters.")
    expect(outcome(page)).to_contain_text("this link still works")
    expect(field).to_be_focused()
    page.screenshot(path=SHOTS / "reset-2-weak-password.png", full_page=True)

    field.fill(new_password)
    field.press("Enter")  # the keyboard alone submits the form
    expect(outcome(page)).to_contain_text("Your password has been changed.")
    expect(page.locator("#reset-form")).to_be_hidden()
    page.screenshot(path=SHOTS / "reset-3-changed.png", full_page=True)
    page.close()

    status, body = service.call("POST", "/login", {"email": email, "password": new_password})
    assert status == 200 and body["accessToken"], f"login with the new password: {status}"
    assert service.call("POST", "/login", {"email": email, "password": old_password})[0] == 401, "old password"

    page = open_page(context, link, "reset page, spent link", problems)
    page.get_by_label("New password").fill(f"another-{secrets.token_urlsafe(16)}")
    page.get_by_role("button", name="Change my password").click()
    expect(outcome(page)).to_contain_text("This link has expired or was already used. Ask for a new one")
    page.screenshot(path=SHOTS / "reset-4-link-used.png", full_page=True)
    page.close()


def verify_flow(service: Service, context, problems: list[str]) -> None:
    email = f"browser-{secrets.token_hex(4)}@shop-test.example.com"
    password = f"pw-{secrets.token_urlsafe(16)}"
    assert service.call("POST", "/signup", {"email": email, "password": password, "name": "Grace"})[0] == 201
    link = service.link_in_latest_mail(email, "/verify-email")

    page = open_page(context, link, "verify page", problems)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    page.screenshot(path=SHOTS / "verify-1-button.png", full_page=True)
    status, body = service.call("POST", "/login", {"email": email, "password": password})
    assert status == 200, f"login: {status}"
    status, me = service.call("GET", "/me", token=body["accessToken"])
    assert status == 200 and me["emailVerified"] is False, f"opening the link verified nothing: {status} {me}"

    page.get_by_role("button", name="Confirm my email address").click()
    expect(outcome(page)).to_contain_text("Your email address is verified.")
    page.screenshot(path=SHOTS / "verify-2-verified.png", full_page=True)
    page.close()

    status, body = service.call("POST", "/login", {"email": email, "password": password})
    status, me = service.call("GET", "/me", token=body["accessToken"])
    assert status == 200 and me["emailVerified"] is True, f"GET /me after confirming: {status} {me}"

    page = open_page(context, link, "verify page, spent link", problems)
    page.get_by_role("button", name="Confirm my email address").click()
    expect(outcome(page)).to_contain_text("This link has expired or was already used.")
    page.screenshot(path=SHOTS / "verify-3-link-used.png", full_page=True)
    page.close()


def email_change_flow(service: Service, context, problems: list[str]) -> None:
    email = f"browser-{secrets.token_hex(4)}@shop-test.example.com"
    new_email = f"browser-new-{secrets.token_hex(4)}@shop-test.example.com"
    password = f"pw-{secrets.token_urlsafe(16)}"
    assert service.call("POST", "/signup", {"email": email, "password": password, "name": "Mary"})[0] == 201
    status, body = service.call("POST", "/login", {"email": email, "password": password})
    assert status == 200, f"login: {status}"
    status, _ = service.call("POST", "/me/email", {"newEmail": new_email, "password": password},
                             token=body["accessToken"])
    assert status == 202, f"POST /me/email: {status}"
    link = service.link_in_latest_mail(new_email, "/confirm-email-change")

    page = open_page(context, link, "email-change page", problems)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your new email address")
    page.screenshot(path=SHOTS / "email-change-1-button.png", full_page=True)
    assert service.call("POST", "/login", {"email": email, "password": password})[0] == 200, "opening changed nothing"

    page.get_by_role("button", name="Use this email address").click()
    expect(outcome(page)).to_contain_text("Your email address has been changed.")
    expect(page.locator("#email-change-form")).to_be_hidden()
    page.screenshot(path=SHOTS / "email-change-2-changed.png", full_page=True)
    page.close()

    status, body = service.call("POST", "/login", {"email": new_email, "password": password})
    assert status == 200, f"login with the new address: {status}"
    status, me = service.call("GET", "/me", token=body["accessToken"])
    assert status == 200 and me["email"] == new_email and me["emailVerified"] is True, f"GET /me: {status} {me}"
    assert service.call("POST", "/login", {"email": email, "password": password})[0] == 401, "old address"

    page = open_page(context, link, "email-change page, spent link", problems)
    page.get_by_role("button", name="Use this email address").click()
    expect(outcome(page)).to_contain_text("This link has expired or was already used.")
    page.screenshot(path=SHOTS / "email-change-3-link-used.png", full_page=True)
    page.close()


class FlowSkipped(Exception):
    """A flow whose routes this service does not have yet."""


def jwt_claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def base64url(standard_base64: str) -> str:
    """DevTools gives binary fields in base64; the API names passkeys by the credential id in base64url."""
    return base64.urlsafe_b64encode(base64.b64decode(standard_base64)).decode().rstrip("=")


def passkey_flow(service: Service, context, problems: list[str]) -> None:
    status, _ = service.call("POST", "/passkeys/authentication-options", {})
    if status == 404:
        raise FlowSkipped("the service has no POST /passkeys/authentication-options yet (404)")
    assert status == 200, f"POST /passkeys/authentication-options: {status}"
    email = f"browser-{secrets.token_hex(4)}@shop-test.example.com"
    password = f"pw-{secrets.token_urlsafe(16)}"
    assert service.call("POST", "/signup", {"email": email, "password": password, "name": "Alan"})[0] == 201

    page = open_page(context, service.base + "/passkeys", "passkey page", problems)
    # A platform authenticator with user verification, as a phone or laptop has, that keeps discoverable credentials.
    devtools = context.new_cdp_session(page)
    devtools.send("WebAuthn.enable")
    authenticator = devtools.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True, "hasUserVerification": True,
        "isUserVerified": True, "automaticPresenceSimulation": True}})["authenticatorId"]
    signed_out, signed_in = page.locator("#signed-out"), page.locator("#signed-in")
    expect(page.get_by_role("heading", level=1)).to_have_text("Passkeys")
    expect(signed_out).to_be_visible()
    expect(signed_in).to_be_hidden()
    page.screenshot(path=SHOTS / "passkeys-1-signed-out.png", full_page=True)

    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.locator("#account-email")).to_have_text(email)
    expect(page.locator("#no-passkeys")).to_be_visible()
    page.screenshot(path=SHOTS / "passkeys-2-signed-in.png", full_page=True)

    page.get_by_label("Name of the new passkey").fill("Test laptop")
    page.get_by_role("button", name="Add a passkey").click()
    expect(outcome(page)).to_contain_text('Passkey "Test laptop" added.')
    listed = page.locator("#passkey-list li")
    expect(listed).to_have_count(1)
    expect(listed.first).to_contain_text("Test laptop")
    page.screenshot(path=SHOTS / "passkeys-3-added.png", full_page=True)
    credentials = devtools.send("WebAuthn.getCredentials", {"authenticatorId": authenticator})["credentials"]
    assert len(credentials) == 1, f"credentials on the authenticator: {credentials}"
    credential = credentials[0]
    assert credential["isResidentCredential"] and credential["rpId"] == "localhost", f"credential: {credential}"
    assert listed.first.get_attribute("data-passkey-id") == base64url(credential["credentialId"]), "listed passkey"

    page.get_by_role("button", name="Sign out").click()
    expect(outcome(page)).to_contain_text("You are signed out.")
    expect(signed_out).to_be_visible()
    expect(signed_in).to_be_hidden()
    page.screenshot(path=SHOTS / "passkeys-4-signed-out.png", full_page=True)

    # The tokens the page holds are in its memory only: read the access token from the answer the page received.
    with page.expect_response(lambda r: r.url.endswith("/passkeys/login")) as login, \
            page.expect_request(lambda r: r.url.endswith("/me") and r.method == "GET") as me_request:
        page.get_by_role("button", name="Sign in with a passkey").click()
    expect(page.locator("#account-email")).to_have_text(email)
    expect(listed).to_have_count(1)
    page.screenshot(path=SHOTS / "passkeys-5-passkey-signed-in.png", full_page=True)
    assert login.value.status == 200, f"POST /passkeys/login: {login.value.status}"
    access_token = login.value.json()["accessToken"]
    assert me_request.value.headers.get("authorization") == f"Bearer {access_token}", "the page uses its new token"
    stored = page.evaluate("() => [localStorage.length, sessionStorage.length, document.cookie]")
    assert stored == [0, 0, ""], f"the page keeps its tokens in memory only: {stored}"
    status, me = service.call("GET", "/me", token=access_token)
    assert status == 200 and me["email"] == email, f"GET /me with the passkey session's token: {status} {me}"
    assert me.get("mfa", {}).get("passkeys") == 1, f"GET /me counts the passkey: {me}"
    amr = jwt_claims(access_token).get("amr")
    assert amr and "pwd" not in amr, f"a passkey sign-in's amr: {amr}"

    page.get_by_role("button", name="Delete passkey Test laptop").click()
    expect(outcome(page)).to_contain_text('Passkey "Test laptop" deleted.')
    expect(listed).to_have_count(0)
    expect(page.locator("#no-passkeys")).to_be_visible()
    page.get_by_role("button", name="Sign out").click()
    expect(outcome(page)).to_contain_text("You are signed out.")
    # The authenticator still offers the credential; the service no longer knows it.
    page.get_by_role("button", name="Sign in with a passkey").click()
    expect(outcome(page)).to_have_class("error")
    expect(signed_in).to_be_hidden()
    page.screenshot(path=SHOTS / "passkeys-6-deleted-refused.png", full_page=True)
    page.close()


def totp_code(secret: str, at: float) -> str:
    """The RFC 6238 code of a base32 secret (SHA-1, 6 digits, 30 s), as an authenticator app shows it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    return TOTP(key, 6, SHA1(), 30, enforce_key_length=False).generate(at).decode()


def second_factor_flow(service: Service, context, problems: list[str]) -> None:
    email = f"browser-{secrets.token_hex(4)}@shop-test.example.com"
    password = f"pw-{secrets.token_urlsafe(16)}"
    assert service.call("POST", "/signup", {"email": email, "password": password, "name": "Emmy"})[0] == 201
    status, body = service.call("POST", "/login", {"email": email, "password": password})
    assert status == 200, f"login: {status}"
    status, setup = service.call("POST", "/me/mfa/totp", {"password": password}, token=body["accessToken"])
    if status == 404:
        raise FlowSkipped("the service has no POST /me/mfa/totp yet (404)")
    assert status == 200 and setup["secret"], f"POST /me/mfa/totp: {status}"
    confirmed_at = time.time()
    status, _ = service.call("POST", "/me/mfa/totp/confirm", {"code": totp_code(setup["secret"], confirmed_at)},
                             token=body["accessToken"])
    assert status == 200, f"POST /me/mfa/totp/confirm: {status}"

    page = open_page(context, service.base + "/passkeys", "passkey page, second factor", problems)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    code = page.get_by_label("Code")
    expect(code).to_be_focused()
    expect(outcome(page)).to_contain_text("Enter your code")
    page.screenshot(path=SHOTS / "second-factor-1-asked.png", full_page=True)

    right = totp_code(setup["secret"], time.time())
    code.fill(f"{(int(right) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Verify").click()
    expect(outcome(page)).to_have_class("error")
    expect(page.locator("#signed-in")).to_be_hidden()
    page.screenshot(path=SHOTS / "second-factor-2-wrong-code.png", full_page=True)

    # The code confirmed above is spent: the next one comes with the next 30-second step.
    time.sleep(max(0.0, 30 - confirmed_at % 30 + 1 - (time.time() - confirmed_at)))
    code.fill(totp_code(setup["secret"], time.time()))
    with page.expect_response(lambda r: r.url.endswith("/login/mfa")) as login:
        page.get_by_role("button", name="Verify").click()
    expect(page.locator("#account-email")).to_have_text(email)
    page.screenshot(path=SHOTS / "second-factor-3-signed-in.png", full_page=True)
    assert login.value.status == 200, f"POST /login/mfa: {login.value.status}"
    amr = jwt_claims(login.value.json()["accessToken"]).get("amr")
    assert amr and "pwd" in amr and "otp" in amr, f"a password and TOTP sign-in's amr: {amr}"
    page.close()


def verify_page_alone(service: Service, context, problems: list[str]) -> None:
    page = open_page(context, service.base + "/verify-email", "verify page, no token", problems)
    expect(outcome(page)).to_contain_text("This link has no token")
    expect(page.locator("#verify-form")).to_be_hidden()
    page.screenshot(path=SHOTS / "verify-0-no-token.png", full_page=True)
    page.close()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", default="http://localhost:8080")
    parser.add_argument("--moto", default="http://127.0.0.1:4566")
    args = parser.parse_args()
    service = Service(args.base, args.moto)
    SHOTS.mkdir(parents=True, exist_ok=True)

    passed, failed = 0, 0
    user_data = tempfile.mkdtemp(prefix="browser-test-profile-")
    try:
        with sync_playwright() as playwright:
            context = playwright.chromium.launch_persistent_context(
                user_data, executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            try:
                flows = [("verify page without a token", verify_page_alone), ("reset flow", reset_flow),
                         ("verification flow", verify_flow), ("email change flow", email_change_flow),
                         ("passkey flow", passkey_flow), ("second factor on the passkey page", second_factor_flow)]
                for name, flow in flows:
                    problems: list[str] = []
                    try:
                        flow(service, context, problems)
                        assert not problems, "; ".join(problems)
                        print(f"browser-test: PASSED {name}", flush=True)
                        passed += 1
                    except FlowSkipped as reason:
                        print(f"browser-test: SKIPPED {name}: {reason}", flush=True)
                    except Exception as error:  # noqa: BLE001 - report every flow, then fail
                        print(f"browser-test: FAILED {name}: {type(error).__name__}: {error}", flush=True)
                        failed += 1
            finally:
                context.close()
    finally:
        shutil.rmtree(user_data, ignore_errors=True)
    print(f"screenshots: {SHOTS}/")
    print(f"browser: {passed} passed, {failed} failed")
    return 1 if failed or not passed else 0


if __name__ == "__main__":
    sys.exit(main())
