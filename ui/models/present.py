"""Plain-dict views of the journey for QML, in the current language. No Qt here: easy to test."""
from __future__ import annotations

from typing import Any

from kiosk.errors import KioskErrorCode, Notice, notice_for_kiosk
from kiosk.identity import mask_id_number, mask_name
from kiosk.journey import Journey
from kiosk.journey.keyboards import keyboard_for
from kiosk.journey import regions as journey_regions
from kiosk.journey.steps.materials import expected_pages
from kiosk.platform.catalog_schema import DeliveryMethod, Item, MaterialSource, Text
from kiosk.platform.needs import blocked, needs_text
from kiosk.platform.reachability import Reachability
from kiosk.platform.regions import load_regions

from .result_present import a4_receipt_view, result_print_view

DELIVERY_TEXT = {
    DeliveryMethod.PICKUP: Text(zh="窗口自取", en="Pick up at a counter"),
    DeliveryMethod.EXPRESS: Text(zh="邮寄到家（免费）", en="Express delivery (free)"),
    DeliveryMethod.ELECTRONIC: Text(zh="电子证照（手机查看）", en="Electronic licence (on your phone)"),
    DeliveryMethod.SELF_PRINT: Text(zh="本机打印", en="Printed here"),
}
SOURCE_TEXT = {
    MaterialSource.APPLICANT: Text(zh="需拍摄", en="To capture"),
    # Before data sharing answers nobody knows whether the department holds it: no promise either way.
    MaterialSource.E_LICENCE: Text(zh="通常免提交，未共享需拍照", en="Shared if held, else capture it"),
    MaterialSource.CARD: Text(zh="读卡获取，免提交", en="From your ID card: nothing to bring"),
}
STATUS_TEXT = {
    "approved": Text(zh="秒批通过", en="Approved at once"),
    "under_review": Text(zh="已受理，转人工审核", en="Accepted, sent to review"),
    "received": Text(zh="已受理", en="Accepted"),
    "rejected": Text(zh="未能受理", en="Not accepted"),
    "queued": Text(zh="已保存，联网后自动提交", en="Saved; it will be sent when the network is back"),
}


HELD_TEXT = Text(zh="部门已共享，免提交", en="Supplied by the government: nothing to bring")
ON_PAPER_TEXT = Text(zh="未查到电子证照，需拍摄原件", en="Not held electronically: capture the original")


def material_source_text(journey: Journey, m: Any, lang: str) -> str:
    """What happens to a material in this session, once data sharing has answered."""
    plan = journey.session.material_plan
    if plan is not None:
        if any(h.id == m.id for h, _ in plan.held):
            return HELD_TEXT.get(lang)
        if m.source == MaterialSource.E_LICENCE:
            return ON_PAPER_TEXT.get(lang)
    return SOURCE_TEXT[m.source].get(lang)


def fen(amount: int, lang: str) -> str:
    if amount <= 0:
        return "免费" if lang.startswith("zh") else "Free"
    return f"￥{amount / 100:.2f}" if lang.startswith("zh") else f"CNY {amount / 100:.2f}"


def fee_text(item: Item, lang: str) -> str:
    zh = lang.startswith("zh")
    if item.fee.from_bill:
        return "按账单金额" if zh else "As billed"
    text = fen(item.fee.amount_fen, lang)
    if item.fee.options and len({o.amount_fen for o in item.fee.options}) > 1:
        text += "起" if zh else " and up"
    return text


def item_summary(item: Item, lang: str) -> dict[str, Any]:
    return {
        "code": item.code, "name": item.name.get(lang), "department": item.department.get(lang),
        "category": item.category.get(lang), "instant": item.instant, "fee": fee_text(item, lang),
        "charged": item.fee.charged or item.fee.from_bill, "kind": item.kind,
    }


def availability(item: Item, link: Reachability | None, lang: str) -> dict[str, Any]:
    """Can ``item`` be done now (the platform's reachability): ``available``; ``blockedReason`` says why not
    (the catalogue's short words), ``blockedNotice`` in full with what to do (the guide's: the journey's 2080
    notice); ``offlineNote`` tells a queueable item's citizen, while offline,
    that the application goes out when the network is back."""
    needs = blocked(item, link)
    offline = link == Reachability.OFFLINE
    if needs:
        # (the row's 暂不可办 tag says the rest: the reason said it again, a line more on a narrow elder row)
        reason = Text(zh=f"网络中断，{needs_text(needs, 'zh')}", en=f"Network down: {needs_text(needs, 'en')}")
    else:
        reason = None
    queued = notice_for_kiosk(KioskErrorCode.QUEUED_UNTIL_ONLINE).text if offline and not needs else None
    refusal = notice_for_kiosk(KioskErrorCode.ITEM_NEEDS_PLATFORM, needs_text(needs, "zh"),
                               needs_text(needs, "en")).text if needs else None
    return {"available": not needs, "blockedReason": reason.get(lang) if reason else "",
            "blockedNotice": refusal.get(lang) if refusal else "", "offlineNote": queued.get(lang) if queued else ""}


