"""Who may do what, and the login: roles, server-side sessions with expiry, the throttle, the staff audit.

Roles (``Role``): a reviewer sees the review queue and decides the cases whose claim he holds; a supervisor
sees the queue and the staff audit and may decide too; a technician and finance have their own pages (later
deliveries of issue 21) and may not open or decide a case. The rules are ``may``; nothing else grants.
"""
from __future__ import annotations

import enum
import hashlib
import secrets
from dataclasses import dataclass

from kiosk.platform.schema import ErrorCode

from ..context import Platform
from .passwords import verify


class Role(str, enum.Enum):
    REVIEWER = "reviewer"  # 审核员
    SUPERVISOR = "supervisor"  # 监察/科室负责人
    TECHNICIAN = "technician"  # 运维技术员
    FINANCE = "finance"  # 财务


ROLE_NAMES = {Role.REVIEWER: ("审核员", "Reviewer"), Role.SUPERVISOR: ("监察主管", "Supervisor"),
              Role.TECHNICIAN: ("运维技术员", "Technician"), Role.FINANCE: ("财务", "Finance")}


class Act(str, enum.Enum):
    VIEW_QUEUE = "view_queue"
    VIEW_CASE = "view_case"
    DECIDE = "decide"
    VIEW_AUDIT = "view_audit"
    VIEW_FLEET = "view_fleet"  # the fleet monitor (Deliver 4)
    ACK_HELP = "ack_help"  # acknowledge a kiosk's call for help
    VIEW_FINANCE = "view_finance"  # the reconciliation report and its CSV (Deliver 5)
    VIEW_TRAIL = "view_trail"  # a case's 电子监察 trail: a reviewer only of the cases he claimed or decided
    SUPERVISE = "supervise"  # the 电子监察 dashboard


PERMISSIONS: dict[Act, frozenset[Role]] = {
    Act.VIEW_QUEUE: frozenset({Role.REVIEWER, Role.SUPERVISOR}),
    Act.VIEW_CASE: frozenset({Role.REVIEWER, Role.SUPERVISOR}),
    Act.DECIDE: frozenset({Role.REVIEWER, Role.SUPERVISOR}),
    Act.VIEW_AUDIT: frozenset({Role.SUPERVISOR}),
    Act.VIEW_FLEET: frozenset({Role.TECHNICIAN, Role.SUPERVISOR}),
    Act.ACK_HELP: frozenset({Role.TECHNICIAN}),
    Act.VIEW_FINANCE: frozenset({Role.FINANCE}),
    Act.VIEW_TRAIL: frozenset({Role.REVIEWER, Role.SUPERVISOR}),
    Act.SUPERVISE: frozenset({Role.SUPERVISOR}),
}


def may(role: Role | str, act: Act) -> bool:
    try:
        return Role(role) in PERMISSIONS[act]
    except ValueError:
        return False


class StaffRefused(Exception):
    """A refusal on a staff page: HTTP status, numbered code, bilingual sentence (rendered as a page)."""

    def __init__(self, status: int, code: int, zh: str, en: str) -> None:
        super().__init__(en)
        self.status, self.code, self.zh, self.en = status, code, zh, en


@dataclass(frozen=True)
class StaffSession:
    token: str  # the cookie's value (only its hash is stored)
    username: str  # "" for a login form's session
    role: str
    display_name: str
    csrf: str


def session_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).hexdigest()


def record(p: Platform, actor: str, role: str, action: str, reference: str = "", address: str = "",
           **detail: object) -> None:
    """One line of the staff audit: who (authenticated), as what, did what, to which case, from where."""
    p.store.add_staff_action(p.config.now_iso(), actor, role, action, reference, address, detail)


def open_session(p: Platform, username: str, address: str, replaces: str = "", ttl_s: float | None = None) -> str:
    now = p.config.clock()
    token = secrets.token_urlsafe(32)
    ttl = p.config.staff.session_max_s if ttl_s is None else ttl_s
    p.store.add_staff_session({"session_hash": session_hash(token), "username": username,
                               "csrf_token": secrets.token_urlsafe(32), "address": address, "created_at": now,
                               "last_seen": now, "expires_at": now + ttl},
                              now, replaces=session_hash(replaces) if replaces else "")
    return token


def current(p: Platform, token: str | None) -> StaffSession | None:
    """The live session of this cookie, with its account still enabled; None otherwise."""
    if not token or len(token) > 100:
        return None
    s = p.config.staff
    row = p.store.staff_session(session_hash(token), p.config.clock(), s.session_idle_s)
    if row is None:
        return None
    if not row["username"]:
        return StaffSession(token, "", "", "", row["csrf_token"])
    account = p.store.staff(row["username"])
    if account is None or account["disabled"]:
        return None
    return StaffSession(token, account["username"], account["role"], account["display_name"], row["csrf_token"])


def login(p: Platform, username: str, password: str, address: str, form_token: str) -> str:
    """A new session's cookie for a right password; refusals are ``StaffRefused`` (4201, or 4202 throttled)."""
    s = p.config.staff
    now = p.config.clock()
    by_user, by_addr = p.store.login_failures(now - s.throttle_window_s, username, address)
    if by_user >= s.failures_per_account or by_addr >= s.failures_per_address:
        record(p, username, "", "login_throttled", address=address, account_failures=by_user,
               address_failures=by_addr)
        minutes = int(s.throttle_window_s // 60)
        raise StaffRefused(429, ErrorCode.STAFF_LOGIN_THROTTLED,
                           f"登录失败次数过多，请{minutes}分钟后再试，或联系管理员。",
                           f"Too many failed logins. Try again in {minutes} minutes or call the administrator.")
    account = p.store.staff(username)
    ok = verify(account["password_hash"] if account else None, password)
    if not ok or account is None or account["disabled"]:
        p.store.add_login_failure(now, username, address)
        record(p, username, "", "login_failed", address=address)
        raise StaffRefused(401, ErrorCode.STAFF_LOGIN_FAILED, "用户名或密码不正确，或账号已停用。",
                           "Wrong username or password, or the account is disabled.")
    p.store.clear_login_failures(username, now - s.throttle_window_s)
    token = open_session(p, username, address, replaces=form_token)  # a new id at login: no session fixation
    record(p, username, account["role"], "login", address=address)
    return token
