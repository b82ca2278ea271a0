"""Citizen sessions, who may read an application, and the look-up ledger (issue 16; docs/security.md).

A kiosk opens a citizen session when it reads an ID card (one ID number, a short expiry, closed when the
citizen's session ends). Personal data is answered only inside such a session of the asking kiosk: data
sharing, and 进度查询 at a kiosk other than the one that submitted. An application is readable by the
kiosk that submitted it, by a kiosk holding a citizen session for the applicant's ID number, and by
whoever holds its receipt's tracking token.

Every look-up is recorded (masked) with its outcome, whatever it is; a kiosk asking more than its
configured rate is refused (HTTP 429) and an alarm is raised (the log, and ``GET /admin/alarms``). The
platform cannot see a card: a kiosk's stolen secret can still open sessions for ID numbers it guesses,
but only at the configured rate, each recorded, and the burst raises an alarm.
"""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import logging
import re
import secrets
from kiosk.platform.schema import CitizenSession, CitizenSessionOpen, ErrorCode

from .config import TZ
from .context import Platform
from .errors import ApiError
from .sharing import mask_number
from .store.base import Row

log = logging.getLogger(__name__)

TOKEN = re.compile(r"^[A-Z2-7]{26}$")  # base32 of 128 random bits: upper case, so a QR may upper-case it
WINDOW_S = 60.0  # the rate limits are per minute
ALARM_REPEAT_S = 60.0  # one alarm of a kind per kiosk per minute in the ledger; the rest are only counted


def id_hash(id_number: str) -> str:
    return hashlib.sha256(f"citizen|{id_number.upper()}".encode()).hexdigest()


def new_tracking_token() -> str:
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=")


def refused(why: str) -> ApiError:
    return ApiError(403, ErrorCode.CITIZEN_SESSION, why)


# ----- the ledger and the alarms ------------------------------------------------------------------------------
def record(p: Platform, kiosk_id: str, kind: str, subject: str, outcome: str, *, session_id: str = "",
           item_code: str = "") -> None:
    p.store.record_lookup({"at": p.config.clock(), "at_iso": p.config.now_iso(), "kiosk_id": kiosk_id,
                           "session_id": session_id, "kind": kind, "subject": subject[:40],
                           "item_code": item_code or "", "outcome": outcome[:120]})


def alarm(p: Platform, kiosk_id: str, kind: str, detail: str) -> None:
    now = p.config.clock()
    last = p.store.last_alarm_at(kiosk_id, kind)
    if last is not None and now - last < ALARM_REPEAT_S:
        return
    p.store.add_alarm({"at": now, "at_iso": p.config.now_iso(), "kiosk_id": kiosk_id, "kind": kind,
                       "detail": detail[:300]})
    log.warning("ALARM kiosk %s: %s: %s", kiosk_id[:64], kind, detail[:300])


def _rate_limited(p: Platform, kiosk_id: str, kind: str, subject: str, why: str, *, session_id: str = "",
                  item_code: str = "") -> ApiError:
    record(p, kiosk_id, kind, subject, "rate_limited", session_id=session_id, item_code=item_code)
    alarm(p, kiosk_id, why, f"{kind} refused: {why} over its limit")
    return ApiError(429, ErrorCode.RATE_LIMITED, f"too many look-ups from this kiosk ({why}); try again later")


def admit(p: Platform, kiosk_id: str, kind: str, subject: str, *, session_id: str = "", item_code: str = "") -> None:
    """Raise 429 (recorded, alarmed) when the kiosk or the session is over its look-up budget."""
    now = p.config.clock()
    if p.store.count_lookups(kiosk_id, now - WINDOW_S) >= p.config.lookups_per_kiosk_per_minute:
        raise _rate_limited(p, kiosk_id, kind, subject, "lookups_rate", session_id=session_id, item_code=item_code)
    if session_id and p.store.count_session_lookups(session_id) >= p.config.lookups_per_session:
        raise _rate_limited(p, kiosk_id, kind, subject, "session_lookups", session_id=session_id,
                            item_code=item_code)


