"""HMAC-SHA256 signatures for webhook bodies, in one header carrying a timestamp and the signature:

    Ordergate-Signature: t=1732521600,v1=5f2b...e9

The signed text is `f"{t}.{body}"`, so a receiver can refuse replays older than a tolerance and no
one can move a signature to another body. Receivers compare in constant time (`verify_signature`).
"""
from __future__ import annotations

import hashlib
import hmac
from datetime import datetime

SIGNATURE_HEADER = "Ordergate-Signature"
EVENT_HEADER = "Ordergate-Event"
DELIVERY_HEADER = "Ordergate-Delivery"
DEFAULT_TOLERANCE_SECONDS = 300


class SignatureError(ValueError):
    """The signature header is missing, malformed, too old, or does not match the body."""


def sign(secret: str, body: bytes, timestamp: int) -> str:
    """The header value for `body` sent at `timestamp` (Unix seconds)."""
    mac = hmac.new(secret.encode("utf-8"), f"{timestamp}.".encode("ascii") + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify_signature(secret: str, header: str | None, body: bytes, now: datetime | float,
                     tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS) -> int:
    """Check a received header; returns its timestamp, raises SignatureError otherwise."""
    if not header:
        raise SignatureError(f"missing {SIGNATURE_HEADER} header")
    parts: dict[str, list[str]] = {}
    for item in header.split(","):
        name, sep, value = item.strip().partition("=")
        if sep:
            parts.setdefault(name, []).append(value)
    try:
        timestamp = int(parts["t"][0])
    except (KeyError, ValueError):
        raise SignatureError(f"malformed {SIGNATURE_HEADER} header: no timestamp") from None
    current = now.timestamp() if isinstance(now, datetime) else float(now)
    if abs(current - timestamp) > tolerance_seconds:
        raise SignatureError(f"signature timestamp {timestamp} is outside the {tolerance_seconds}s window")
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    if not any(hmac.compare_digest(expected, candidate) for candidate in parts.get("v1", [])):
        raise SignatureError("signature does not match the body")
    return timestamp
