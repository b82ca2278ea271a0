"""The reference central platform: a FastAPI app with OpenAPI, the contract the kiosk speaks.

Endpoints under /api/v1: health, catalog (ETag = catalog digest), submit an application (manifest plus
files, SHA-256 and size checked, idempotency key), and application status with its timeline. Items marked
秒批 are decided at once by their rules (``central.rules``).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import sqlite3
from pathlib import Path
from typing import Annotated

from fastapi import FastAPI, File, Form, Header, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from pydantic import ValidationError

from kiosk.platform.catalog_schema import Item, catalog_digest, load_catalog_dir
from kiosk.platform.schema import (API_PREFIX, CatalogResponse, Decision, ErrorResponse, Manifest,
                                   StatusResponse, SubmitResponse, TimelineEntry)

from .rules import decide
from .store import SqliteStore

log = logging.getLogger(__name__)

MAX_FILE_BYTES = 20 * 1024 * 1024
TZ = dt.timezone(dt.timedelta(hours=8), "CST")


def _now() -> str:
    return dt.datetime.now(TZ).isoformat(timespec="seconds")


def _error(status: int, code: int, message: str) -> JSONResponse:
    return JSONResponse(ErrorResponse(code=code, message=message).model_dump(), status_code=status)


def create_app(data_dir: Path, catalog_dir: Path) -> FastAPI:
    store = SqliteStore(Path(data_dir))
    items: list[Item] = load_catalog_dir(Path(catalog_dir))
    by_code = {i.code: i for i in items}
    digest = catalog_digest(items)
    catalog_json = CatalogResponse(version=digest, items=[i.model_dump(mode="json") for i in items])

    app = FastAPI(title="政务服务中心平台 (reference)", version="1.0",
                  description="Reference central platform for the self-service kiosk.")
    app.state.store = store

    @app.get(f"{API_PREFIX}/health")
    def health() -> dict:
        return {"status": "ok", "catalog_version": digest, "applications": store.count(), "time": _now()}

    @app.get(f"{API_PREFIX}/catalog", response_model=CatalogResponse)
    def catalog(request: Request) -> Response:
        etag = f'"{digest}"'
        if request.headers.get("if-none-match") == etag:
            return Response(status_code=304, headers={"ETag": etag})
        return JSONResponse(catalog_json.model_dump(mode="json"), headers={"ETag": etag})

    @app.post(f"{API_PREFIX}/applications", response_model=SubmitResponse,
              responses={409: {"model": ErrorResponse}, 422: {"model": ErrorResponse}})
    async def submit(manifest: Annotated[str, Form()],
                     idempotency_key: Annotated[str, Header(alias="Idempotency-Key", min_length=8, max_length=64)],
                     files: Annotated[list[UploadFile], File()] = []) -> Response:  # noqa: B006
        seen = store.find_by_key(idempotency_key)
        if seen is not None:
            return JSONResponse(dict(seen["response"], duplicate=True))
        try:
            m = Manifest.model_validate(json.loads(manifest))
        except (ValueError, ValidationError) as exc:
            return _error(422, 4001, f"manifest is not valid: {str(exc)[:300]}")
        if m.application_id != idempotency_key:
            return _error(422, 4002, "Idempotency-Key must equal manifest.application_id")
        item = by_code.get(m.item_code)
        if item is None:
            return _error(422, 4003, f"unknown item {m.item_code}")
        uploaded: dict[str, bytes] = {}
        for f in files:
            data = await f.read(MAX_FILE_BYTES + 1)
            if len(data) > MAX_FILE_BYTES:
                return _error(422, 4004, f"file {f.filename}: larger than {MAX_FILE_BYTES} bytes")
            uploaded[f.filename or ""] = data
        problem = _check_files(m, uploaded)
        if problem:
            return _error(422, 4005, problem)
        seq = store.next_seq()
        reference = f"SZ{dt.datetime.now(TZ):%Y%m%d}{seq:06d}"
        decision = decide(item, m)
        status = "received" if not decision.instant else ("approved" if decision.approved else "under_review")
        received_at = _now()
        response = SubmitResponse(reference=reference, status=status, decision=decision, received_at=received_at)
        try:
            store.insert({
                "reference": reference, "idempotency_key": idempotency_key, "item_code": m.item_code,
                "kiosk_id": m.kiosk_id, "status": status, "decision": decision.model_dump(mode="json"),
                "manifest": m.model_dump(mode="json"), "response": response.model_dump(mode="json"),
                "received_at": received_at,
            })
        except sqlite3.IntegrityError:
            # A concurrent request with the same key won the race: answer what it answered.
            seen = store.find_by_key(idempotency_key)
            if seen is None:
                return _error(409, 4009, "conflicting submission, try again")
            return JSONResponse(dict(seen["response"], duplicate=True))
        folder = store.files_dir / reference
        folder.mkdir(parents=True, exist_ok=True)
        for name, data in uploaded.items():
            (folder / name).write_bytes(data)
        store.add_event(reference, received_at, "received", {"zh": "已受理", "en": "Received"})
        if decision.instant:
            note = {"zh": "秒批：自动审批通过", "en": "Instant approval"} if decision.approved else \
                {"zh": "转人工审核", "en": "Sent to manual review"}
            store.add_event(reference, received_at, status, note)
        return JSONResponse(response.model_dump(mode="json"))

    @app.get(f"{API_PREFIX}/applications/{{reference}}", response_model=StatusResponse,
             responses={404: {"model": ErrorResponse}})
    def status(reference: str) -> Response:
        row = store.find_by_reference(reference)
        if row is None:
            return _error(404, 4040, f"no application {reference}")
        timeline = [TimelineEntry(at=e["at"], status=e["status"], note=e["note"]) for e in store.events(reference)]
        resp = StatusResponse(reference=reference, item_code=row["item_code"], status=row["status"],
                              decision=Decision.model_validate(row["decision"]), timeline=timeline)
        return JSONResponse(resp.model_dump(mode="json"))

    return app


def _check_files(m: Manifest, uploaded: dict[str, bytes]) -> str | None:
    declared = {f.name: f for f in m.files}
    for name in uploaded:
        if name not in declared:
            return f"file {name}: not listed in the manifest"
    for name, ref in declared.items():
        data = uploaded.get(name)
        if data is None:
            return f"file {name}: listed in the manifest but not uploaded"
        if len(data) != ref.size:
            return f"file {name}: size {len(data)} != {ref.size}"
        if hashlib.sha256(data).hexdigest() != ref.sha256:
            return f"file {name}: SHA-256 does not match the manifest"
    return None