# ----- sessions -----------------------------------------------------------------------------------------------
def open_session(p: Platform, kiosk_id: str, body: CitizenSessionOpen) -> CitizenSession:
    id_number = body.id_number.upper()
    subject = mask_number(id_number)
    now = p.config.clock()
    if p.store.count_citizen_sessions(kiosk_id, now - WINDOW_S) >= p.config.sessions_per_kiosk_per_minute:
        raise _rate_limited(p, kiosk_id, "session_open", subject, "sessions_rate")
    session_id = secrets.token_urlsafe(24)
    ttl = p.config.citizen_session_ttl_s
    p.store.open_citizen_session({"session_id": session_id, "kiosk_id": kiosk_id, "id_hash": id_hash(id_number),
                                  "id_masked": subject, "opened_at": now, "expires_at": now + ttl})
    record(p, kiosk_id, "session_open", subject, "ok", session_id=session_id)
    expires = p.config.clock() + ttl
    return CitizenSession(session_id=session_id, id_number_masked=subject, ttl_s=ttl,
                          expires_at=dt.datetime.fromtimestamp(expires, TZ).isoformat(timespec="seconds"))


def close_session(p: Platform, kiosk_id: str, session_id: str) -> bool:
    return p.store.close_citizen_session(session_id, kiosk_id, p.config.clock())


def live_session(p: Platform, kiosk_id: str, session_id: str | None) -> Row | None:
    """The kiosk's own open, unexpired session ``session_id``, or None. A session of another kiosk is an
    alarm: session ids are never shared between kiosks, so it was stolen or guessed."""
    if not session_id:
        return None
    row = p.store.citizen_session(session_id)
    if row is None:
        return None
    if row["kiosk_id"] != kiosk_id:
        alarm(p, kiosk_id, "foreign_session", f"used a citizen session of kiosk {row['kiosk_id']}")
        return None
    if row["closed_at"] is not None or row["expires_at"] <= p.config.clock():
        return None
    return row


def require_session(p: Platform, kiosk_id: str, session_id: str | None, id_number: str) -> Row:
    row = live_session(p, kiosk_id, session_id)
    if row is None:
        raise refused("a citizen session of this kiosk is required (open one when the card is read); "
                      "none given, or it is closed, expired or not this kiosk's")
    if not hmac.compare_digest(row["id_hash"], id_hash(id_number)):
        alarm(p, kiosk_id, "session_mismatch", "asked for another ID number than its citizen session's")
        raise refused("the citizen session is for another ID number")
    return row


# ----- who may read an application ----------------------------------------------------------------------------
def applicant_hash(app: Row) -> str:
    number = ((app.get("manifest") or {}).get("applicant") or {}).get("id_number") or ""
    return id_hash(number) if number else ""


def may_read(p: Platform, kiosk_id: str, app: Row, *, session_id: str | None = None,
             token: str | None = None, by_local_number: bool = False) -> bool:
    """``by_local_number``: found by the kiosk's local number, a guessable sequence; then even the kiosk
    that submitted it needs the applicant's citizen session or the receipt's token (issue 15, item 3)."""
    if app["kiosk_id"] == kiosk_id and not by_local_number:
        return True
    if token:
        known = p.store.tracking_token(app["reference"])
        if known is not None and hmac.compare_digest(known, token.upper()):
            return True
    row = live_session(p, kiosk_id, session_id)
    wanted = applicant_hash(app)
    return row is not None and bool(wanted) and hmac.compare_digest(row["id_hash"], wanted)


def checked_read(p: Platform, kiosk_id: str, kind: str, reference: str, *, session_id: str | None = None,
                 token: str | None = None, by_local_number: bool = False) -> Row:
    """The application ``reference`` if this caller may read it; else 404, the same as for one that does
    not exist (no oracle). Every try is recorded and counts against the kiosk's rate."""
    admit(p, kiosk_id, kind, reference, session_id=session_id or "")
    app = p.store.find_by_reference(reference)
    if app is None or not may_read(p, kiosk_id, app, session_id=session_id, token=token,
                                   by_local_number=by_local_number):
        record(p, kiosk_id, kind, reference, "refused: not found or not the caller's", session_id=session_id or "")
        raise ApiError(404, ErrorCode.NOT_FOUND, f"no application {reference[:40]} readable by this kiosk "
                       "(the submitting kiosk, a citizen session for the applicant or the receipt's token)")
    record(p, kiosk_id, kind, reference, "ok", session_id=session_id or "", item_code=app["item_code"])
    return app