def catalog_groups(items: list[Item], lang: str) -> list[dict[str, Any]]:
    """Departments (by how many items they have) then life events, as filter chips."""
    depts: dict[str, tuple[Text, int]] = {}
    events: dict[str, tuple[Text, int]] = {}
    for i in items:
        if i.kind == "bill_payment":
            continue
        t, n = depts.get(i.department.zh, (i.department, 0))
        depts[i.department.zh] = (t, n + 1)
        for e in i.life_events:
            t, n = events.get(e.zh, (e, 0))
            events[e.zh] = (t, n + 1)
    out = [{"kind": "department", "value": k, "label": t.get(lang), "count": n}
           for k, (t, n) in sorted(depts.items(), key=lambda kv: -kv[1][1])]
    out += [{"kind": "event", "value": k, "label": t.get(lang), "count": n}
            for k, (t, n) in sorted(events.items(), key=lambda kv: -kv[1][1]) if n > 1]
    return out


def item_guide(item: Item, lang: str, offered: tuple | None = None) -> dict[str, Any]:
    """The guide; ``offered``: the deliveries offered on this kiosk (the session's, fixed when the item was
    chosen: 本机打印 only with a working A4 printer); by default those of a kiosk without one."""
    tl = item.time_limit
    days = (f"{tl.promised_days} 个工作日" if lang.startswith("zh") else f"{tl.promised_days} working days") \
        if tl.promised_days else ("即办" if lang.startswith("zh") else "Decided at once")
    return dict(
        item_summary(item, lang),
        agency=item.agency.get(lang),
        conditions=[c.get(lang) for c in item.conditions],
        materials=[{"name": m.name.get(lang), "form": m.form.value, "required": m.required,
                    "source": m.source.value, "sourceText": SOURCE_TEXT[m.source].get(lang)} for m in item.materials],
        timeLimit=days,
        visits=item.onsite_visits,
        delivery=[DELIVERY_TEXT[d].get(lang) for d in (offered or item.offered_delivery)],
        result=item.result.get(lang) if item.result else "",
        basis=[b.get(lang) for b in item.legal_basis],
    )


FOREIGN_CARDS = ("foreign_2017", "foreign_2023")
ID_LABELS = {
    "citizen": Text(zh="公民身份号码", en="Citizen ID number"),
    "foreign": Text(zh="永久居留身份证号码", en="Permanent residence ID number"),
}


def _card_id_field(f: Any) -> bool:
    """A field that carries the number read from the card: shown masked, labelled for the card's type."""
    return f.source == "card.id_number"


def field_label(journey: Journey, f: Any, lang: str) -> str:
    card = journey.session.card
    if _card_id_field(f) and card is not None:
        return ID_LABELS["foreign" if card.card_type.value in FOREIGN_CARDS else "citizen"].get(lang)
    return f.label.get(lang)


def form_values(journey: Journey) -> dict[str, str]:
    """The form's values for the screen: the card's number masked (a public kiosk; the package keeps it)."""
    item = journey.session.item
    values = dict(journey.session.form)
    for f in item.form if item is not None else ():
        if _card_id_field(f) and values.get(f.name):
            values[f.name] = mask_id_number(values[f.name])
    return values


def form_fields(journey: Journey, lang: str, errors: dict[str, str] | None = None) -> list[dict[str, Any]]:
    item = journey.session.item
    if item is None:
        return []
    errors = errors or {}
    values = form_values(journey)
    return [{
        "name": f.name, "label": field_label(journey, f, lang), "type": f.type.value, "required": f.required,
        "editable": f.editable and not _card_id_field(f), "value": values.get(f.name, ""),
        "prefilled": f.source != "applicant", "maxLength": f.max_length,
        "hint": f.hint.get(lang) if f.hint else "", "example": f.example or "", "error": errors.get(f.name, ""),
        "keyboard": keyboard_for(f).value,  # which on-screen keyboard the field opens (KeyboardKind)
        "choices": [{"value": c.value, "label": c.label.get(lang)} for c in f.choices],
    } for f in item.form]


