"""Notifications (issue 18): every status change of an application goes on its timeline AND, when it is one
the applicant is told of, into the SMS outbox, from which the notifier (``dispatch.Notifier``) sends it.

``record_event`` is the one way central/ records a timeline event. A notification never fails the request
that records the event: at worst the message is failed in the outbox and the admin list says why. An
application without a mobile number gets a ``no_mobile`` row for the event (nothing to send, but it says so).
"""
from __future__ import annotations

import json
import logging
import re
from typing import TYPE_CHECKING, Any

from kiosk.platform.catalog_schema import FieldType, Item

from ..store.base import Duplicate
from .templates import language, render

if TYPE_CHECKING:
    from ..context import Platform

log = logging.getLogger(__name__)
MOBILE = re.compile(r"^1[3-9][0-9]{9}$")


def mask_phone(phone: str) -> str:
    return f"{phone[:3]}****{phone[-4:]}" if len(phone) >= 7 else ""


def applicant_mobile(item: Item | None, manifest: dict[str, Any]) -> str:
    """The applicant's mobile: the form's first phone field that holds a mobile number, else the express
    delivery's recipient number; "" when the application has none."""
    form = manifest.get("form") or {}
    for f in (item.form if item is not None else ()):
        value = str(form.get(f.name, "")).strip()
        if f.type == FieldType.PHONE and MOBILE.match(value):
            return value
    phone = str((manifest.get("delivery") or {}).get("phone", "")).strip()
    return phone if MOBILE.match(phone) else ""


def sms_promised(p: "Platform", item: Item | None, manifest: dict[str, Any]) -> bool:
    """What the submission's answer tells the kiosk: will status messages reach this applicant's phone?"""
    return p.config.sms_gateway != "off" and bool(applicant_mobile(item, manifest))


def tracking_link(p: "Platform", reference: str, lang: str = "zh_CN") -> str:
    """The public tracking page of the receipt's token; without a public URL, the code to type there."""
    token = p.store.tracking_token(reference) or ""
    base = (p.config.sms_link_base or p.config.public_url or "").rstrip("/")
    if base:
        return f"{base}/t/{token}" if token else base
    return ("code " if lang == "en_US" else "查询码 ") + token if token else ""


def record_event(p: "Platform", reference: str, at: str, status: str, note: dict | None, *,
                 notify_applicant: bool = True) -> None:
    """Put an event on the application's timeline and queue its notification (if the event has one)."""
    p.store.add_event(reference, at, status, note)
    if not notify_applicant:
        return
    try:
        notify(p, reference, status, at)
    except Exception:  # noqa: BLE001 - the citizen's request stands whatever the notification does
        log.exception("notification of %s for %s not queued", status, reference)


def notify(p: "Platform", reference: str, event: str, at: str) -> None:
    if p.config.sms_gateway == "off":
        return
    row = p.store.find_by_reference(reference)
    if row is None:
        return
    manifest = row["manifest"]
    lang = language(manifest.get("language"))
    link = tracking_link(p, reference, lang)
    text = render(event, lang, reference, link)
    if text is None:
        return
    phone = applicant_mobile(p.by_code.get(row["item_code"]), manifest)
    base = {"reference": reference, "event": event, "event_at": at, "created_at": p.config.now_iso(), "lang": lang,
            "template": event, "phone_masked": mask_phone(phone), "gateway": p.config.sms_gateway}
    if not phone:
        message = dict(base, state="no_mobile", text="", params="{}", last_error="the application has no mobile")
    else:
        message = dict(base, state="queued", phone=phone, text=text, next_at=p.config.clock(),
                       params=json.dumps({"ref": reference, "link": link}, ensure_ascii=False))
    try:
        p.store.add_sms(message)
    except Duplicate:
        return  # the same event recorded twice: one message
    if phone and p.notifier is not None:
        p.notifier.wake()
