"""Typed client for the central platform, on requests: a timeout on every call, clear errors.

Only idempotent calls are retried here (GETs, and the submit, whose idempotency key makes a repeat
harmless); the outbox owns the long retry schedule for submissions.
"""
from __future__ import annotations

import json
import logging
from typing import Any

import requests

from .schema import (API_PREFIX, IDEMPOTENCY_HEADER, CatalogResponse, Manifest, StatusResponse,
                     SubmitResponse)

log = logging.getLogger(__name__)


class PlatformError(Exception):
    """The platform could not be reached or answered with an error.

    ``retryable`` tells the outbox whether to try again later (network, 5xx, 429) or to give up (4xx:
    the request itself is wrong and will stay wrong).
    """

    def __init__(self, message: str, *, status: int | None = None, retryable: bool = True) -> None:
        super().__init__(message)
        self.status = status
        self.retryable = retryable


class PlatformClient:
    def __init__(self, base_url: str, *, kiosk_id: str, timeout_s: float = 10.0, verify_tls: bool = True,
                 session: requests.Session | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.kiosk_id = kiosk_id
        self.timeout_s = timeout_s
        self.verify_tls = verify_tls
        self._http = session or requests.Session()
        self._http.headers["User-Agent"] = f"kiosk/{kiosk_id}"
        self._http.headers["X-Kiosk-Id"] = kiosk_id

    def _url(self, path: str) -> str:
        return f"{self.base_url}{API_PREFIX}{path}"

    def _request(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout_s)
        kwargs.setdefault("verify", self.verify_tls)
        try:
            resp = self._http.request(method, self._url(path), **kwargs)
        except requests.Timeout as exc:
            raise PlatformError(f"{method} {path}: no answer within {self.timeout_s:.0f} s") from exc
        except requests.ConnectionError as exc:
            raise PlatformError(f"{method} {path}: platform unreachable ({type(exc).__name__})") from exc
        except requests.RequestException as exc:
            raise PlatformError(f"{method} {path}: {exc}") from exc
        if resp.status_code >= 400:
            detail = _detail(resp)
            retryable = resp.status_code >= 500 or resp.status_code in (408, 425, 429)
            raise PlatformError(f"{method} {path}: HTTP {resp.status_code}: {detail}", status=resp.status_code,
                                retryable=retryable)
        return resp

    def health(self) -> dict[str, Any]:
        return self._request("GET", "/health").json()

    def catalog(self) -> CatalogResponse:
        return CatalogResponse.model_validate(self._request("GET", "/catalog").json())

    def submit(self, manifest: Manifest, files: dict[str, bytes]) -> SubmitResponse:
        """Submit an application; the application id is the idempotency key."""
        parts: list[tuple[str, tuple[str | None, bytes, str]]] = [
            ("manifest", (None, manifest.model_dump_json().encode("utf-8"), "application/json"))]
        mimes = {f.name: f.mime for f in manifest.files}
        for name, data in files.items():
            parts.append(("files", (name, data, mimes.get(name, "application/octet-stream"))))
        resp = self._request("POST", "/applications", files=parts,
                             headers={IDEMPOTENCY_HEADER: manifest.application_id})
        return SubmitResponse.model_validate(resp.json())

    def status(self, reference: str) -> StatusResponse:
        return StatusResponse.model_validate(self._request("GET", f"/applications/{reference}").json())


def _detail(resp: requests.Response) -> str:
    try:
        body = resp.json()
    except (ValueError, json.JSONDecodeError):
        return resp.text[:200]
    if isinstance(body, dict):
        return str(body.get("message") or body.get("detail") or body)[:300]
    return str(body)[:300]
