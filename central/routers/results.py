"""Issued results (issue 18): the kiosk fetches its citizen's result PDF; anyone verifies a code or a file.

``GET /api/v1/applications/{reference}/result`` is signed and needs the applicant's citizen session at the
asking kiosk (the card read there, never a typed ID number): another kiosk, another citizen's session, no
session, or someone else's reference all get the same 404. ``/verify`` is public (outside /api/v1, no
signature): a code answers genuine + masked facts or a 404 that says nothing else; a posted PDF (at most
``PlatformConfig.max_verify_body_bytes``) answers what its signature proves.
"""
from __future__ import annotations

import hmac
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from kiosk.platform.schema import ErrorCode, ErrorResponse

from ..auth import kiosk_id
from ..citizens import admit, applicant_hash, live_session, record
from ..context import Platform, platform
from ..errors import ApiError
from ..results import pages
from ..results.issue import IssueFailed, issue
from ..results.verify import CheckedFile, NotAPdf, VerifiedCode, by_code, check_file

router = APIRouter(prefix="/applications", tags=["results"])
public_router = APIRouter(tags=["public"])
PDF = "application/pdf"


def wants_html(request: Request) -> bool:
    return "text/html" in request.headers.get("accept", "")


def _not_readable(reference: str) -> ApiError:
    return ApiError(404, ErrorCode.NOT_FOUND, f"no application {reference[:40]} of this kiosk's citizen session")


@router.get("/{reference}/result", response_class=Response,
            responses={200: {"content": {PDF: {}}}, 404: {"model": ErrorResponse}, 500: {"model": ErrorResponse}},
            summary="The signed result PDF of an approved application, for the applicant's citizen session at "
                    "this kiosk only")
def result(reference: Annotated[str, Path(max_length=40)],
           session: Annotated[str, Query(min_length=16, max_length=64, description="CitizenSession.session_id")],
           p: Platform = Depends(platform), kid: str = Depends(kiosk_id)) -> Response:
    admit(p, kid, "result", reference, session_id=session)
    app = p.store.find_by_reference(reference)
    row = live_session(p, kid, session)
    wanted = applicant_hash(app) if app is not None else ""
    if row is None or not wanted or not hmac.compare_digest(row["id_hash"], wanted):
        record(p, kid, "result", reference, "refused: not found or not the session's", session_id=session)
        raise _not_readable(reference)
    if app["status"] not in ("approved", "completed"):  # type: ignore[index]
        record(p, kid, "result", reference, "not issued", session_id=session, item_code=app["item_code"])  # type: ignore[index]
        raise ApiError(404, ErrorCode.RESULT_NOT_ISSUED, f"application {reference} has no issued result "
                       f"(it is {app['status']})")  # type: ignore[index]
    try:
        issued = issue(p, reference)  # normally issued at approval; a failure then is retried here
    except IssueFailed as exc:
        raise ApiError(500, ErrorCode.RESULT_ISSUE_FAILED, f"the result could not be issued: {exc}"[:300]) from None
    record(p, kid, "result", reference, "ok", session_id=session, item_code=issued["item_code"])
    return Response(p.files.get_blob(issued["sha256"]), media_type=PDF,
                    headers={"Content-Disposition": f'attachment; filename="{reference}-result.pdf"',
                             "X-Verification-Code": issued["code"], "Cache-Control": "no-store"})


@public_router.get("/verify/{code}", response_model=VerifiedCode,
                   responses={200: {"content": {"text/html": {}}}, 404: {"model": ErrorResponse}},
                   summary="Is this verification code genuine? Item, masked holder, issue date and the document's "
                           "SHA-256; nothing more (HTML for a browser)")
def verify_code(code: Annotated[str, Path(max_length=80)], request: Request,
                p: Platform = Depends(platform)) -> VerifiedCode | HTMLResponse:
    found = by_code(p, code)
    if found is None:
        if wants_html(request):
            return HTMLResponse(pages.unknown_code_page(), status_code=404)
        raise ApiError(404, ErrorCode.RESULT_UNKNOWN_CODE, "no document was issued with that code")
    if wants_html(request):
        return HTMLResponse(pages.verified_page(found))
    return found


@public_router.post("/verify", response_model=CheckedFile,
                    responses={413: {"model": ErrorResponse}, 422: {"model": ErrorResponse}},
                    openapi_extra={"requestBody": {"content": {"application/octet-stream": {"schema": {"type": "string",
                                                                                                        "format": "binary"}}},
                                                   "required": True}},
                    summary="Check a result PDF (the body): is the platform's signature valid, the file unmodified, "
                            "and which code does it carry")
async def verify_file(request: Request, p: Platform = Depends(platform)) -> CheckedFile | JSONResponse:
    data = await request.body()  # the middleware has capped it at max_verify_body_bytes
    try:
        return await run_in_threadpool(check_file, p, data)
    except NotAPdf as exc:
        raise ApiError(422, ErrorCode.RESULT_NOT_PDF, f"not a PDF the platform can read: {exc}"[:300]) from None
