"""The reference central platform: a FastAPI app with OpenAPI, the contract the kiosk speaks (docs/api.md).

Areas, one router each under /api/v1: basics (health, catalogue), kiosks (enrolment, heartbeat, audit),
sharing (数据共享), uploads (resumable), applications (submit, status, track), payments (bills, orders,
simulated payer), deliveries (waybills), admin (review queue, reconciliation, enrolment codes, courier).
Kiosk requests are signed (``central.auth``); storage is behind ``central.store.Store``.
"""
from __future__ import annotations

import logging
from pathlib import Path

from typing import Annotated

from fastapi import Depends, FastAPI, Query, Request
from fastapi.responses import HTMLResponse

from kiosk.platform.schema import API_PREFIX, ErrorResponse, PublicStatus

from . import errors
from .auth import SignatureMiddleware
from .config import PlatformConfig
from .context import Platform, build, platform
from .citizens import TOKEN
from .errors import not_found
from .results import keys as result_keys
from .results.pages import tracking_page, unknown_token_page
from .routers import (admin, applications, basics, citizens, deliveries, help, kiosks, notify, payments, ratings,
                      results, sharing, uploads)
from .routers import staff as staff_pages, staff_review, staff_watch
from .routers import staff_finance, staff_fleet
from .staff import web as staff_web
from .routers import mine  # issue 18: 我的办件
from .store import Store
from .workflow import public_status_of

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
    routers = [basics.router, kiosks.router, citizens.router, sharing.router, uploads.router, applications.router,
               applications.track_router, payments.router, deliveries.router, admin.router, help.router,
               help.admin_router, ratings.router, ratings.admin_router, results.router, notify.router,
               notify.admin_router, mine.router]
    if config.demo:  # the simulated payer exists only in demo mode (embedded platform, kiosk central --demo)
        routers.append(payments.sim_router)
    for r in routers:
        app.include_router(r, prefix=API_PREFIX)
    app.include_router(results.public_router)  # /verify: public, like /t (issue 18)
    result_keys.ensure(config.data_dir)  # the signing key and certificate, made on the first start

    @app.get("/t/{code}", response_model=PublicStatus, tags=["public"],
             responses={200: {"content": {"text/html": {}}}, 404: {"model": ErrorResponse}},
             summary="Public tracking of a receipt's QR code by its token: status and dates, no reasons, notes "
                     "or names. A receipt printed before tokens (/t/{reference}) gets a page asking for the "
                     "token or the card")
    def public_tracking(code: str, request: Request, pl: Platform = Depends(platform)):  # type: ignore[no-untyped-def]
        return _public(pl, code, results.wants_html(request))

    @app.get("/t", response_model=PublicStatus, tags=["public"], include_in_schema=False)
    def public_tracking_form(request: Request, token: Annotated[str, Query(max_length=64)] = "",
                             pl: Platform = Depends(platform)):  # type: ignore[no-untyped-def]
        return _public(pl, token, results.wants_html(request))

    # issue 21: the staff pages in a browser (session cookie, CSRF), outside the kiosk API's prefix
    staff_web.install(app)
    app.include_router(staff_pages.router)
    app.include_router(staff_review.router)
    app.include_router(staff_fleet.router)
    app.include_router(staff_finance.router)
    app.include_router(staff_watch.router)
    app.add_middleware(SignatureMiddleware, config=config, store=p.store)
    return app


_ASK_PAGE = """<!doctype html><html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>办件进度查询</title></head><body>
<h1>办件进度查询</h1>
<p>为保护您的信息，受理编号不能直接查询进度。请在任一政务自助终端刷身份证查询，
或输入新版回执二维码下方的查询码。</p>
<p>To protect your data the acceptance number alone no longer shows progress. Read your ID card at any
self-service kiosk, or type the tracking code printed under the receipt's QR code.</p>
<form action="/t" method="get"><input name="token" maxlength="64" autocomplete="off" placeholder="查询码 / code">
<button type="submit">查询 / Check</button></form></body></html>"""


def _public(pl: Platform, code: str, html: bool = False) -> PublicStatus | HTMLResponse:
    token = code.strip().upper()
    if TOKEN.match(token):
        reference = pl.store.reference_for_token(token)
        if reference is not None:
            status = public_status_of(pl, reference)
            if not html:
                return status
            # A phone's browser (issue 18, Deliver 6): the same facts as a page, and the verify link once issued.
            item = pl.by_code.get(status.item_code)
            name = (item.name.zh, item.name.en) if item else (status.item_code, "")
            issued = pl.store.result_for(reference)
            return HTMLResponse(tracking_page(status, name, issued["code"] if issued else None))
        if html:
            return HTMLResponse(unknown_token_page(), status_code=404)
        raise not_found("application for that tracking code")
    if applications.REFERENCE.fullmatch(token) or not token:
        # The same page for every reference, existing or not: walking references learns nothing.
        return HTMLResponse(_ASK_PAGE)
    raise not_found("application for that tracking code")
