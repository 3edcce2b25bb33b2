#!/usr/bin/python3
"""SMTP sink for Latchkey's integration tests (see tests/harness/with-services and tests/harness/README.md).

Accepts every message and writes it, byte-exact, to <dir>/<n>.eml (atomically: <n>.eml.tmp, then
rename) with a JSON sidecar <n>.json:
    {"mail_from": ..., "rcpt_tos": [...], "tls": true|false, "auth_user": ...|null}

Three listeners on --host:
    --plain-port     no TLS offered, no AUTH
    --starttls-port  STARTTLS offered and required before MAIL/AUTH (RFC 3207 §4), AUTH PLAIN/LOGIN
    --tls-port       implicit TLS (RFC 8314 §3.3), AUTH PLAIN/LOGIN
AUTH accepts only LATCHKEY_TEST_SMTP_USER / LATCHKEY_TEST_SMTP_PASSWORD (default latchkey /
sink-password); wrong credentials get 535. AUTH is optional. Any recipient at reject.invalid gets
550. Prints one "smtp_sink ready ..." line on stdout once all three ports listen.

Run it with /usr/bin/python3 (Debian's python3-aiosmtpd 1.4.x).
"""

import argparse
import asyncio
import json
import logging
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword

REJECT_DOMAIN = "@reject.invalid"


class _QuietLoginDataWarning(logging.Filter):
    """aiosmtpd 1.4 itself touches its deprecated Session.login_data on every AUTH."""

    def filter(self, record):
        return "login_data is deprecated" not in record.getMessage()


logging.getLogger("mail.log").addFilter(_QuietLoginDataWarning())


class Sink:
    """Numbers and writes accepted messages; shared by all listeners."""

    def __init__(self, directory):
        self.directory = directory
        self.lock = threading.Lock()
        os.makedirs(directory, mode=0o700, exist_ok=True)
        existing = [int(name[:-4]) for name in os.listdir(directory)
                    if name.endswith(".eml") and name[:-4].isdigit()]
        self.next_number = max(existing, default=0) + 1

    def store(self, content, meta):
        with self.lock:
            number = self.next_number
            self.next_number += 1
        base = os.path.join(self.directory, str(number))
        # The sidecar first, so a test that sees <n>.eml can always read <n>.json.
        with open(base + ".json.tmp", "w", encoding="utf-8") as sidecar:
            json.dump(meta, sidecar)
        os.replace(base + ".json.tmp", base + ".json")
        with open(base + ".eml.tmp", "wb") as eml:
            eml.write(content)
        os.replace(base + ".eml.tmp", base + ".eml")
        return number


class Handler:
    """aiosmtpd handler for one listener."""

    def __init__(self, sink, implicit_tls):
        self.sink = sink
        self.implicit_tls = implicit_tls

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower().endswith(REJECT_DOMAIN):
            return "550 5.1.1 Recipient address rejected: domain reject.invalid"
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        auth_user = None
        if session.authenticated and isinstance(session.auth_data, LoginPassword):
            auth_user = session.auth_data.login.decode("utf-8", "replace")
        meta = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "tls": self.implicit_tls or session.ssl is not None,
            "auth_user": auth_user,
        }
        number = self.sink.store(envelope.original_content, meta)
        return "250 2.0.0 OK queued as %d" % number


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if (isinstance(auth_data, LoginPassword)
                and auth_data.login == user.encode() and auth_data.password == password.encode()):
            return AuthResult(success=True, auth_data=auth_data)
        return AuthResult(success=False, handled=False)  # aiosmtpd answers 535
    return authenticate


async def serve(args):
    sink = Sink(args.dir)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    authenticator = make_authenticator(
        os.environ.get("LATCHKEY_TEST_SMTP_USER", "latchkey"),
        os.environ.get("LATCHKEY_TEST_SMTP_PASSWORD", "sink-password"))
    loop = asyncio.get_running_loop()
    common = {"hostname": "sink.latchkey.test", "decode_data": False, "timeout": 30}

    plain = await loop.create_server(
        lambda: SMTP(Handler(sink, False), **common), args.host, args.plain_port)
    starttls = await loop.create_server(
        lambda: SMTP(Handler(sink, False), tls_context=context, require_starttls=True,
                     authenticator=authenticator, auth_require_tls=True, **common),
        args.host, args.starttls_port)
    # Implicit TLS: the whole connection is encrypted, so AUTH needs no STARTTLS first.
    implicit = await loop.create_server(
        lambda: SMTP(Handler(sink, True), authenticator=authenticator, auth_require_tls=False,
                     **common),
        args.host, args.tls_port, ssl=context)

    stop = loop.create_future()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, lambda: stop.done() or stop.set_result(None))
    print("smtp_sink ready plain=%d starttls=%d tls=%d dir=%s pid=%d"
          % (args.plain_port, args.starttls_port, args.tls_port, args.dir, os.getpid()),
          flush=True)
    await stop
    for server in (plain, starttls, implicit):
        server.close()
        await server.wait_closed()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dir", required=True, help="where to write <n>.eml and <n>.json")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--plain-port", type=int, required=True)
    parser.add_argument("--starttls-port", type=int, required=True)
    parser.add_argument("--tls-port", type=int, required=True)
    parser.add_argument("--cert", required=True, help="PEM certificate for the TLS ports")
    parser.add_argument("--key", required=True, help="PEM private key for the TLS ports")
    asyncio.run(serve(parser.parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
