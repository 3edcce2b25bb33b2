#!/usr/bin/python3
"""Reads the newest message the SMTP sink accepted and prints what a person would see in it.

usage: mailtool.py MAILDIR [--count]     or     mailtool.py FILE.eml
Prints one JSON object: subject, to, link (the sign-in link in the text part), code (the 6-digit
code), html_link (the link in the HTML part), tls. With --count prints how many messages arrived.
Given one .eml file (e.g. from the developer outbox), reads that message.
"""
import email
import json
import pathlib
import re
import sys
from email import policy


def main() -> int:
    maildir = pathlib.Path(sys.argv[1])
    if maildir.is_file():
        return describe(maildir, {})
    messages = sorted(maildir.glob("*.eml"), key=lambda p: int(p.stem))
    if "--count" in sys.argv:
        print(len(messages))
        return 0
    if not messages:
        print("{}")
        return 1
    newest = messages[-1]
    return describe(newest, json.loads(newest.with_suffix(".json").read_text()))


def describe(path: pathlib.Path, sidecar: dict) -> int:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    text = message.get_body(("plain",)).get_content()
    html_part = message.get_body(("html",))
    html = html_part.get_content() if html_part else ""
    link = re.search(r"http://127\.0\.0\.1:\d+/callback/email\?\S+", text)
    code = re.search(r"^\s*(\d{6})\s*$", text, re.M)
    html_link = re.search(r'href="([^"]+)"', html)
    print(json.dumps({
        "subject": str(message["Subject"]),
        "to": str(message["To"]),
        "link": link.group(0) if link else "",
        "code": code.group(1) if code else "",
        "html_link": html_link.group(1).replace("&amp;", "&") if html_link else "",
        "tls": sidecar.get("tls"),
        "rcpt_tos": sidecar.get("rcpt_tos"),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
