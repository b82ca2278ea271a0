"""The A4 result document (issue 18) for QML: where it stands, in the screen's language, for the receipt
screen (a 秒批 approval's certificate) and 我的办件's detail (its print button)."""
from __future__ import annotations

from typing import Any

from kiosk.journey.session import Outcome, ResultPrint, ResultPrintState
from kiosk.journey.steps.a4_receipt import a4_receipt_notice
from kiosk.journey.steps.result_print import result_notice
from kiosk.platform.catalog_schema import Text

FETCHING = Text(zh="正在取得结果文书……", en="Fetching your result document…")
PRINTING = Text(zh="正在打印结果文书，请稍候", en="Printing your result document, please wait")
PRINTED = Text(zh="结果文书已打印（共 {0} 页），请从 A4 出纸口取走", en="Your result document is printed ({0} page{1}): "
                                                                "take it from the A4 tray")


def result_print_view(rp: ResultPrint, lang: str) -> dict[str, Any]:
    """{state, text, code, tone, pages, fetchS, printS, totalS}; state "none" and text "" when nothing to say."""
    text, code, tone = "", 0, ""
    if rp.state == ResultPrintState.FETCHING:
        text = FETCHING.get(lang)
    elif rp.state == ResultPrintState.PRINTING:
        text = PRINTING.get(lang)
    elif rp.state == ResultPrintState.PRINTED:
        text, tone = PRINTED.get(lang).format(rp.pages, "" if rp.pages == 1 else "s"), "ok"
    else:
        n = result_notice(rp)
        if n is not None:
            text, code, tone = n.text.get(lang), n.code, "warn"
    return {"state": rp.state.value, "text": text, "code": code, "tone": tone, "pages": rp.pages,
            "fetchS": round(rp.fetch_s, 3), "printS": round(rp.print_s, 3), "totalS": round(rp.total_s, 3)}


A4_RECEIPT = {"printing": Text(zh="正在用 A4 纸打印回执，请稍候", en="Printing the receipt on A4, please wait"),
              "printed": Text(zh="A4 回执已打印，请从 A4 出纸口取走", en="The A4 receipt is printed: take it from the A4 tray")}


def a4_receipt_view(out: Outcome, can: bool, lang: str) -> dict[str, Any]:
    """The receipt on A4 when asked: {can (the button shows), state, text, tone} in the ResultLine's shape."""
    n = a4_receipt_notice(out)
    said = A4_RECEIPT.get(out.a4_receipt)
    text = n.text.get(lang) if n is not None else (said.get(lang) if said is not None else "")
    return {"can": can, "state": out.a4_receipt or "none", "text": text, "code": n.code if n is not None else 0,
            "tone": "warn" if n is not None else ("ok" if out.a4_receipt == "printed" else "")}
