"""What every staff page shares: the templates, the session cookie, the CSRF check, form bodies, refusals.

Pages are server-rendered (Jinja2, autoescaped) with no script at all; a strict Content-Security-Policy
says so to the browser. The session cookie is HttpOnly, SameSite=Strict, limited to /staff, and Secure
when the page came over HTTPS. Every state-changing form carries the session's synchronizer token
(``csrf``), the login form too (its own short session). Form bodies are parsed here, strictly: UTF-8
urlencoded or refused with 4209 (the middleware caps unsigned bodies at ``max_public_body_bytes``)."""
from __future__ import annotations

import hmac
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl

from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape

from kiosk.platform.schema import ErrorCode

from ..context import Platform, platform
from .accounts import ROLE_NAMES, Act, Role, StaffRefused, StaffSession, current, may

COOKIE = "staff_session"
PATH = "/staff"
TEMPLATES = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"),
                        autoescape=select_autoescape(["html"]), trim_blocks=True, lstrip_blocks=True)
HEADERS = {
    "Cache-Control": "no-store",  # personal data: not kept by the browser or a proxy
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; "
                               "frame-ancestors 'none'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def role_name(role: str) -> str:
    try:
        zh, en = ROLE_NAMES[Role(role)]
    except ValueError:
        return role
    return f"{zh} {en}"


STATUS_NAMES = {"received": "已受理，待审核 Received", "under_review": "人工审核中 Under review",
                "approved": "已批准 Approved", "rejected": "不予批准 Rejected", "completed": "已办结 Completed"}


def status_name(status: str) -> str:
    return STATUS_NAMES.get(status, status)


ACTION_NAMES = {"view_case": "查看 viewed", "claim": "领取 claimed", "release": "放弃领取 released",
                "approve": "批准 approved", "reject": "不予批准 rejected", "ask_more": "要求补正 asked for more",
                "login": "登录 logged in", "logout": "退出 logged out", "login_failed": "登录失败 login failed",
                "login_throttled": "登录被限制 login throttled", "account_added": "开通账号 account added",
                "account_disabled": "停用账号 account disabled", "password_reset": "重置密码 password reset",
                "help_ack": "响应求助 acknowledged a call for help", "finance_csv": "导出对账 exported reconciliation",
                "view_trail": "查看监察记录 viewed the trail", "supervise": "督办 urged",
                "followup_call": "差评回访 return call", "followup_rectify": "差评整改 rectification",
                "followup_outcome": "差评办结 outcome recorded"}


def action_name(action: str) -> str:
    return ACTION_NAMES.get(action, action)


def when(iso: str) -> str:
    """A platform timestamp (ISO 8601, CST) as a person reads it: 2026-10-08 09:00."""
    return iso[:16].replace("T", " ")


TEMPLATES.globals["role_name"] = role_name
TEMPLATES.globals["action_name"] = action_name
TEMPLATES.filters["when"] = when
TEMPLATES.globals["status_name"] = status_name
TEMPLATES.globals["may"] = may  # home.html: which tiles a role sees


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    return HTMLResponse(TEMPLATES.get_template(name).render(**context), status_code=status, headers=HEADERS)


def set_cookie(request: Request, response: Response, token: str, max_age_s: float) -> None:
    secure = platform(request).config.staff.cookie_secure
    if secure is None:
        secure = request.url.scheme == "https"
    response.set_cookie(COOKIE, token, max_age=int(max_age_s), path=PATH, httponly=True, samesite="strict",
                        secure=secure)


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303, headers=HEADERS)


def address(request: Request) -> str:
    return request.client.host if request.client else "-"


def session_of(request: Request) -> StaffSession | None:
    s = current(platform(request), request.cookies.get(COOKIE))
    return s if s is not None and s.username else None


def need(request: Request, act: Act) -> StaffSession:
    """The logged-in staff member allowed ``act``; else a refusal (4200 no session, 4204 role)."""
    s = session_of(request)
    if s is None:
        raise StaffRefused(401, ErrorCode.STAFF_LOGIN_REQUIRED, "请先登录（会话不存在或已过期）。",
                           "Please log in (no session, or it has expired).")
    if not may(s.role, act):
        raise StaffRefused(403, ErrorCode.STAFF_ROLE, f"您的角色（{role_name(s.role)}）无权进行此操作。",
                           f"Your role ({role_name(s.role)}) may not do this.")
    return s


async def form(request: Request, fields: dict[str, int], required: tuple[str, ...] = ()) -> dict[str, str]:
    """The named fields of a urlencoded body (each at most its length in characters); 4209 otherwise."""
    def bad(why_zh: str, why_en: str) -> StaffRefused:
        return StaffRefused(422, ErrorCode.STAFF_FORM_INVALID, f"表单无效：{why_zh}", f"Invalid form: {why_en}")

    if request.headers.get("content-type", "").split(";")[0].strip() != "application/x-www-form-urlencoded":
        raise bad("格式不对", "not application/x-www-form-urlencoded")
    body = await request.body()
    try:
        pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=len(fields) + 2,
                          encoding="utf-8", errors="strict")
    except (UnicodeDecodeError, ValueError):
        raise bad("含有无效字符或字段过多", "not UTF-8, or too many fields") from None
    out: dict[str, str] = {}
    for key, value in pairs:
        if key in fields and key not in out:
            if len(value) > fields[key] or "\x00" in value:
                raise bad(f"{key} 过长或含有无效字符", f"{key} is too long or holds a NUL")
            out[key] = value
    for key in required:
        if not out.get(key, "").strip():
            raise bad(f"缺少 {key}", f"{key} is missing")
    return out


def check_csrf(s: StaffSession, given: str) -> None:
    if not given or not hmac.compare_digest(given.encode("utf-8", "surrogateescape"), s.csrf.encode("utf-8")):
        raise StaffRefused(403, ErrorCode.STAFF_CSRF, "表单已失效，请刷新页面后重试。",
                           "The form has expired or did not come from this session: reload the page and try again.")


def install(app: FastAPI) -> None:
    """The refusal page for ``StaffRefused`` (a numbered code, Chinese first, the way back)."""
    @app.exception_handler(StaffRefused)
    async def _refused(request: Request, exc: StaffRefused) -> Response:
        if exc.code == ErrorCode.STAFF_LOGIN_REQUIRED and request.method == "GET":
            return see_other("/staff/login")  # a page asked for without a session: the way in
        return page("error.html", exc.status, code=exc.code, zh=exc.zh, en=exc.en,
                    session=session_of(request) if exc.code != ErrorCode.STAFF_LOGIN_REQUIRED else None)


def pl(request: Request) -> Platform:
    return platform(request)
