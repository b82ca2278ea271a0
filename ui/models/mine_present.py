"""我的办件 for QML (issue 18): the journey's list and detail (``Session.mine``) in the screen's language.

A status says where the application stands in words a citizen uses: 已受理, 审核中, 已批准, 未予批准, 已办结,
需补正; once a courier has it, 已寄出 and 已送达 (the waybill's state outranks the platform's status, which
moves to completed only at delivery). The timeline's lines are the platform's own notes (courier steps and
the issued result included), in the screen's language."""
from __future__ import annotations

from typing import Any

from kiosk.errors import KioskErrorCode, notice_for_kiosk
from kiosk.platform.catalog_schema import Text

from .result_present import result_print_view

STATUS = {
    "received": Text(zh="已受理", en="Accepted"),
    "under_review": Text(zh="审核中", en="Under review"),
    "approved": Text(zh="已批准", en="Approved"),
    "rejected": Text(zh="未予批准", en="Not approved"),
    "completed": Text(zh="已办结", en="Completed"),
    "needs_more": Text(zh="需补正", en="More needed"),
}
BY_COURIER = {
    "picked_up": Text(zh="已寄出", en="Sent"),
    "in_transit": Text(zh="已寄出", en="Sent"),
    "out_for_delivery": Text(zh="派送中", en="Out for delivery"),
    "delivered": Text(zh="已送达", en="Delivered"),
    "returned": Text(zh="已退回", en="Returned"),
}
TONE = {"approved": "ok", "completed": "ok", "rejected": "warn", "needs_more": "warn"}  # the colour of the tag
EMPTY = Text(zh="暂时没有您的办件记录。您在自助终端提交的申请，会显示在这里。",
             en="There are no applications of yours yet. What you submit at a kiosk will be listed here.")


def _status(status: str, waybill: str | None, lang: str) -> str:
    text = BY_COURIER.get(waybill or "") or STATUS.get(status) or Text(zh=status or "-", en=status or "-")
    return text.get(lang)


def _day(at: str) -> str:
    return str(at or "")[:10]


def mine_view(journey: Any, lang: str) -> dict[str, Any]:
    mine = journey.session.mine
    en = lang.startswith("en")
    catalog = journey.catalog

    def name(code: str) -> str:
        item = catalog.get(code)
        return item.name.get(lang) if item is not None else code

    items = [{"reference": a["reference"], "item": name(a["item_code"]), "date": _day(a["received_at"]),
              "statusText": _status(a["status"], a.get("waybill_status"), lang),
              "tone": "ok" if a.get("waybill_status") == "delivered" else TONE.get(a["status"], ""),
              "resultAvailable": bool(a.get("result_available"))} for a in mine.items]
    view: dict[str, Any] = {"state": mine.state.value, "holder": mine.holder, "items": items, "total": mine.total,
                            "more": mine.more, "empty": EMPTY.get(lang) if not items else ""}
    if mine.state.value == "offline":
        n = notice_for_kiosk(KioskErrorCode.MINE_NEEDS_NETWORK)
        view["offline"] = {"text": n.text.get(lang), "code": n.code}
    d = mine.detail
    if d:
        timeline = []
        for e in d.get("timeline", []):
            note = e.get("note") or {}
            text = note.get("en" if en else "zh") or _status(e.get("status", ""), None, lang)
            timeline.append({"at": str(e.get("at", ""))[:16].replace("T", " "), "text": text})
        view["detail"] = {"reference": d["reference"], "item": name(d["item_code"]),
                          "statusText": _status(d["status"], d.get("waybill_status") or None, lang),
                          "timeline": timeline, "waybillNo": d.get("waybill_no", ""),
                          "reasons": [r.get("en" if en else "zh", "") for r in d.get("reasons", [])],
                          "canPrint": journey.mine_can_print(),  # issued, and this kiosk has an A4 printer
                          "result": result_print_view(journey.session.result_print, lang)}
    return view
