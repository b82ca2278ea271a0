"""Health (public) and the catalogue (signed; ETag = the catalogue's SHA-256 digest)."""
from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, Response

from kiosk.platform.schema import CatalogResponse, Health

from ..auth import kiosk_id
from ..context import Platform, platform

router = APIRouter()


@router.get("/health", response_model=Health, tags=["basics"], summary="Is the platform up (public)")
def health(p: Platform = Depends(platform)) -> Health:
    return Health(status="ok", catalog_version=p.digest, applications=p.store.count(), time=p.config.now_iso())


@router.get("/catalog", response_model=CatalogResponse, tags=["basics"],
            responses={304: {"description": "Not modified: the If-None-Match ETag is current"}},
            summary="The service catalogue; send If-None-Match to get 304 when unchanged")
def catalog(request: Request, p: Platform = Depends(platform), _k: str = Depends(kiosk_id)) -> Response:
    etag = f'"{p.digest}"'
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers={"ETag": etag})
    return JSONResponse(p.catalog.model_dump(mode="json"), headers={"ETag": etag})
