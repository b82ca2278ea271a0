"""Signed HTTP to the platform on requests: timeouts on every call, retries only where safe, clear errors.

Every request is signed (``schema.sign_v2``, scheme 2) over the kiosk id, method, path and query, timestamp,
nonce, body hash and the headers that change what a request does (Upload-Offset, Idempotency-Key).
A request is retried (exponential backoff with jitter) only when the caller says repeating it is harmless
(reads, and writes the platform deduplicates) and only for network errors, 5xx, 429 and 408. A stale
timestamp answered by the platform corrects the kiosk's clock offset and is retried once: the platform
did nothing with a refused request.
"""
from __future__ import annotations

import hashlib
import json
import logging
import random
import secrets
import time
from dataclasses import dataclass
from typing import Any, Callable

import requests

from .reachability import UNREACHABLE_STATUSES
from .urls import INSECURE_URL, insecure_url_problem  # noqa: F401 - also imported from here by callers
from .schema import (API_PREFIX, EMPTY_SHA256, H_BODY_SHA256, H_KIOSK, H_NONCE, H_SIGNATURE, H_SIGNATURE_VERSION,
                     H_TIMESTAMP, SIGNATURE_VERSION, ErrorCode, sign_v2)

log = logging.getLogger(__name__)


class PlatformError(Exception):
    """The platform could not be reached or answered with an error.

    ``kind`` says what went wrong: ``network`` (unreachable, timed out), ``server`` (5xx), ``throttled``
    (429), ``auth`` (401/403: secret, enrolment or clock), ``not_found`` (404), ``conflict`` (409),
    ``invalid`` (other 4xx: the request itself is wrong) or ``protocol`` (an answer we cannot read).
    ``retryable`` tells the outbox whether trying again later can help. ``code`` is the platform's
    ErrorResponse code when it sent one.
    """

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = True, code: int | None = None,
                 kind: str = "network") -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable
        self.code = code
        self.kind = kind


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 3  # tries in all, for a request that is safe to repeat
    backoff_s: float = 0.3  # first pause; doubles each time, with jitter
    backoff_max_s: float = 3.0


_RETRY_STATUS = {408, 425, 429, 500, 502, 503, 504}


def classify(status: int, code: int | None) -> tuple[str, bool]:
    """(kind, retryable) of an HTTP error status for the outbox's purposes."""
    if status >= 500:
        return "server", True
    if status == 429:
        return "throttled", True
    if status in (408, 425):
        return "network", True
    if status in (401, 403):
        # A wrong secret or clock is fixed by a technician; the application must then go out by itself.
        return "auth", True
    if status == 404:
        return "not_found", False
    if status == 409:
        return "conflict", code == ErrorCode.CONFLICT
    return "invalid", False


