"""The A4 result document (issue 18) for QML: where it stands, in the screen's language, for the receipt
screen (a 秒批 approval's certificate) and 我的办件's detail (its print button)."""
from __future__ import annotations

from typing import Any

from kiosk.journey.session import ResultPrint, ResultPrintState
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