def material_view(journey: Journey, lang: str) -> dict[str, Any]:
    m = journey.current_material()
    item = journey.session.item
    if m is None or item is None:
        return {}
    all_m = journey.capture_list()
    return {
        # An e-licence here is one the department did not share: its catalogue note ("无需拍照") no longer holds.
        "id": m.id, "name": m.name.get(lang),
        "note": ON_PAPER_TEXT.get(lang) if m.source == MaterialSource.E_LICENCE else (m.note.get(lang) if m.note else ""),
        "pages": journey.session.page_count(m.id), "minPages": m.min_pages, "maxPages": m.max_pages,
        "required": m.required, "index": journey.material_index + 1, "count": len(all_m),
        "last": not journey.item_materials_left(),
        "scanner": journey.uses_scanner(),  # a document scanner: 扫描, no live preview
        # 本材料已齐: the expected pages are there (the screen moves on by itself, see autoMove)
        "expected": expected_pages(m), "complete": journey.session.page_count(m.id) >= expected_pages(m),
        "retake": -1 if journey.session.retake_index is None else journey.session.retake_index,
        # The pages taken, drawn from memory by image://pages (ui/models/preview.py): no file on disk.
        "thumbs": [{"page": i + 1, "source": f"image://pages/{m.id}/{i}/{p.sha256[:12]}"}
                   for i, p in enumerate(journey.session.pages.get(m.id, []))],
    }


def live_view(status: Any) -> dict[str, Any]:
    """The materials preview's auto-capture status for QML (the screen words it with qsTr)."""
    if status is None:
        return {}
    return {"state": str(status.state), "problem": status.problem or "", "progress": round(float(status.progress), 2)}


def delivery_view(journey: Journey, lang: str) -> dict[str, Any]:
    """The delivery screen: the methods offered, the contact, and the region picker (config/regions.toml):
    ``path`` is what is picked so far (tap a level to choose it again), ``choices`` what can be picked next."""
    d = journey.session.delivery
    item = journey.session.item
    methods = [{"value": m.value, "label": DELIVERY_TEXT[m].get(lang)} for m in ((journey.session.offered or item.offered_delivery) if item else ())]
    regions = load_regions()
    path = regions.path(d.region)
    return {"method": d.method, "recipient": d.recipient, "phone": d.phone, "region": d.region,
            "address": d.address, "methods": methods,
            "path": [{"code": r.code, "label": r.name.get(lang), "parent": r.parent_code} for r in path],
            "choices": [{"code": r.code, "label": r.name.get(lang)} for r in journey_regions.choices(d.region)],
            "complete": regions.complete(d.region), "regionText": regions.full_name(d.region, lang)}


def identity_view(journey: Journey) -> dict[str, Any]:
    card = journey.session.card
    if card is None:
        return {}
    return {"name": mask_name(card.name), "idNumber": mask_id_number(card.id_number), "type": card.card_type.value}


def review_view(journey: Journey, lang: str) -> dict[str, Any]:
    s = journey.session
    item = s.item
    if item is None:
        return {}
    values = form_values(journey)
    rows = [{"label": field_label(journey, f, lang), "value": values.get(f.name, "")} for f in item.form]
    for row, f in zip(rows, item.form):
        for c in f.choices:
            if c.value == row["value"]:
                row["value"] = c.label.get(lang)
    mats = [{"name": m.name.get(lang), "pages": s.page_count(m.id), "sourceText": material_source_text(journey, m, lang)}
            for m in item.materials]
    d = s.delivery
    express = d.method == DeliveryMethod.EXPRESS.value
    # The confirm page shows the address in full (the receipt masks it): region, detail, recipient, phone.
    address = {"recipient": d.recipient, "phone": d.phone,
               "address": load_regions().full_name(d.region, lang) + (" " if lang.startswith("en") else "")
               + d.address} if express else {}
    return {"item": item.name.get(lang), "rows": rows, "materials": mats, "signed": s.signature is not None,
            "address": address,
            "delivery": DELIVERY_TEXT.get(DeliveryMethod(d.method), Text(zh=d.method, en=d.method)).get(lang),
            "fee": fen(s.payment.amount_fen, lang) if s.payment.amount_fen else fee_text(item, lang)}


def things_to_take(journey: Journey) -> str:
    """What the end screen asks the citizen to take, as one of the texts end.qml has: only what this journey
    used (a bill reads no card and prints a slip, not a receipt; not every item has materials)."""
    s = journey.session
    bill = s.item is not None and s.item.kind == "bill_payment"
    card = s.card is not None
    pages = s.page_count() > 0
    if bill:
        return "card_slip" if card else "slip"
    return ("card_receipt_pages" if pages else "card_receipt") if card else ("receipt_pages" if pages else "receipt")


