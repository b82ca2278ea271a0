"""Submit an application (manifest + files, SHA-256 checked, idempotency key) and follow its status."""
from __future__ import annotations

import hashlib
import re
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Header, Query, UploadFile
from pydantic import ValidationError
from starlette.concurrency import run_in_threadpool

from kiosk.platform.schema import (IDEMPOTENCY_HEADER, ErrorCode, ErrorResponse, Manifest, StatusResponse,
                                   SubmitResponse)

from .. import jsonguard
from ..auth import kiosk_id
from ..citizens import TOKEN, checked_read
from ..context import Platform, platform
from ..errors import ApiError, not_found
from ..validation import delivery_problem
from ..validation import problems as incomplete
from ..face import read_face_record
from ..workflow import accept, after_stored, manifest_sha256, mark_refund_due, status_of

router = APIRouter(prefix="/applications", tags=["applications"])
track_router = APIRouter(tags=["applications"])

REFERENCE = re.compile(r"SZ[0-9]{14}")
LOCAL_NUMBER = re.compile(r"[A-Za-z0-9_.-]{1,64}-[0-9]{8}-[0-9]{4,6}")  # kiosk/outbox.py: KIOSK-YYYYMMDD-NNNN
TOKEN_IN = re.compile(r"(?:^|/)([A-Za-z2-7]{26})$")  # a receipt's token, alone or after the tracking URL
SESSION = Query(max_length=64, description="CitizenSession.session_id: read as the citizen's kiosk")
TOKEN_Q = Query(max_length=64, description="The receipt's tracking token")
_ERRORS = {409: {"model": ErrorResponse}, 413: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}


@router.post("", response_model=SubmitResponse, responses=_ERRORS,
             summary="Submit an application; repeating the same Idempotency-Key returns the first answer")
