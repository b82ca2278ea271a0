"""The reference central platform: a FastAPI app with OpenAPI, the contract the kiosk speaks (docs/api.md).

Areas, one router each under /api/v1: basics (health, catalogue), kiosks (enrolment, heartbeat, audit),
sharing (数据共享), uploads (resumable), applications (submit, status, track), payments (bills, orders,
simulated payer), deliveries (waybills), admin (review queue, reconciliation, enrolment codes, courier).
Kiosk requests are signed (``central.auth``); storage is behind ``central.store.Store``.
"""
from __future__ import annotations

import logging
from pathlib import Path

from fastapi import Depends, FastAPI

from kiosk.platform.schema import API_PREFIX, ErrorResponse, StatusResponse

from . import errors
from .auth import SignatureMiddleware
from .config import PlatformConfig
from .context import Platform, build, platform
from .routers import admin, applications, basics, deliveries, kiosks, payments, sharing, uploads
from .store import Store
from .workflow import status_of

log = logging.getLogger(__name__)


def create_app(data_dir: Path | PlatformConfig, catalog_dir: Path | None = None, *,
               store: Store | None = None) -> FastAPI:
    """``create_app(config)``; ``create_app(data_dir, catalog_dir)`` is the short form (no kiosks enrolled)."""
    if isinstance(data_dir, PlatformConfig):
        config = data_dir
    else:
        config = PlatformConfig(data_dir=Path(data_dir))
        if catalog_dir is not None:
            config.catalog_dir = Path(catalog_dir)
    p = build(config, store)
    app = FastAPI(title="政务服务中心平台 (reference)", version="1.0",
                  description="Reference central platform for the self-service kiosk. Kiosk endpoints are "
                              "signed with HMAC-SHA256 (see docs/api.md); admin endpoints take a Bearer token.")
    app.state.platform = p
    app.state.store = p.store
    errors.install(app)
    routers = [basics.router, kiosks.router, sharing.router, uploads.router, applications.router,
               applications.track_router, payments.router, deliveries.router, admin.router]
    if config.demo:  # the simulated payer exists only in demo mode (embedded platform, kiosk central --demo)
        routers.append(payments.sim_router)
    for r in routers:
        app.include_router(r, prefix=API_PREFIX)

    @app.get("/t/{reference}", response_model=StatusResponse, tags=["public"],
             responses={404: {"model": ErrorResponse}},
             summary="Public tracking page of a receipt's QR code (no personal data)")
    def public_tracking(reference: str, pl: Platform = Depends(platform)) -> StatusResponse:
        return status_of(pl, reference)

    app.add_middleware(SignatureMiddleware, config=config, store=p.store)
    return app
