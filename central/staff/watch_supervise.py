"""督办 (issue 21, Deliver 3): a supervisor urges an overdue case. The notice goes to the reviewer who holds the
case's claim, else the last reviewer who claimed or decided it: in the workbench (the queue's 督办 flag while
the case waits) and by SMS through the platform's SMS outbox and gateway (``central.notify``), when the
reviewer has a mobile in ``staff_contacts`` (``kiosk central staff contact``). E-mail is kept with the contact
but not sent: the platform has no mail gateway yet, and the page says which channel was used."""
from __future__ import annotations

import enum
from dataclasses import dataclass

from kiosk.platform.schema import ErrorCode

from ..context import Platform
from ..store.base import Duplicate
from .accounts import StaffRefused, StaffSession
from .queue import WAITING, Urgency, row_of

EVENT = "supervise"  # the SMS outbox's event (Aliyun: template code ``sms_aliyun_templates["supervise"]``)
TEXT = "【政务服务】督办：办件{ref}已超过承诺时限（到期日{due}），请尽快办理。督办人：{by}"
OWN_ACTS = ("claim", "approve", "reject", "ask_more")


class Channel(str, enum.Enum):
    SMS = "sms"  # queued in the SMS outbox to the reviewer's mobile
    WORKBENCH = "workbench"  # the queue's flag only: no reviewer, or no mobile on file


@dataclass(frozen=True)
class Supervised:
    reviewer: str  # "" when nobody has touched the case yet (every reviewer sees the flag)
    channel: Channel


def reviewer_of(p: Platform, reference: str) -> str:
    claim = p.store.review_claim(reference, p.config.clock())
    if claim is not None:
        return str(claim["username"])
    for a in p.store.staff_actions(reference, 1000):  # newest first
        if a["action"] in OWN_ACTS:
            return str(a["actor"])
    return ""


def mask_phone(phone: str) -> str:
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 7 else "*" * len(phone)


def supervise(p: Platform, s: StaffSession, app: dict, note: str) -> Supervised:
    """Record a 督办 on an overdue waiting case and notify its reviewer; 4241 when the case is not overdue."""
    today = p.config.now().date()
    q = row_of(p, app, today, p.store.review_claims(p.config.clock())) if app["status"] in WAITING else None
    if q is None or q.urgency != Urgency.OVERDUE:
        raise StaffRefused(409, ErrorCode.STAFF_NOT_OVERDUE, "只能督办尚在办理且已超过承诺时限的办件。",
                           "Only a case still waiting past its time limit can be urged.")
    reference = app["reference"]
    reviewer = reviewer_of(p, reference)
    contact = p.store.staff_contact(reviewer) if reviewer else None
    phone = (contact or {}).get("phone", "")
    at = p.config.now_iso()
    channel = Channel.SMS if phone and p.config.sms_gateway != "off" else Channel.WORKBENCH
    if channel == Channel.SMS:
        text = TEXT.format(ref=reference, due=q.due.isoformat(), by=s.display_name)
        try:
            p.store.add_sms({"reference": reference, "event": EVENT, "event_at": at, "created_at": at,
                             "lang": "zh_CN", "template": EVENT, "phone_masked": mask_phone(phone),
                             "gateway": p.config.sms_gateway, "state": "queued", "phone": phone, "text": text,
                             "next_at": p.config.clock(), "params": '{"ref": "%s"}' % reference})
        except Duplicate:
            pass  # two 督办 of one case in one second: one message
        if p.notifier is not None:
            p.notifier.wake()
    p.store.add_supervision({"reference": reference, "at": at, "supervisor": s.username, "reviewer": reviewer,
                             "remark": note, "channel": channel.value})
    return Supervised(reviewer, channel)