class SignedTransport:
    def __init__(self, base_url: str, *, kiosk_id: str, secret: str | None, connect_timeout_s: float = 3.0,
                 timeout_s: float = 10.0, verify_tls: bool | str = True, retry: RetryPolicy = RetryPolicy(),
                 session: requests.Session | None = None, sleep: Callable[[float], None] = time.sleep,
                 observer: Callable[[bool, str], None] | None = None) -> None:
        why = insecure_url_problem(base_url)
        if why:
            raise ValueError(why)
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.secret = secret
        self.connect_timeout_s = connect_timeout_s
        self.timeout_s = timeout_s
        self.verify_tls = verify_tls
        self.retry = retry
        self.clock_offset_s = 0.0  # platform clock minus ours, learnt from a stale-timestamp answer
        self._http = session or requests.Session()
        self._http.headers["User-Agent"] = f"kiosk/{kiosk_id}"
        self._sleep = sleep
        # Told each request's outcome: (platform answered, why not). ``reachability.LinkWatch.report``.
        self.observer = observer

    def url(self, path: str) -> str:
        return f"{self.base_url}{API_PREFIX}{path}"

    def close(self) -> None:
        self._http.close()

    def request(self, method: str, path: str, *, json_body: Any = None, data: bytes | None = None,
                files: Any = None, headers: dict[str, str] | None = None, params: dict[str, str] | None = None,
                safe: bool = False, signed: bool = True, timeout_s: float | None = None,
                attempts: int | None = None, absolute_url: str | None = None,
                ok_statuses: tuple[int, ...] = ()) -> requests.Response:
        """One API call. ``safe``: repeating it is harmless, so network errors and 5xx are retried."""
        tries = (attempts or self.retry.attempts) if safe else 1
        read_timeout = timeout_s or self.timeout_s
        skew_fixed = False
        n = 0
        while True:
            n += 1
            prepared = self._prepare(method, absolute_url or self.url(path), json_body, data, files, headers, params,
                                     signed)
            try:
                resp = self._send(prepared, min(self.connect_timeout_s, read_timeout), read_timeout)
            except PlatformError as exc:
                self._observe(False, str(exc))
                if n < tries:
                    self._backoff(n, f"{method} {path}: {exc}")
                    continue
                raise
            self._observe(resp.status_code not in UNREACHABLE_STATUSES, f"{method} {path}: HTTP {resp.status_code}")
            if resp.status_code < 400 or resp.status_code in ok_statuses:
                return resp
            err = self._error(method, path, resp)
            if err.code == ErrorCode.AUTH_STALE and not skew_fixed and _server_time(resp) is not None:
                self.clock_offset_s = _server_time(resp) - time.time()  # type: ignore[operator]
                log.warning("platform clock differs by %.0f s; correcting and retrying", self.clock_offset_s)
                skew_fixed = True
                n -= 1
                continue
            if safe and resp.status_code in _RETRY_STATUS and n < tries:
                self._backoff(n, str(err), resp.headers.get("Retry-After"))
                continue
            raise err

    def _observe(self, answered: bool, why: str) -> None:
        if self.observer is not None:
            try:
                self.observer(answered, why)
            except Exception:  # the link's bookkeeping must never break a request
                log.exception("link observer failed")

    def _prepare(self, method: str, url: str, json_body: Any, data: bytes | None, files: Any,
                 headers: dict[str, str] | None, params: dict[str, str] | None, signed: bool) -> requests.PreparedRequest:
        body_data: Any = data
        hdrs = dict(headers or {})
        if json_body is not None:
            body_data = json.dumps(json_body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
            hdrs["Content-Type"] = "application/json"
        prepared = self._http.prepare_request(requests.Request(method, url, data=body_data, files=files,
                                                               headers=hdrs, params=params))
        if signed:
            body = prepared.body or b""
            if isinstance(body, str):
                body = body.encode("utf-8")
            digest = hashlib.sha256(body).hexdigest() if body else EMPTY_SHA256
            ts = str(int(time.time() + self.clock_offset_s))
            nonce = secrets.token_urlsafe(18)
            prepared.headers[H_KIOSK] = self.kiosk_id
            prepared.headers[H_TIMESTAMP] = ts
            prepared.headers[H_NONCE] = nonce
            prepared.headers[H_BODY_SHA256] = digest
            prepared.headers[H_SIGNATURE_VERSION] = SIGNATURE_VERSION
            prepared.headers[H_SIGNATURE] = sign_v2(self.secret or "", self.kiosk_id, method, prepared.path_url, ts,
                                                    nonce, digest, dict(prepared.headers))
        return prepared

    def _send(self, prepared: requests.PreparedRequest, connect_s: float, read_s: float) -> requests.Response:
        what = f"{prepared.method} {prepared.path_url.split('?')[0]}"
        env = self._http.merge_environment_settings(prepared.url, {}, None, self.verify_tls, None)
        try:
            return self._http.send(prepared, timeout=(connect_s, read_s), **env)
        except requests.exceptions.SSLError as exc:
            raise PlatformError(f"{what}: TLS certificate not accepted ({exc.__class__.__name__}); check the "
                                f"platform's certificate or platform.ca_file", kind="network") from exc
        except requests.Timeout as exc:
            raise PlatformError(f"{what}: no answer within {read_s:g} s", kind="network") from exc
        except requests.ConnectionError as exc:
            raise PlatformError(f"{what}: platform unreachable ({type(exc).__name__})", kind="network") from exc
        except requests.RequestException as exc:
            raise PlatformError(f"{what}: {exc}", kind="network") from exc

    def _error(self, method: str, path: str, resp: requests.Response) -> PlatformError:
        code, detail = _detail(resp)
        kind, retryable = classify(resp.status_code, code)
        return PlatformError(f"{method} {path}: HTTP {resp.status_code}{f' [{code}]' if code else ''}: {detail}",
                             status=resp.status_code, retryable=retryable, code=code, kind=kind)

    def _backoff(self, attempt: int, why: str, retry_after: str | None = None) -> None:
        pause = min(self.retry.backoff_max_s, self.retry.backoff_s * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
        if retry_after and retry_after.isdigit():
            pause = min(self.retry.backoff_max_s, max(pause, float(retry_after)))
        log.info("retrying in %.2f s: %s", pause, why)
        self._sleep(pause)


def _server_time(resp: requests.Response) -> float | None:
    try:
        value = resp.json().get("server_time")
    except (ValueError, AttributeError):
        return None
    return float(value) if isinstance(value, (int, float)) else None


def _detail(resp: requests.Response) -> tuple[int | None, str]:
    try:
        body = resp.json()
    except ValueError:
        return None, resp.text[:200]
    if isinstance(body, dict):
        code = body.get("code") if isinstance(body.get("code"), int) else None
        return code, str(body.get("message") or body.get("detail") or body)[:300]
    return None, str(body)[:300]


def parse(model: Any, resp: requests.Response, what: str) -> Any:
    """The answer as ``model``; an answer that does not fit the contract is a clear protocol error."""
    try:
        return model.model_validate(resp.json())
    except ValueError as exc:
        raise PlatformError(f"{what}: the platform's answer does not fit the API ({str(exc)[:200]})",
                            status=resp.status_code, retryable=True, kind="protocol") from exc
