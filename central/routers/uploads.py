"""Resumable uploads for large files: create (by SHA-256 and size), send chunks at an offset, ask the offset.

A broken connection costs at most the chunk in flight: the kiosk asks where the platform is and goes on
from there. Creating the same (kiosk, SHA-256, size) again returns the same upload, so even a kiosk that
crashed and forgot its upload id resumes. A chunk may be sent again (offset below the current one): the
file is cut there and rewritten, so a retry after a lost answer is harmless.
"""
from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Header, Request
from starlette.concurrency import run_in_threadpool

from kiosk.platform.schema import ErrorCode, ErrorResponse, UploadCreate, UploadStatus

from ..auth import kiosk_id
from ..context import Platform, new_id, platform
from ..errors import ApiError, not_found

router = APIRouter(prefix="/uploads", tags=["uploads"])

_CHUNK_BODY = {"requestBody": {"required": True, "content": {"application/octet-stream": {
    "schema": {"type": "string", "format": "binary"}}}}}


def _status(p: Platform, row: dict) -> UploadStatus:
    return UploadStatus(upload_id=row["upload_id"], sha256=row["sha256"], size=row["size"],
                        offset=row["offset_bytes"], complete=bool(row["complete"]), chunk_bytes=p.config.chunk_bytes)


def _owned(p: Platform, upload_id: str, kid: str) -> dict:
    row = p.store.upload(upload_id)
    if row is None or row["kiosk_id"] != kid:
        raise not_found(f"upload {upload_id}")
    return row


@router.post("", response_model=UploadStatus, responses={422: {"model": ErrorResponse}},
             summary="Start (or find again) an upload of a file with this SHA-256 and size")
def create(body: UploadCreate, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> UploadStatus:
    if body.size > p.config.max_upload_bytes:
        raise ApiError(413, ErrorCode.FILE_TOO_LARGE, f"larger than {p.config.max_upload_bytes} bytes")
    row = p.store.create_upload({"upload_id": new_id("UP"), "kiosk_id": kid, "sha256": body.sha256,
                                 "size": body.size, "name": body.name, "created_at": p.config.now_iso()})
    if not row["complete"] and row["size"] == 0:  # an empty file is complete at once, if its hash is right
        _finish(p, row)
        row = p.store.upload(row["upload_id"]) or row
    return _status(p, row)


@router.get("/{upload_id}", response_model=UploadStatus, responses={404: {"model": ErrorResponse}},
            summary="Where an upload stands: resume from `offset`")
def get(upload_id: str, p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> UploadStatus:
    return _status(p, _owned(p, upload_id, kid))


@router.put("/{upload_id}", response_model=UploadStatus, openapi_extra=_CHUNK_BODY,
            responses={404: {"model": ErrorResponse}, 409: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
            summary="Write one chunk at Upload-Offset; the last chunk completes the upload (SHA-256 checked)")
async def put(upload_id: str, request: Request, upload_offset: Annotated[int, Header(alias="Upload-Offset", ge=0)],
              p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> UploadStatus:
    row = _owned(p, upload_id, kid)
    data = await request.body()
    if row["complete"]:
        return _status(p, row)
    if upload_offset > row["offset_bytes"]:
        raise ApiError(409, ErrorCode.UPLOAD_OFFSET, f"offset {upload_offset} is past what the platform holds "
                       f"({row['offset_bytes']}); resume from there", offset=row["offset_bytes"])
    if upload_offset + len(data) > row["size"]:
        raise ApiError(422, ErrorCode.FILE_MISMATCH, f"chunk ends at {upload_offset + len(data)}, past the declared "
                       f"size {row['size']}")
    new_offset = await run_in_threadpool(p.files.append_upload, upload_id, upload_offset, data)
    p.store.set_upload_offset(upload_id, new_offset, False)
    row = dict(row, offset_bytes=new_offset)
    if new_offset == row["size"]:
        await run_in_threadpool(_finish, p, row)
        row = p.store.upload(upload_id) or row
    return _status(p, row)


def _finish(p: Platform, row: dict) -> None:
    if row["size"] == 0:
        p.files.append_upload(row["upload_id"], 0, b"")
    if p.files.upload_sha256(row["upload_id"]) != row["sha256"]:
        p.store.set_upload_offset(row["upload_id"], 0, False)
        raise ApiError(422, ErrorCode.UPLOAD_HASH, "the uploaded bytes do not match the declared SHA-256; "
                                                   "the upload starts again from 0", offset=0)
    p.files.promote_upload(row["upload_id"], row["sha256"])  # the bytes under their SHA-256, then the record
    p.store.set_upload_offset(row["upload_id"], row["size"], True)
