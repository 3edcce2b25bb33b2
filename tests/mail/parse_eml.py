#!/usr/bin/python3
"""Parses one .eml with Python's email package (policy.default) and prints it as JSON, so the mail
tests check Latchkey's messages against an independent, standards-following parser.

Output: {"headers": [[name, decoded value], ...], "defects": [...], "content_type": ...,
         "parts": [{"type": ..., "charset": ..., "content": decoded text}, ...]}
"""
import email
import json
import sys
from email import policy


def main():
    with open(sys.argv[1], "rb") as source:
        message = email.message_from_binary_file(source, policy=policy.default)
    defects = [type(d).__name__ for d in message.defects]
    parts = []
    for part in message.walk():
        defects += [type(d).__name__ for d in part.defects]
        if part.is_multipart():
            continue
        parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(),
                      "content": part.get_content()})
    print(json.dumps({"headers": [[name, str(value)] for name, value in message.items()],
                      "defects": defects, "content_type": message.get_content_type(),
                      "parts": parts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
