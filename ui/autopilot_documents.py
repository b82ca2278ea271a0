"""What the scripted citizen's journey printed (issue 18, deliver 7): the autopilot line's ``"documents"``,
read from the simulated printers themselves (not from what the kiosk believes it printed): each receipt the
80 mm printer cut, each job the A4 printer completed, with its pages (one PNG per page under the
simulator's output directory). And the issue -> print timings of a 秒批 result document."""
from __future__ import annotations

from typing import Any

from devices.a4.ipp import JobState


def a4_mark(a4: Any) -> int:
    """The A4 simulator's newest job id before a journey (0: none, or no simulated A4 printer)."""
    if a4 is None:
        return 0
    with a4.lock:
        return max(a4.jobs, default=0)


def documents(receipts: list[Any], a4: Any, a4_before: int) -> list[dict[str, Any]]:
    """[{"kind", "printer", "pages"} ...]: the receipts (80 mm, one strip each) then the A4 jobs completed
    since ``a4_before`` (kind from the job's title, ``result-<reference>`` -> "result"; "png" the first page)."""
    out: list[dict[str, Any]] = [{"kind": "receipt", "printer": "printer", "pages": 1} for _ in receipts]
    if a4 is not None:
        with a4.lock:
            jobs = [j for i, j in sorted(a4.jobs.items()) if i > a4_before and j.state == JobState.COMPLETED]
        for j in jobs:
            out.append({"kind": j.title.split("-", 1)[0] or "document", "printer": "a4", "pages": len(j.pages),
                        "png": str(j.pages[0]) if j.pages else ""})
    return out


def result_timings(result: dict[str, Any], submit_s: float | None) -> dict[str, Any]:
    """The result document's figures from the kiosk's view (``ui.models.result_present``): fetch and print,
    and issue -> print: the submission's round trip (the platform decides and issues the signed PDF before it
    answers, ``central.workflow.after_stored``) plus fetch and print (from the decision to the page out)."""
    out: dict[str, Any] = {"state": result.get("state", "none")}
    if result.get("state") == "printed":
        out.update(fetch_s=result.get("fetchS"), print_s=result.get("printS"), decided_to_printed_s=result.get("totalS"))
        if submit_s is not None:
            out["submit_and_issue_s"] = round(submit_s, 3)
            out["issue_to_print_s"] = round(submit_s + float(result.get("totalS") or 0), 3)
    elif result.get("code"):
        out["code"] = result["code"]
    return out


def add_result_print(line: dict[str, Any], result: dict[str, Any], submit_s: float | None) -> int:
    """The line's ``"result_print"`` when the journey had a result document; 1 (a failure) when the kiosk
    said it printed but the A4 printer completed no job for it."""
    if result.get("state", "none") == "none":
        return 0
    line["result_print"] = result_timings(result, submit_s)
    if result.get("state") == "printed" and not any(d["printer"] == "a4" for d in line["documents"]):
        line["error"] = "the kiosk said the result printed, but no A4 job completed"
        return 1
    return 0
