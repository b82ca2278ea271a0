"""A supervisor's 电子监察 session in a real browser engine (Qt WebEngine), run as a program by
tests/ui/test_staff_watch_browser.py in its own process (WebEngine must start before any QApplication):

    python -m tests.helpers.watch_webengine OUT_DIR

It starts a platform holding an overdue case and a bad rating, lets a kiosk submit a case over signed HTTP and
upload its hash-chained audit trail, then in the browser: logs in by typing, opens the dashboard, urges
(督办) the overdue case, opens the kiosk case's trail, and records a return call on the follow-up; a
screenshot of each page goes to OUT_DIR. Prints one JSON line with what it saw; exit 0 when every step held,
1 when one did not, 3 on a Qt warning not in staff_webengine.ALLOWED."""
from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
import time
import uuid
from pathlib import Path

from tests.helpers import staff_webengine as base  # sets the Chromium flags before Qt is imported

from PySide6.QtCore import QSize, QTimer, QUrl, qInstallMessageHandler  # noqa: E402
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile  # noqa: E402
from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402


def seed(out: Path):  # type: ignore[no-untyped-def]
    from central.config import TZ
    from kiosk.audit.trail import AuditTrail
    from kiosk.ops.telemetry import PlatformAuditSink
    from kiosk.platform.client import PlatformClient
    from tests.helpers.manifests import complete
    from tests.helpers.staff_browser import SECRET, Clock, account, cheap_argon2, queue_case, start

    cheap_argon2()
    clock = Clock(time.time() - 40 * 86400)  # a case received 40 days ago: long overdue
    platform = start(Path(tempfile.mkdtemp()) / "central", clock)
    late = queue_case(platform, item="312000218000")
    clock.t = time.time()
    client = PlatformClient(platform.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    trail = AuditTrail(Path(tempfile.mkdtemp()) / "audit", key=b"k" * 32, fsync=False)
    m, files = complete("920000001000", "graduate_late")
    m = m.model_copy(update={"local_number": "L20260042"})
    token = uuid.uuid4().hex[:16]
    for to in ("guide", "identify"):
        trail.record("step", {"session": token, "to": to})
    trail.record("card_read", {"session": token, "card": {"id_number": m.applicant.id_number}})
    trail.record("stored", {"session": token, "local_number": m.local_number})
    ref = client.submit(m, files).reference
    trail.record("submitted", {"session": token, "status": "under_review", "reference": ref})
    trail.record("printed", {"session": token, "duplicate": False})
    PlatformAuditSink(client).send(trail.read_after(0))
    client.close()
    account(platform, "zhaomin", "supervisor")
    rid = str(uuid.uuid4())
    platform.store.add_rating({"application_id": rid, "reference": ref, "item_code": "920000001000",
                               "kiosk_id": "K-TEST", "level": "very_unsatisfied",
                               "rated_at": dt.datetime.now(TZ).isoformat(timespec="seconds")})
    return platform, clock, late, ref, rid


def main(out: Path) -> int:
    from tests.helpers.staff_browser import PASSWORD

    qInstallMessageHandler(base._qt_message)
    out.mkdir(parents=True, exist_ok=True)
    platform, clock, late, ref, rid = seed(out)
    seen: dict[str, object] = {"late": late, "reference": ref, "screenshots": []}
    app = QApplication([])
    profile = QWebEngineProfile()
    view = QWebEngineView()
    view.setPage(QWebEnginePage(profile, view))
    view.resize(QSize(1280, 1400))
    view.show()
    page = view.page()
    steps = iter(["login", "home", "dashboard", "urged", "trail", "followups", "recorded"])
    failed: list[str] = []

    def js(code: str, then=lambda result: None) -> None:
        page.runJavaScript(code, 0, then)

    def shot(name: str) -> None:
        path = out / f"staff-watch-{name}.png"
        view.grab().save(str(path))
        seen["screenshots"].append(str(path))  # type: ignore[union-attr]

    def expect(what: str, ok: bool) -> bool:
        if not ok:
            failed.append(f"{what} (at {page.url().toString()})")
            app.quit()
        return ok

    def text_then(check, then) -> None:  # type: ignore[no-untyped-def]
        js("document.body.innerText", lambda t: then() if check(t or "") else None)

    def loaded(ok: bool) -> None:
        QTimer.singleShot(300, lambda: step(next(steps, "end")))

    def step(name: str) -> None:
        url = page.url().path()
        clock.t = time.time()
        if name == "login" and expect("the login page", url == "/staff/login"):
            js("document.getElementById('username').value = 'zhaomin';"
               f"document.getElementById('password').value = {json.dumps(PASSWORD)};"
               "document.querySelector('button[type=submit].primary').click();")
        elif name == "home" and expect("home", url == "/staff/"):
            js("document.querySelector('a[href=\"/staff/watch\"]').click();")
        elif name == "dashboard" and expect("the dashboard", url == "/staff/watch"):
            def urge() -> None:
                shot("1-dashboard")
                js(f"document.getElementById('note-{late}').value = '请今日办结';"
                   f"document.querySelector('#overdue-{late} form button').click();")
            text_then(lambda t: expect("the overdue case on the dashboard", late in t and "已超期办件" in t), urge)
        elif name == "urged" and expect("the dashboard after 督办", url == "/staff/watch"):
            def trail() -> None:
                shot("2-urged")
                page.load(QUrl(platform.url + f"/staff/watch/{ref}"))
            text_then(lambda t: expect("the 已督办 flag", "已督办" in t and "工作台提示" in t), trail)
        elif name == "trail" and expect("the trail", url == f"/staff/watch/{ref}"):
            def followups() -> None:
                shot("3-trail")
                page.load(QUrl(platform.url + "/staff/watch/followups"))
            text_then(lambda t: expect("the intact chain and the kiosk records",
                                       "完整" in t and "card_read" in t and "submitted" in t
                                       and "人工审核" in t), followups)
        elif name == "followups" and expect("the follow-ups", url == "/staff/watch/followups"):
            def record() -> None:
                shot("4-followups")
                js(f"document.getElementById('text-{rid}').value = '已电话回访，申请人反映等待时间长';"
                   f"document.querySelector('#followup-{rid} button.primary').click();")
            text_then(lambda t: expect("the bad rating as a follow-up", "非常不满意" in t and "待回访" in t), record)
        elif name == "recorded" and expect("the follow-ups after the call", url == "/staff/watch/followups"):
            def done() -> None:
                shot("5-call-recorded")
                app.quit()
            text_then(lambda t: expect("the recorded call", "已电话回访" in t and "处理中" in t), done)

    view.loadFinished.connect(loaded)
    page.load(QUrl(platform.url + "/staff/login"))
    QTimer.singleShot(60_000, lambda: (failed.append("timed out"), app.quit()))
    app.exec()
    seen.update(failed=failed, qt_warnings=base.WARNINGS,
                supervisions=[(s["supervisor"], s["channel"]) for s in platform.store.supervisions(late)],
                steps=[(s["actor"], s["kind"]) for s in platform.store.followup_steps(rid)])
    platform.stop()
    print(json.dumps(seen, ensure_ascii=False))
    if base.WARNINGS:
        return 3
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
