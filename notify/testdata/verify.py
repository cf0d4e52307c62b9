#!/usr/bin/env python3
"""An independent Standard Webhooks verifier, for Beacon's tests.

Reads a JSON list of requests on stdin ({id, timestamp, signature, body_b64}) and checks
each one's webhook-signature against the secret given as the first argument: the HMAC-SHA256,
keyed by the base64 after "whsec_", of "id.timestamp.body", in base64, as one of the
space-separated "v1,<sig>" entries. Exits 0 when every request verifies, 1 otherwise.
"""
import base64
import hashlib
import hmac
import json
import sys


def verify(secret, req):
    if not secret.startswith("whsec_"):
        return "secret lacks whsec_ prefix"
    key = base64.b64decode(secret[len("whsec_"):])
    body = base64.b64decode(req["body_b64"])
    signed = req["id"].encode() + b"." + req["timestamp"].encode() + b"." + body
    expected = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    for entry in req["signature"].split(" "):
        version, _, sig = entry.partition(",")
        if version == "v1" and hmac.compare_digest(sig, expected):
            return None
    return "no v1 signature matches for " + req["id"]


def main():
    secret = sys.argv[1]
    reqs = json.load(sys.stdin)
    bad = [r for r in (verify(secret, q) for q in reqs) if r]
    for reason in bad:
        print(reason)
    if not reqs:
        print("no requests given")
        return 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
