"""Who is calling: signed kiosk requests (HMAC-SHA256, see kiosk.platform.schema) and the administrator.

A pure ASGI middleware checks a kiosk request's signed headers BEFORE it reads a byte of the body: the
kiosk is known, the timestamp fresh, the nonce well formed and the signature over method, path, query and
the signed headers verifies. Only then is the body read, against the declared Content-Length, the size
cap and a deadline that grows with the declared length; then its SHA-256 is checked against the signed
hash and the nonce is spent. Everything else (health, enrolment, the administrator's paths, the tracking
page, the OpenAPI document) has a small body cap. JSON bodies nested too deep or carrying a lone surrogate
are refused before any parser sees them (``central.jsonguard``). Every secret and header is compared as
bytes, so odd bytes are a 401, never a 500. A refusal is one log line and closes the connection.

Signature scheme 2 (X-Signature-Version: 2) is the kiosk's; scheme 1 is accepted until
``PlatformConfig.signature_v1_until`` (the transition window of kiosks deployed before scheme 2).
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
import re
from typing import Any, Awaitable, Callable

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from kiosk.platform.schema import (API_PREFIX, H_BODY_SHA256, H_KIOSK, H_NONCE, H_SIGNATURE, H_SIGNATURE_VERSION,
                                   H_TIMESTAMP, NONCE_PATTERN, SIGNATURE_VERSION, SIGNED_HEADERS, ErrorCode, sign,
                                   sign_v2)

from . import jsonguard
from .config import PlatformConfig
from .errors import ApiError as Refused
from .store import Store

log = logging.getLogger(__name__)

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

PUBLIC = (f"{API_PREFIX}/health", f"{API_PREFIX}/kiosks/enrol",
          f"{API_PREFIX}/courier/")  # the carrier signs its own way (central/notify/courier.py)
ADMIN = f"{API_PREFIX}/admin/"
VERIFY_FILE = "/verify"  # public like /t/{token}: outside API_PREFIX, unsigned; its own body cap
_NONCE = re.compile(NONCE_PATTERN.encode())
_HEX64 = re.compile(rb"^[0-9a-fA-F]{64}$")
_KIOSK_ID = re.compile(rb"^[A-Za-z0-9_.-]{1,64}$")


def needs_signature(path: str) -> bool:
    if not path.startswith(API_PREFIX + "/"):
        return False  # /openapi.json, /docs, /t/{reference}
    return not (path.startswith(PUBLIC) or path.startswith(ADMIN))


def _headers(scope: Scope) -> dict[bytes, bytes]:
    return {k.lower(): v for k, v in scope["headers"]}


class SignatureMiddleware:
    def __init__(self, app: Any, config: PlatformConfig, store: Store) -> None:
        self.app, self.config, self.store = app, config, store
        self._v1_seen: set[str] = set()
        self._inflight = 0

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._inflight >= self.config.max_inflight:
            await _json(send, 503, {"code": ErrorCode.BUSY, "message": "the platform is busy; try again shortly"},
                        retry_after=True)
            return
        self._inflight += 1
        try:
            await self._handle(scope, receive, send)
        finally:
            self._inflight -= 1

    async def _handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = _headers(scope)
        try:
            signed = needs_signature(scope["path"])
            pending = self.verify_headers(scope, headers) if signed else None
            cap = self.config.max_body_bytes if signed else self.config.max_public_body_bytes
            if scope["path"] == VERIFY_FILE and scope["method"] == "POST":
                cap = self.config.max_verify_body_bytes  # a result PDF to check (public, issue 18)
            declared = _content_length(headers)
            if declared is not None and declared > cap:
                raise Refused(413, ErrorCode.BODY_TOO_LARGE, f"request body larger than {cap} bytes"
                              + ("; use /uploads" if signed else ""))
            deadline = self.config.body_timeout_s + (declared or 0) / self.config.min_body_rate_bps
            body = await self._read_body(receive, cap, deadline)
            if b"json" in headers.get(b"content-type", b""):
                why = jsonguard.problem(body)
                if why:
                    raise Refused(422, ErrorCode.REQUEST_INVALID, f"JSON refused: {why}")
            if pending is not None:
                scope.setdefault("state", {})["kiosk_id"] = self.verify_body(pending, body)
        except Refused as exc:
            client = (scope.get("client") or ("?", 0))[0]
            log.info("refused %s %s from %s: HTTP %d [%d] %s", scope["method"], scope["path"][:80], client,
                     exc.status, exc.code, exc.message[:120])
            await _json(send, exc.status, exc.payload())
            return
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # then wait for the disconnect, as the server would say

        await self.app(scope, replay, send)

    async def _read_body(self, receive: Receive, cap: int, deadline_s: float) -> bytes:
        chunks: list[bytes] = []
        size = 0
        try:
            async with asyncio.timeout(deadline_s):
                while True:
                    message = await receive()
                    if message["type"] == "http.disconnect":
                        raise Refused(400, ErrorCode.REQUEST_INVALID, "client went away")
                    chunk = message.get("body", b"")
                    size += len(chunk)
                    if size > cap:
                        raise Refused(413, ErrorCode.BODY_TOO_LARGE, f"request body larger than {cap} bytes")
                    chunks.append(chunk)
                    if not message.get("more_body", False):
                        return b"".join(chunks)
        except TimeoutError:
            raise Refused(408, ErrorCode.BODY_TOO_SLOW, f"the body did not arrive within {deadline_s:.0f} s") from None

    def verify_headers(self, scope: Scope, headers: dict[bytes, bytes]) -> tuple[str, bytes, bytes, str]:
        """The signed headers, checked before the body is read: (kiosk id, nonce, body hash, version)."""
        kiosk_raw = headers.get(H_KIOSK.lower().encode(), b"")
        ts = headers.get(H_TIMESTAMP.lower().encode(), b"")
        nonce = headers.get(H_NONCE.lower().encode(), b"")
        body_hash = headers.get(H_BODY_SHA256.lower().encode(), b"")
        signature = headers.get(H_SIGNATURE.lower().encode(), b"")
        version = headers.get(H_SIGNATURE_VERSION.lower().encode(), b"1")
        if not (kiosk_raw and ts and nonce and body_hash and signature):
            raise Refused(401, ErrorCode.AUTH_MISSING, "request is not signed: X-Kiosk-Id, X-Timestamp, X-Nonce, "
                                                       "X-Content-SHA256 and X-Signature are required")
        if not _KIOSK_ID.match(kiosk_raw):
            raise Refused(401, ErrorCode.AUTH_UNKNOWN_KIOSK, "kiosk id is not enrolled")
        kiosk_id = kiosk_raw.decode("ascii")
        kiosk = self.store.kiosk(kiosk_id)
        if kiosk is None:
            raise Refused(401, ErrorCode.AUTH_UNKNOWN_KIOSK, f"kiosk {kiosk_id!r} is not enrolled")
        now = self.config.clock()
        skew = abs(int(ts) - now) if ts.isdigit() and len(ts) <= 12 else float("inf")
        if skew > self.config.max_skew_s:
            raise Refused(401, ErrorCode.AUTH_STALE, f"timestamp is {skew:.0f} s from the platform's clock "
                          f"(at most {self.config.max_skew_s:.0f} s)", server_time=int(now))
        if not _NONCE.match(nonce):
            raise Refused(401, ErrorCode.AUTH_MISSING, "X-Nonce must be 16-64 characters [A-Za-z0-9_-]")
        if not _HEX64.match(body_hash):
            raise Refused(401, ErrorCode.AUTH_MISSING, "X-Content-SHA256 must be 64 hex digits")
        path = (scope.get("raw_path") or scope["path"].encode("utf-8")).decode("latin-1")
        if scope.get("query_string"):
            path += "?" + scope["query_string"].decode("latin-1")
        args = (scope["method"], path, ts.decode("ascii"), nonce.decode("ascii"), body_hash.decode("ascii").lower())
        if version == SIGNATURE_VERSION.encode():
            covered = {h: headers.get(h.lower().encode(), b"").decode("latin-1") for h in SIGNED_HEADERS}
            expected = sign_v2(kiosk["secret"], kiosk_id, *args, covered)
        elif version == b"1":
            until = self.config.signature_v1_until
            if until is None or now > until:
                raise Refused(401, ErrorCode.AUTH_SCHEME_RETIRED, "signature scheme 1 is no longer accepted: "
                                                                  "update the kiosk (scheme 2, docs/api.md)")
            expected = sign(kiosk["secret"], *args)
            if kiosk_id not in self._v1_seen:
                self._v1_seen.add(kiosk_id)
                log.warning("kiosk %s signs with scheme 1, accepted for its transition window only", kiosk_id)
        else:
            raise Refused(401, ErrorCode.AUTH_MISSING, f"{H_SIGNATURE_VERSION} must be {SIGNATURE_VERSION} (or absent)")
        if not hmac.compare_digest(expected.encode("ascii"), signature.lower()):
            raise Refused(401, ErrorCode.AUTH_BAD_SIGNATURE, "signature does not match (wrong secret, or the "
                                                             "request was changed on the way)")
        return kiosk_id, nonce, body_hash.lower(), version.decode("ascii")

    def verify_body(self, pending: tuple[str, bytes, bytes, str], body: bytes) -> str:
        kiosk_id, nonce, body_hash, _version = pending
        if not hmac.compare_digest(hashlib.sha256(body).hexdigest().encode("ascii"), body_hash):
            raise Refused(401, ErrorCode.AUTH_BODY_HASH, "body does not match X-Content-SHA256")
        now = self.config.clock()
        if not self.store.remember_nonce(kiosk_id, nonce.decode("ascii"), now, now - 2 * self.config.max_skew_s):
            raise Refused(401, ErrorCode.AUTH_REPLAY, "nonce already used: a replayed request")
        return kiosk_id


def _content_length(headers: dict[bytes, bytes]) -> int | None:
    value = headers.get(b"content-length")
    if value is None:
        return None
    if not value.isdigit() or len(value) > 15:
        raise Refused(400, ErrorCode.REQUEST_INVALID, "Content-Length is not a number")
    return int(value)


async def _json(send: Send, status: int, payload: dict[str, Any], *, retry_after: bool = False) -> None:
    """A refusal; the connection is closed after it (the body may still be on its way)."""
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
               (b"connection", b"close")]
    if retry_after:
        headers.append((b"retry-after", b"1"))
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# Dependencies: they document the schemes in OpenAPI and give handlers the caller.
_signature_header = APIKeyHeader(name=H_SIGNATURE, auto_error=False, scheme_name="kioskSignature",
                                 description="HMAC-SHA256 request signature; see docs/api.md (with X-Kiosk-Id, "
                                             "X-Timestamp, X-Nonce, X-Content-SHA256)")
_bearer = HTTPBearer(auto_error=False, scheme_name="adminToken")


def kiosk_id(request: Request, _sig: str | None = Depends(_signature_header)) -> str:
    """The authenticated kiosk (set by the middleware); a handler reached without one is a wiring bug."""
    value = request.scope.get("state", {}).get("kiosk_id")
    if not value:
        raise Refused(401, ErrorCode.AUTH_MISSING, "not signed")
    return str(value)


def admin(request: Request, cred: HTTPAuthorizationCredentials | None = Depends(_bearer)) -> str:
    token = request.app.state.platform.config.admin_token
    # As bytes: a non-ASCII byte in the header is a wrong token (401), not a TypeError (500).
    given = cred.credentials.encode("utf-8", "surrogateescape") if cred is not None else b""
    if not token or cred is None or not hmac.compare_digest(given, token.encode("utf-8")):
        raise Refused(401, ErrorCode.AUTH_ADMIN, "administrator token required")
    return "admin"
