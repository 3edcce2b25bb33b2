#!/usr/bin/python3
"""Self-test of tests/harness/with-services: proves each service of the test-service contract is
real and behaves as app-level tests expect. Run inside the harness:

    tests/harness/with-services /usr/bin/python3 tests/e2e/harness_selftest.py <case>

Cases:
  services  keyring canary readable, X display answers, CA file is a cert for 127.0.0.1,
            SMTP sink ports greet (plain and implicit TLS verified against the CA)
  signin    authorization code + PKCE (RFC 7636) for latchkey-public through the real browser:
            the loopback receiver gets code, state and iss (RFC 9207); the code exchanges for an
            ID token with the contract's claims and a refresh token; a replayed code is refused
  deny      --deny: the receiver gets error=access_denied and no code
  desktop   latchkey-desktop (client_secret_post) on the second issuer, which signs with its own key
  openurl   xdg-open (QDesktopServices::openUrl's route) reaches the browser driver

Exit status 0 when every assertion holds; 1 with a message naming the broken expectation otherwise.
Never prints authorization codes or tokens.
"""

import base64
import hashlib
import http.server
import json
import os
import secrets
import smtplib
import socket
import ssl
import subprocess
import sys
import threading
import urllib.parse
import urllib.request

kTimeout = 60  # seconds for any one step; the harness must never hang


class SelfTestFailure(Exception):
    pass


def check(condition, message):
    if not condition:
        raise SelfTestFailure(message)


def env(name):
    value = os.environ.get(name)
    check(value, f"{name} is not set: run this inside tests/harness/with-services")
    return value


def b64url(data):
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwt_part(token, index):
    part = token.split(".")[index]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


class Receiver:
    """A throwaway loopback redirect receiver: records the query of each /callback/... request."""

    def __init__(self):
        self.queries = []
        self.event = threading.Event()
        receiver = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                url = urllib.parse.urlsplit(self.path)
                if not url.path.startswith("/callback/"):
                    self.send_error(404)
                    return
                receiver.queries.append((url.path, urllib.parse.parse_qs(url.query)))
                body = b"<html><body>You can close this window.</body></html>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                receiver.event.set()

            def log_message(self, *args):  # keep codes out of the logs
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def discovery(issuer):
    with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=kTimeout) as r:
        return json.load(r)


def run_browser(url, *flags):
    result = subprocess.run([env("LATCHKEY_TEST_BROWSER"), url, *flags], capture_output=True,
                            text=True, timeout=kTimeout)
    sys.stderr.write(result.stderr)
    check(result.returncode == 0, f"browser driver exited {result.returncode}")
    lines = result.stdout.strip().splitlines()
    check(len(lines) == 1, f"browser driver printed {len(lines)} lines on stdout, expected one JSON line")
    check("?" not in lines[0], "browser driver printed a query string")
    return json.loads(lines[0])


def authorize(issuer, client_id, callback_id, flags=(), pkce=True):
    """Runs one authorization request through the browser; returns (params, context)."""
    config = discovery(issuer)
    check(config.get("authorization_response_iss_parameter_supported") is True,
          "provider does not advertise RFC 9207 iss")
    receiver = Receiver()
    try:
        redirect_uri = f"http://127.0.0.1:{receiver.port}/callback/{callback_id}"
        state = secrets.token_urlsafe(16)
        verifier = secrets.token_urlsafe(48)  # RFC 7636 §4.1: 43..128 unreserved characters
        params = {
            "response_type": "code",
            "client_id": client_id,
            "redirect_uri": redirect_uri,
            "scope": "openid email profile offline_access",
            "prompt": "consent",  # OIDC Core §11: offline_access needs prompt=consent
            "state": state,
            "nonce": secrets.token_urlsafe(16),
        }
        if pkce:
            params["code_challenge"] = b64url(hashlib.sha256(verifier.encode("ascii")).digest())
            params["code_challenge_method"] = "S256"  # RFC 7636 §4.2
        url = f"{config['authorization_endpoint']}?{urllib.parse.urlencode(params)}"
        page = run_browser(url, *flags)
        check(receiver.event.wait(kTimeout), "the loopback receiver got no callback")
        check(page == {"path": f"/callback/{callback_id}", "status": 200, "heading": ""},
              f"browser ended on {page}, expected the receiver's page")
        check(len(receiver.queries) == 1, f"receiver got {len(receiver.queries)} callbacks, expected 1")
        path, query = receiver.queries[0]
        check(query.get("state") == [state], "state in the callback differs from the request's")
        check(query.get("iss") == [issuer], "iss in the callback is not the issuer (RFC 9207)")
        context = {"config": config, "redirect_uri": redirect_uri, "verifier": verifier,
                   "nonce": params["nonce"]}
        return query, context
    finally:
        receiver.close()


