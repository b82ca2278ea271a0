"""The staff pages' door (issue 21): login, logout, the home page by role, the stylesheet, the staff audit.

Browser pages under /staff (not the kiosk API): a session cookie, not a signature or a token. The review
workbench is ``staff_review``; the shared machinery (cookie, CSRF, forms, refusals) ``central.staff.web``."""
from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from kiosk.platform.schema import ErrorCode

from ..staff import accounts
from ..staff.accounts import Act, StaffRefused, may
from ..staff.web import (COOKIE, HEADERS, address, check_csrf, form, need, page, pl, see_other, session_of,
                         set_cookie)

router = APIRouter(prefix="/staff", include_in_schema=False)
_CSS = (Path(__file__).resolve().parent.parent / "staff" / "templates" / "staff.css").read_text(encoding="utf-8")


@router.get("/staff.css")
def stylesheet() -> Response:
    return Response(_CSS, media_type="text/css", headers={"Cache-Control": "max-age=3600"})


@router.get("/login")
def login_page(request: Request) -> Response:
    if session_of(request) is not None:
        return see_other("/staff/")
    p = pl(request)
    token = accounts.open_session(p, "", address(request), ttl_s=p.config.staff.login_form_s)
    s = accounts.current(p, token)
    assert s is not None
    response = page("login.html", csrf=s.csrf, session=None)
    set_cookie(request, response, token, p.config.staff.login_form_s)
    return response


@router.post("/login")
async def login(request: Request) -> Response:
    p = pl(request)
    fields = await form(request, {"username": 64, "password": 256, "csrf": 100}, ("username", "password"))
    pre = accounts.current(p, request.cookies.get(COOKIE))
    if pre is None:
        raise StaffRefused(403, ErrorCode.STAFF_CSRF, "登录页面已过期，请刷新后重试。",
                           "The login page has expired: reload it and try again.")
    check_csrf(pre, fields.get("csrf", ""))
    token = accounts.login(p, fields["username"].strip(), fields["password"], address(request), pre.token)
    response = see_other("/staff/")
    set_cookie(request, response, token, p.config.staff.session_max_s)
    return response


@router.post("/logout")
async def logout(request: Request) -> Response:
    s = session_of(request)
    if s is None:
        return see_other("/staff/login")
    check_csrf(s, (await form(request, {"csrf": 100})).get("csrf", ""))
    p = pl(request)
    p.store.end_staff_session(accounts.session_hash(s.token))
    accounts.record(p, s.username, s.role, "logout", address=address(request))
    response = see_other("/staff/login")
    response.delete_cookie(COOKIE, path="/staff")
    return response


@router.get("/")
def home(request: Request) -> Response:
    s = session_of(request)
    if s is None:
        return see_other("/staff/login")
    return page("home.html", session=s, can_review=may(s.role, Act.VIEW_QUEUE), can_audit=may(s.role, Act.VIEW_AUDIT))


@router.get("", include_in_schema=False)
def bare() -> RedirectResponse:
    return see_other("/staff/")


@router.get("/actions")
def staff_actions(request: Request) -> HTMLResponse:
    s = need(request, Act.VIEW_AUDIT)
    return page("actions.html", session=s, actions=pl(request).store.staff_actions(limit=500))


__all__ = ["router", "HEADERS"]
