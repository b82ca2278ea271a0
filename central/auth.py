"""Who is calling: signed kiosk requests (HMAC-SHA256, see kiosk.platform.schema) and the administrator.

A pure ASGI middleware reads the body once (bounded), checks the signature headers, the body hash, the
timestamp window and the nonce, and hands the same bytes on to the app. Public paths (health, enrolment,
the simulated payer, the tracking page, the OpenAPI document) and the administrator's paths (Bearer token,
checked by a dependency) pass through unsigned.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import re
from typing import Any, Awaitable, Callable

from fastapi import Depends, Request
from fastapi.security import APIKeyHeader, HTTPAuthorizationCredentials, HTTPBearer

from kiosk.platform.schema import (API_PREFIX, H_BODY_SHA256, H_KIOSK, H_NONCE, H_SIGNATURE, H_TIMESTAMP,
                                   NONCE_PATTERN, ErrorCode, sign)

from .config import PlatformConfig
from .errors import ApiError as Refused
from .store import Store

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]

PUBLIC = (f"{API_PREFIX}/health", f"{API_PREFIX}/kiosks/enrol", f"{API_PREFIX}/sim/")
ADMIN = f"{API_PREFIX}/admin/"
_NONCE = re.compile(NONCE_PATTERN)


def needs_signature(path: str) -> bool:
    if not path.startswith(API_PREFIX + "/"):
        return False  # /openapi.json, /docs, /t/{reference}
    return not (path.startswith(PUBLIC) or path.startswith(ADMIN))


class SignatureMiddleware:
    def __init__(self, app: Any, config: PlatformConfig, store: Store) -> None:
        self.app, self.config, self.store = app, config, store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            body = await self._read_body(receive)
            if needs_signature(scope["path"]):
                scope.setdefault("state", {})["kiosk_id"] = self.verify(scope, body)
        except Refused as exc:
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

    async def _read_body(self, receive: Receive) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise Refused(400, ErrorCode.REQUEST_INVALID, "client went away")
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.config.max_body_bytes:
                raise Refused(413, ErrorCode.BODY_TOO_LARGE,
                              f"request body larger than {self.config.max_body_bytes} bytes; use /uploads")
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    def verify(self, scope: Scope, body: bytes) -> str:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        kiosk_id = headers.get(H_KIOSK.lower(), "")
        ts = headers.get(H_TIMESTAMP.lower(), "")
        nonce = headers.get(H_NONCE.lower(), "")
        body_hash = headers.get(H_BODY_SHA256.lower(), "")
        signature = headers.get(H_SIGNATURE.lower(), "")
        if not (kiosk_id and ts and nonce and body_hash and signature):
            raise Refused(401, ErrorCode.AUTH_MISSING, "request is not signed: X-Kiosk-Id, X-Timestamp, X-Nonce, "
                                                       "X-Content-SHA256 and X-Signature are required")
        kiosk = self.store.kiosk(kiosk_id)
        if kiosk is None:
            raise Refused(401, ErrorCode.AUTH_UNKNOWN_KIOSK, f"kiosk {kiosk_id[:64]!r} is not enrolled")
        raw_path = scope.get("raw_path") or scope["path"].encode("utf-8")
        path = raw_path.decode("latin-1")
        if scope.get("query_string"):
            path += "?" + scope["query_string"].decode("latin-1")
        expected = sign(kiosk["secret"], scope["method"], path, ts, nonce, body_hash)
        if not hmac.compare_digest(expected, signature.lower()):
            raise Refused(401, ErrorCode.AUTH_BAD_SIGNATURE, "signature does not match (wrong secret, or the "
                                                             "request was changed on the way)")
        if not hmac.compare_digest(hashlib.sha256(body).hexdigest(), body_hash.lower()):
            raise Refused(401, ErrorCode.AUTH_BODY_HASH, "body does not match X-Content-SHA256")
        now = self.config.clock()
        try:
            skew = abs(int(ts) - now)
        except ValueError:
            skew = float("inf")
        if skew > self.config.max_skew_s:
            raise Refused(401, ErrorCode.AUTH_STALE, f"timestamp is {skew:.0f} s from the platform's clock "
                          f"(at most {self.config.max_skew_s:.0f} s)", server_time=int(now))
        if not _NONCE.match(nonce):
            raise Refused(401, ErrorCode.AUTH_MISSING, "X-Nonce must be 16-64 characters [A-Za-z0-9_-]")
        if not self.store.remember_nonce(kiosk_id, nonce, now, now - 2 * self.config.max_skew_s):
            raise Refused(401, ErrorCode.AUTH_REPLAY, "nonce already used: a replayed request")
        return kiosk_id


async def _json(send: Send, status: int, payload: dict[str, Any]) -> None:
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
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
    if not token or cred is None or not hmac.compare_digest(cred.credentials, token):
        raise Refused(401, ErrorCode.AUTH_ADMIN, "administrator token required")
    return "admin"