def code_of(query):
    check("code" in query and "error" not in query,
          f"no code in the callback (keys {sorted(query)}, error {query.get('error')})")
    return query["code"][0]


def token_request(endpoint, form):  # also used for the revocation endpoint
    """POSTs the form with curl (body on stdin, so no code appears in a command line)."""
    result = subprocess.run(
        ["curl", "-sS", "--max-time", str(kTimeout), "-o", "-", "-w", "\n%{http_code}",
         "--data-binary", "@-", "-H", "Content-Type: application/x-www-form-urlencoded", endpoint],
        input=urllib.parse.urlencode(form), capture_output=True, text=True, timeout=kTimeout + 5)
    check(result.returncode == 0, f"curl to the token endpoint failed: {result.stderr.strip()}")
    body, _, status = result.stdout.rpartition("\n")
    return int(status), (json.loads(body) if body.strip() else {})


def case_services():
    lookup = subprocess.run(["secret-tool", "lookup", "latchkey-harness", "canary"],
                            capture_output=True, text=True, timeout=kTimeout)
    check(lookup.returncode == 0 and lookup.stdout == "x", "keyring canary not readable")
    check(env("LATCHKEY_TEST_KEYRING_PASSWORD") == "ci-pw", "keyring password is not ci-pw")
    check(subprocess.run(["xdpyinfo"], capture_output=True, timeout=kTimeout).returncode == 0,
          f"X display {env('DISPLAY')} does not answer")
    runtime = os.stat(env("XDG_RUNTIME_DIR"))
    check(runtime.st_mode & 0o777 == 0o700, "XDG_RUNTIME_DIR is not mode 0700")
    check(env("XDG_CONFIG_HOME").startswith(env("LATCHKEY_TEST_TMP")), "XDG_CONFIG_HOME not private")
    check("XDG_CURRENT_DESKTOP" not in os.environ, "XDG_CURRENT_DESKTOP leaked into the harness")

    context = ssl.create_default_context(cafile=env("LATCHKEY_TEST_CA_FILE"))
    with smtplib.SMTP("127.0.0.1", int(env("LATCHKEY_TEST_SMTP_PORT")), timeout=kTimeout) as smtp:
        code, _ = smtp.noop()
        check(code == 250, f"plain SMTP port answered NOOP with {code}")
    with smtplib.SMTP("127.0.0.1", int(env("LATCHKEY_TEST_SMTP_STARTTLS_PORT")), timeout=kTimeout) as smtp:
        smtp.ehlo()
        check(smtp.has_extn("starttls"), "STARTTLS port does not offer STARTTLS")
        smtp.starttls(context=context)  # verifies the cert against LATCHKEY_TEST_CA_FILE
    with smtplib.SMTP_SSL("127.0.0.1", int(env("LATCHKEY_TEST_SMTPS_PORT")), timeout=kTimeout,
                          context=context) as smtp:
        smtp.login(env("LATCHKEY_TEST_SMTP_USER"), env("LATCHKEY_TEST_SMTP_PASSWORD"))
    check(os.path.isdir(env("LATCHKEY_TEST_MAILDIR")), "LATCHKEY_TEST_MAILDIR does not exist")


def check_refresh_then_revoke(ctx, refresh_token, client_id):
    """Refresh (RFC 6749 §6), then revoke (RFC 7009 §2.1): the revoked refresh token stops working."""
    endpoint = ctx["config"]["token_endpoint"]
    refresh = {"grant_type": "refresh_token", "refresh_token": refresh_token, "client_id": client_id}
    status, refreshed = token_request(endpoint, refresh)
    check(status == 200 and "access_token" in refreshed,
          f"refresh_token grant gave {status} {refreshed.get('error')}")
    refresh["refresh_token"] = refreshed.get("refresh_token", refresh_token)  # rotated or not
    status, _ = token_request(ctx["config"]["revocation_endpoint"],
                              {"token": refresh["refresh_token"], "token_type_hint": "refresh_token",
                               "client_id": client_id})
    check(status == 200, f"revocation endpoint answered {status}")
    status, revoked = token_request(endpoint, refresh)
    check(status == 400 and revoked.get("error") == "invalid_grant",
          f"revoked refresh token gave {status} {revoked.get('error')}, expected 400 invalid_grant")


