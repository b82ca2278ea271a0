"""The request-signing rule of the platform API (both ends: the kiosk's transport signs, central's middleware
verifies): the headers, what is signed in schemes 1 and 2, and the HMAC."""
from __future__ import annotations

import hashlib
import hmac

IDEMPOTENCY_HEADER = "Idempotency-Key"

# ----- request signing ------------------------------------------------------------------------------------
# Every request to a kiosk endpoint carries these headers. The signature is HMAC-SHA256, keyed with the
# kiosk's secret, over SIGNATURE_SCHEME, the method, the path with its query string exactly as sent, the
# timestamp, the nonce and the SHA-256 of the body (of b"" when there is none), joined by "\n".
# The platform refuses a timestamp further than its allowed skew from its own clock and a nonce it has
# seen within that window, so a captured request cannot be replayed.
SIGNATURE_SCHEME = "KIOSK-HMAC-SHA256"
H_KIOSK = "X-Kiosk-Id"
H_TIMESTAMP = "X-Timestamp"  # Unix time, whole seconds
H_NONCE = "X-Nonce"  # 16-64 characters [A-Za-z0-9_-], unique per request
H_BODY_SHA256 = "X-Content-SHA256"  # hex SHA-256 of the body bytes
H_SIGNATURE = "X-Signature"  # hex HMAC-SHA256
NONCE_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"
EMPTY_SHA256 = hashlib.sha256(b"").hexdigest()


#
# Scheme 2 (X-Signature-Version: 2) also covers the kiosk id and every header that changes what a request
# does: SIGNED_HEADERS, each as "name:value" (empty value when absent), so a captured upload chunk or
# submission cannot be replayed with another Upload-Offset or Idempotency-Key. Scheme 1 (no version
# header) is accepted by the platform only during its transition window (docs/api.md, "Signature versions").
SIGNATURE_SCHEME_V2 = "KIOSK-HMAC-SHA256-2"
H_SIGNATURE_VERSION = "X-Signature-Version"
SIGNATURE_VERSION = "2"
SIGNED_HEADERS = ("Upload-Offset", IDEMPOTENCY_HEADER)


def string_to_sign(method: str, path_with_query: str, timestamp: str, nonce: str, body_sha256: str) -> str:
    """Scheme 1 (legacy)."""
    return "\n".join((SIGNATURE_SCHEME, method.upper(), path_with_query, timestamp, nonce, body_sha256))


def string_to_sign_v2(kiosk_id: str, method: str, path_with_query: str, timestamp: str, nonce: str,
                      body_sha256: str, headers: dict[str, str]) -> str:
    """Scheme 2; ``headers`` is looked up case-insensitively for each of SIGNED_HEADERS."""
    lower = {k.lower(): v for k, v in headers.items()}
    covered = [f"{h.lower()}:{lower.get(h.lower(), '')}" for h in SIGNED_HEADERS]
    return "\n".join((SIGNATURE_SCHEME_V2, kiosk_id, method.upper(), path_with_query, timestamp, nonce, body_sha256,
                      *covered))


def _mac(secret: str | bytes, msg: str) -> str:
    key = secret if isinstance(secret, bytes) else secret.encode("utf-8")
    return hmac.new(key, msg.encode("utf-8", "surrogateescape"), hashlib.sha256).hexdigest()


def sign(secret: str, method: str, path_with_query: str, timestamp: str, nonce: str, body_sha256: str) -> str:
    """Scheme 1 (legacy; what kiosks before scheme 2 send)."""
    return _mac(secret, string_to_sign(method, path_with_query, timestamp, nonce, body_sha256))


def sign_v2(secret: str, kiosk_id: str, method: str, path_with_query: str, timestamp: str, nonce: str,
            body_sha256: str, headers: dict[str, str]) -> str:
    return _mac(secret, string_to_sign_v2(kiosk_id, method, path_with_query, timestamp, nonce, body_sha256, headers))