def outcome_view(journey: Journey, lang: str) -> dict[str, Any]:
    o = journey.session.outcome
    item = journey.session.item
    status = o.status or ""
    return {
        "take": things_to_take(journey),
        "reference": o.reference, "localNumber": o.local_number, "status": status,
        "statusText": STATUS_TEXT.get(status, Text(zh=status or "-", en=status or "-")).get(lang),
        "delivered": o.delivered, "printed": o.printed, "printError": o.print_error or 0,
        "instant": bool(item and item.instant), "reasons": [r.get("en" if lang.startswith("en") else "zh", "")
                                                            for r in o.decision_reasons],
        "item": item.name.get(lang) if item else "",
        "delivery": journey.session.delivery.method,  # the result screen says how the result comes
        "sms": o.sms,  # the platform will text the applicant: only then does the screen promise an SMS
        # 好差评 on the goodbye: offered for an application this kiosk stored, until one level is chosen
        "canRate": journey.can_rate(), "rating": o.rating, "ratingState": o.rating_state,
        "result": result_print_view(journey.session.result_print, lang),  # the A4 result document (issue 18)
        "a4Receipt": a4_receipt_view(o, journey.can_print_receipt_a4(), lang),  # 打印 A4 回执 when asked
        "leaving": journey.session.leaving,  # 返回首页 with a page printing: the goodbye waits for it (a4_leave)
    }


def notice_view(notice: Notice | None, lang: str) -> dict[str, Any]:
    if notice is None:
        return {}
    return {"code": notice.code, "text": notice.text.get(lang), "level": notice.level, "field": notice.field or ""}


def status_view(result: dict[str, Any], lang: str) -> dict[str, Any]:
    if not result:
        return {}
    item = result.get("item")
    timeline = []
    for e in result.get("timeline", []):
        note = e.get("note") or {}
        timeline.append({"at": str(e.get("at", ""))[:16].replace("T", " "),
                         "text": note.get("en" if lang.startswith("en") else "zh") or e.get("status", "")})
    status = result.get("status", "")
    return {"reference": result.get("reference", ""), "item": item.name.get(lang) if item else "",
            "status": status, "statusText": STATUS_TEXT.get(status, Text(zh=status or "-", en=status or "-")).get(lang),
            "timeline": timeline,
            "reasons": [r.get("en" if lang.startswith("en") else "zh", "") for r in result.get("reasons", [])]}


DEVICE_DOWN = {
    "idcard": Text(zh="身份证阅读器暂停服务：需要刷证的事项请稍后再办，或点“呼叫帮助”",
                   en="The ID card reader is out of service: services that need your card are unavailable for now"),
    "printer": Text(zh="打印机暂停服务：回执暂不能打印，可凭屏幕上的受理编号查询进度",
                    en="The printer is out of service: note the number shown on screen to track your application"),
    "camera": Text(zh="高拍仪暂停服务：需要拍摄材料的事项请稍后再办",
                   en="The document camera is out of service: services that need paper materials are unavailable"),
    "barcode": Text(zh="扫码器暂停服务：进度查询请输入受理编号",
                    en="The scanner is out of service: type the acceptance number to track an application"),
}


def device_alerts(healths: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Calm, specific lines for the citizen about devices out of service; the code is for the technician."""
    out = []
    for name, h in sorted(healths.items()):
        if h.ok or name not in DEVICE_DOWN or h.state.value in ("closed", "starting"):
            continue
        out.append({"device": name, "text": DEVICE_DOWN[name].get(lang), "code": h.error_code or 0})
    return out


PAYMENT_STATUS = {
    "pending": Text(zh="请用手机扫码支付", en="Scan with your phone to pay"),
    "paid": Text(zh="支付成功", en="Paid"),
    "expired": Text(zh="二维码已过期", en="The code has expired"),
    "cancelled": Text(zh="支付已取消", en="Payment cancelled"),
    "none": Text(zh="正在生成缴费二维码", en="Preparing the payment code"),
    "already_paid": Text(zh="该账单已缴清，无需再缴", en="This bill is paid already"),
}


def payment_view(journey: Journey, lang: str) -> dict[str, Any]:
    s = journey.session
    p = s.payment
    item = s.item
    return {
        "item": item.name.get(lang) if item else "", "orderId": p.order_id, "amount": fen(p.amount_fen, lang)
        if p.amount_fen else "", "status": p.status, "statusText": PAYMENT_STATUS.get(p.status, PAYMENT_STATUS["none"]).get(lang),
        "expiresAt": p.expires_at, "billPeriod": p.bill_period, "billHolder": p.bill_holder,
        "isBill": bool(item and item.kind == "bill_payment"), "account": p.bill_account,
        "transactionId": p.transaction_id,
    }