def case_signin():
    issuer = env("LATCHKEY_TEST_OIDC_ISSUER")
    query, ctx = authorize(issuer, "latchkey-public", "test", ("--login", "bob"))
    form = {"grant_type": "authorization_code", "code": code_of(query),
            "redirect_uri": ctx["redirect_uri"], "client_id": "latchkey-public",
            "code_verifier": ctx["verifier"]}
    endpoint = ctx["config"]["token_endpoint"]
    status, tokens = token_request(endpoint, form)
    check(status == 200, f"token endpoint answered {status}: {tokens.get('error')}")
    check("id_token" in tokens and "access_token" in tokens, "token response lacks id_token/access_token")
    check("refresh_token" in tokens, "no refresh_token although offline_access was consented")
    claims = jwt_part(tokens["id_token"], 1)
    expected = {"iss": issuer, "aud": "latchkey-public", "sub": "bob", "email": "bob@example.com",
                "email_verified": True, "name": "Bob", "nonce": ctx["nonce"]}
    for key, value in expected.items():
        check(claims.get(key) == value, f"ID token claim {key} is {claims.get(key)!r}, expected {value!r}")
    check("picture" not in claims, "ID token has a picture claim; the contract says none")
    check_refresh_then_revoke(ctx, tokens["refresh_token"], "latchkey-public")
    # RFC 6749 §4.1.2: a code is single-use (a replay also revokes its tokens, so this goes last).
    status, replay = token_request(endpoint, form)
    check(status == 400 and replay.get("error") == "invalid_grant",
          f"replayed code gave {status} {replay.get('error')}, expected 400 invalid_grant")
    # PKCE is mandatory for the public client (RFC 9700 §2.1.1): a wrong verifier is refused.
    query2, ctx2 = authorize(issuer, "latchkey-public", "acme")
    status, wrong = token_request(endpoint, {**form, "code": code_of(query2),
                                             "redirect_uri": ctx2["redirect_uri"],
                                             "code_verifier": secrets.token_urlsafe(48)})
    check(status == 400 and wrong.get("error") == "invalid_grant",
          f"wrong PKCE verifier gave {status} {wrong.get('error')}, expected 400 invalid_grant")


def case_deny():
    query, _ = authorize(env("LATCHKEY_TEST_OIDC_ISSUER"), "latchkey-public", "cli", ("--deny",))
    check(query.get("error") == ["access_denied"], f"expected error=access_denied, got keys {sorted(query)}")
    check("code" not in query, "a denied authorization still returned a code")


def case_desktop():
    issuer1, issuer2 = env("LATCHKEY_TEST_OIDC_ISSUER"), env("LATCHKEY_TEST_OIDC2_ISSUER")
    check(issuer1 != issuer2, "the two issuers are the same")
    query, ctx = authorize(issuer2, "latchkey-desktop", "google", pkce=False)
    status, tokens = token_request(ctx["config"]["token_endpoint"], {
        "grant_type": "authorization_code", "code": code_of(query),
        "redirect_uri": ctx["redirect_uri"], "client_id": "latchkey-desktop",
        "client_secret": "desktop-not-secret"})
    check(status == 200, f"token endpoint answered {status}: {tokens.get('error')}")
    claims = jwt_part(tokens["id_token"], 1)
    check(claims.get("iss") == issuer2 and claims.get("sub") == "alice",
          f"unexpected iss/sub {claims.get('iss')!r}/{claims.get('sub')!r}")
    kid = jwt_part(tokens["id_token"], 0).get("kid")
    with urllib.request.urlopen(discovery(issuer1)["jwks_uri"], timeout=kTimeout) as r:
        kids1 = {k.get("kid") for k in json.load(r)["keys"]}
    check(kid not in kids1, "issuer 2 signed with a key that issuer 1 also publishes (mix-up tests need distinct keys)")


def case_openurl():
    receiver = Receiver()
    try:
        url = f"http://127.0.0.1:{receiver.port}/callback/openurl?probe=1"
        result = subprocess.run(["xdg-open", url], capture_output=True, text=True, timeout=kTimeout)
        check(result.returncode == 0, f"xdg-open exited {result.returncode}: {result.stderr.strip()}")
        check(receiver.event.wait(kTimeout), "xdg-open did not reach the browser driver")
        check(receiver.queries[0][1].get("probe") == ["1"], "the driver loaded a different URL")
    finally:
        receiver.close()


def main():
    cases = {"services": case_services, "signin": case_signin, "deny": case_deny,
             "desktop": case_desktop, "openurl": case_openurl}
    if len(sys.argv) != 2 or sys.argv[1] not in cases:
        sys.exit(f"usage: harness_selftest.py {{{'|'.join(cases)}}}")
    try:
        cases[sys.argv[1]]()
    except SelfTestFailure as failure:
        print(f"FAIL {sys.argv[1]}: {failure}", file=sys.stderr)
        sys.exit(1)
    except (OSError, subprocess.SubprocessError, smtplib.SMTPException, ValueError, KeyError) as error:
        print(f"FAIL {sys.argv[1]}: {type(error).__name__}: {error}", file=sys.stderr)
        sys.exit(1)
    print(f"PASS {sys.argv[1]}")


if __name__ == "__main__":
    main()