async def submit(manifest: Annotated[str, Form(description="The Manifest as JSON")],
                 idempotency_key: Annotated[str, Header(alias=IDEMPOTENCY_HEADER, min_length=8, max_length=64)],
                 files: Annotated[list[UploadFile], File(description="Files not sent through /uploads")] = [],  # noqa: B006
                 p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> SubmitResponse:
    seen = p.store.find_by_key(idempotency_key)
    try:
        raw = jsonguard.loads(manifest)  # depth-limited, no lone surrogates
        m = Manifest.model_validate(raw)
    except (ValueError, ValidationError) as exc:
        if seen is not None:
            raise ApiError(409, ErrorCode.CONFLICT, "Idempotency-Key already used by another submission") from None
        raise ApiError(422, ErrorCode.MANIFEST_INVALID, f"manifest is not valid: {str(exc)[:300]}") from None
    sha = manifest_sha256(m.model_dump(mode="json"))
    if seen is not None:
        if seen["kiosk_id"] != kid or (seen.get("manifest_sha256") and seen["manifest_sha256"] != sha):
            raise ApiError(409, ErrorCode.CONFLICT, "Idempotency-Key already used by another submission")
        return await run_in_threadpool(_answer_again, p, seen)
    if m.application_id != idempotency_key:
        raise ApiError(422, ErrorCode.KEY_MISMATCH, "Idempotency-Key must equal manifest.application_id")
    if m.kiosk_id != kid:
        raise ApiError(422, ErrorCode.KIOSK_MISMATCH, f"manifest.kiosk_id {m.kiosk_id!r} is not the signing kiosk")
    item = p.by_code.get(m.item_code)
    if item is None:
        raise ApiError(422, ErrorCode.UNKNOWN_ITEM, f"unknown item {m.item_code}")
    inline: dict[str, bytes] = {}
    for f in files:
        data = await f.read(p.config.max_file_bytes + 1)
        if len(data) > p.config.max_file_bytes:
            raise ApiError(413, ErrorCode.FILE_TOO_LARGE, f"file {f.filename}: larger than "
                           f"{p.config.max_file_bytes} bytes; send it through /uploads")
        inline[f.filename or ""] = data
    problem = _check_files(p, m, inline, kid)
    if problem:
        raise ApiError(422, ErrorCode.FILE_MISMATCH, problem)
    face, refused = read_face_record(m, lambda name: _sent_bytes(p, m, inline, name))
    if refused is not None:  # a claimed face record that is not there or not one: never stored
        await run_in_threadpool(mark_refund_due, p, kid, m, refused[1])
        raise ApiError(422, refused[0], refused[1])
    bad_address = delivery_problem(m)
    if bad_address is not None:  # never stored; money paid for it goes back
        code, reason = bad_address
        await run_in_threadpool(mark_refund_due, p, kid, m, reason.en)
        raise ApiError(422, code, f"delivery address: {reason.en}"[:600])
    missing = incomplete(item, m)
    if missing:  # never stored, never decided; money paid for it goes back
        why = "; ".join(r.en for r in missing)
        await run_in_threadpool(mark_refund_due, p, kid, m, why)
        raise ApiError(422, ErrorCode.APPLICATION_INCOMPLETE, f"application incomplete: {why}"[:600])
    return await run_in_threadpool(_store, p, item, m, kid, idempotency_key, sha, inline, face)


def _sent_bytes(p: Platform, m: Manifest, inline: dict[str, bytes], name: str) -> bytes | None:
    """A sent file's bytes (after ``_check_files``): inline, or a completed upload's."""
    ref = next((f for f in m.files if f.name == name), None)
    if ref is None:
        return None
    if not ref.upload_id:
        return inline.get(name)
    if p.files.has_blob(ref.sha256):
        return p.files.get_blob(ref.sha256)
    path = p.files.upload_path(ref.upload_id)
    return path.read_bytes() if path.exists() else None


def _store(p: Platform, item, m: Manifest, kid: str, key: str, sha: str, inline: dict[str, bytes],
           face: dict | None = None) -> SubmitResponse:
    with p.submit_lock:
        seen = p.store.find_by_key(key)
        if seen is None:
            # Files first, under the reference to be: an application is only visible once its files are there.
            response, _ = accept(p, item, m, kid, key, sha, files=lambda ref: _write_files(p, m, inline, ref),
                                 face=face)
    if seen is not None:
        return _answer_again(p, seen)
    after_stored(p, response)  # the 秒批 result document, outside the lock (issue 18)
    return response


def _answer_again(p: Platform, seen: dict) -> SubmitResponse:
    """A retry's answer: the first one, marked duplicate. The kiosk retries when its first answer was lost,
    while that first request may still be issuing the 秒批 result (or issuing failed then): an answer that says
    approved has its result behind it. Issuing is idempotent (two issuers index one document, one event)."""
    response = SubmitResponse.model_validate(dict(seen["response"], duplicate=True))
    after_stored(p, response)
    return response


def _write_files(p: Platform, m: Manifest, inline: dict[str, bytes], reference: str) -> None:
    for ref in m.files:
        if ref.upload_id:
            p.files.adopt_upload(ref.upload_id, reference, ref.name, ref.sha256)
        else:
            p.files.write(reference, ref.name, inline[ref.name])


def _check_files(p: Platform, m: Manifest, inline: dict[str, bytes], kid: str) -> str | None:
    declared = {f.name: f for f in m.files}
    if len(declared) != len(m.files):
        return "a file name is listed twice in the manifest"
    for name in inline:
        if name not in declared:
            return f"file {name}: not listed in the manifest"
        if declared[name].upload_id:
            return f"file {name}: sent inline but the manifest names upload {declared[name].upload_id}"
    for name, ref in declared.items():
        if ref.upload_id:
            up = p.store.upload(ref.upload_id)
            if up is None or up["kiosk_id"] != kid:
                return f"file {name}: no upload {ref.upload_id}"
            if not up["complete"]:
                return f"file {name}: upload {ref.upload_id} is not complete ({up['offset_bytes']}/{up['size']} bytes)"
            if up["sha256"] != ref.sha256 or up["size"] != ref.size:
                return f"file {name}: upload {ref.upload_id} holds another file"
            continue
        data = inline.get(name)
        if data is None:
            return f"file {name}: listed in the manifest but not uploaded"
        if len(data) != ref.size:
            return f"file {name}: size {len(data)} != {ref.size}"
        if hashlib.sha256(data).hexdigest() != ref.sha256:
            return f"file {name}: SHA-256 does not match the manifest"
    return None


@router.get("/{reference}", response_model=StatusResponse, responses={404: {"model": ErrorResponse}},
            summary="Status and timeline of an application: for the kiosk that submitted it, a kiosk holding a "
                    "citizen session for the applicant, or the holder of the receipt's token")
def status(reference: str, session: Annotated[str | None, SESSION] = None,
           token: Annotated[str | None, TOKEN_Q] = None, p: Platform = Depends(platform),
           kid: str = Depends(kiosk_id)) -> StatusResponse:
    checked_read(p, kid, "status", reference[:40], session_id=session, token=token)
    return status_of(p, reference)


def reference_in(code: str) -> str | None:
    """The acceptance number in a receipt's QR payload (tracking URL + reference) or in a typed reference."""
    found = REFERENCE.findall(code.strip().upper())
    return found[-1] if found else None


def token_in(code: str) -> str | None:
    """The tracking token in a receipt's QR payload (tracking URL + token) or typed alone."""
    found = TOKEN_IN.search(code.strip())
    return found.group(1).upper() if found and TOKEN.match(found.group(1).upper()) else None


@track_router.get("/track", response_model=StatusResponse, responses={404: {"model": ErrorResponse}},
                  summary="Status found by a scanned receipt QR (its token), a typed reference (inside a "
                          "citizen session, or at the kiosk that submitted it) or a kiosk's local number "
                          "(inside the applicant's citizen session only)")
def track(code: Annotated[str, Query(min_length=1, max_length=500)],
          session: Annotated[str | None, SESSION] = None, p: Platform = Depends(platform),
          kid: str = Depends(kiosk_id)) -> StatusResponse:
    token = token_in(code)
    if token is not None:
        reference = p.store.reference_for_token(token) or ""
        checked_read(p, kid, "track", reference, token=token)  # an unknown token: recorded, 404
        return status_of(p, reference)
    reference = reference_in(code)
    if reference is None and LOCAL_NUMBER.fullmatch(code.strip()):
        # A local number (printed on an offline receipt) is a guessable sequence: it opens an application
        # only inside the applicant's citizen session, even at the kiosk that submitted it.
        local = code.strip()
        found = p.store.reference_for_local(local) or ""
        try:
            checked_read(p, kid, "track_local", found or local[:40], session_id=session, by_local_number=True)
        except ApiError as exc:  # the same answer found or not: the number's reference is not told
            if exc.status != 404:
                raise
            raise ApiError(404, ErrorCode.NOT_FOUND, "no application with that local number readable here "
                           "(it needs the applicant's card at this kiosk, or the receipt's QR)") from None
        return status_of(p, found)
    if reference is None:
        raise not_found("acceptance number, local number or tracking token in that code")
    checked_read(p, kid, "track", reference, session_id=session)
    return status_of(p, reference)
