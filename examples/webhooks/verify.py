"""Verify a Bawaba webhook: the Bawaba-Signature header over the exact body received.

    BAWABA_WEBHOOK_SECRET=… python3 verify.py '<Bawaba-Signature value>' < body.json

In your shop (Flask): verify(os.environ["BAWABA_WEBHOOK_SECRET"],
    request.headers.get("Bawaba-Signature", ""), request.get_data(), time.time())
— the raw bytes, never json.dumps(request.json).
"""
import hashlib
import hmac
import os
import sys
import time


def verify(secret: str, header: str, body: bytes, now: float, tolerance: int = 300) -> bool:
    t = None
    v1s = []  # one per secret while the merchant rotates it: any may match
    for part in (header or "").split(","):
        k, sep, v = part.strip().partition("=")
        if not sep:
            continue
        if k == "t":
            t = v
        elif k == "v1":
            v1s.append(v)
    if t is None or not v1s or not t.isdigit() or abs(now - int(t)) > tolerance:
        return False
    expected = hmac.new(secret.encode(), t.encode() + b"." + body, hashlib.sha256).hexdigest()
    ok = False
    for v1 in v1s:
        ok = hmac.compare_digest(expected, v1) or ok
    return ok


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.stderr.write("usage: BAWABA_WEBHOOK_SECRET=… python3 verify.py '<Bawaba-Signature>' < body\n")
        sys.exit(2)
    ok = verify(os.environ.get("BAWABA_WEBHOOK_SECRET", ""), sys.argv[1], sys.stdin.buffer.read(), time.time())
    print("valid" if ok else "invalid")
    sys.exit(0 if ok else 1)
