"""A reviewer's session in a real browser engine: Qt WebEngine (Chromium inside Qt), no Chromium package needed.

Run as a program by tests/ui/test_staff_browser.py, in its own process (WebEngine must start before any
QApplication, and the test process has one):

    python -m tests.helpers.staff_webengine OUT_DIR

It starts a platform, lets a kiosk submit a case over signed HTTP that the 秒批 rules send to a person,
then in the browser: logs in by typing into the form, opens the case from the queue, claims it, approves it,
and sees the queue without it; a screenshot of each page goes to OUT_DIR. Finally the kiosk's status query
must show the approval. Prints one JSON line with what it saw; exit 0 when every step held, 1 when one did
not, 3 on a Qt warning not in ALLOWED (about the machine, each with its reason)."""
from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ["QTWEBENGINE_CHROMIUM_FLAGS"] = "--no-sandbox --disable-gpu --log-level=3"  # tests run as root
os.environ["QSG_RHI_BACKEND"] = "null"  # no GPU on CI: Qt's null renderer (WebEngine still rasterizes pages)

from PySide6.QtCore import QSize, QTimer, QUrl, qInstallMessageHandler  # noqa: E402
from PySide6.QtWebEngineCore import QWebEnginePage, QWebEngineProfile  # noqa: E402
from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

ALLOWED = (
    # QSG_RHI_BACKEND=null (above) has no GPU to name: said once per process on a machine without a GPU.
    "Unable to detect GPU vendor for device: Null",
    # Chromium's GPU process is off (--disable-gpu, no GPU on CI): there is no GPU information to update.
    "GPUInfo not initialized on GpuInfoUpdate",
)
WARNINGS: list[str] = []


def _qt_message(kind, context, message: str) -> None:
    if not any(message.startswith(a) for a in ALLOWED):
        WARNINGS.append(message)


def main(out: Path) -> int:
    from kiosk.platform.client import PlatformClient
    from tests.helpers.manifests import complete
    from tests.helpers.staff_browser import PASSWORD, SECRET, account, cheap_argon2, start

    qInstallMessageHandler(_qt_message)
    out.mkdir(parents=True, exist_ok=True)
    cheap_argon2()
    platform = start(Path(tempfile.mkdtemp()) / "central", time.time)
    client = PlatformClient(platform.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    m, files = complete("920000001000", "graduate_late")  # 应届毕业生引进落户, graduated too long ago
    ref = client.submit(m, files).reference
    account(platform, "wangli", "reviewer")
    seen: dict[str, object] = {"reference": ref, "screenshots": []}

    app = QApplication([])
    profile = QWebEngineProfile()  # off the record: no cookie outlives the run
    view = QWebEngineView()
    view.setPage(QWebEnginePage(profile, view))
    view.resize(QSize(1280, 1200))
    view.show()
    page = view.page()
    steps = iter(["login", "home", "queue", "case", "claimed", "decided"])
    failed: list[str] = []

    def js(code: str, then=lambda result: None) -> None:
        page.runJavaScript(code, 0, then)

    def shot(name: str) -> None:
        path = out / f"staff-browser-{name}.png"
        view.grab().save(str(path))
        seen["screenshots"].append(str(path))  # type: ignore[union-attr]

    def expect(what: str, ok: bool) -> bool:
        if not ok:
            failed.append(f"{what} (at {page.url().toString()})")
            app.quit()
        return ok

    def loaded(ok: bool) -> None:
        QTimer.singleShot(300, lambda: step(next(steps, "end")))  # let the page paint for its screenshot

    def step(name: str) -> None:
        url = page.url().path()
        if name == "login" and expect("the login page", url == "/staff/login"):
            shot("1-login")
            js("document.getElementById('username').value = 'wangli';"
               f"document.getElementById('password').value = {json.dumps(PASSWORD)};"
               "document.querySelector('button[type=submit].primary').click();")
        elif name == "home" and expect("the home page after login", url == "/staff/"):
            js("document.querySelector('a[href=\"/staff/reviews\"]').click();")
        elif name == "queue" and expect("the queue", url == "/staff/reviews"):
            shot("2-queue")
            js(f"document.querySelector('#row-{ref} a').click();")
        elif name == "case" and expect("the case page", url == f"/staff/reviews/{ref}"):
            def claim(text: str) -> None:
                if expect("the 秒批 reason on the case page", "毕业已超过两年" in (text or "")):
                    shot("3-case")
                    js("document.querySelector('form[action$=\"/claim\"] button').click();")
            js("document.body.innerText", claim)
        elif name == "claimed" and expect("the case page after the claim", url == f"/staff/reviews/{ref}"):
            shot("4-claimed")
            js("document.querySelector('input[value=approve]').click();"
               "document.querySelector('form[action$=\"/decide\"] button.primary').click();")
        elif name == "decided" and expect("the queue after the decision", url == "/staff/reviews"):
            def done(html: str) -> None:
                shot("5-after-approval")
                seen["queue_still_lists_case"] = f"row-{ref}" in (html or "")
                app.quit()
            js("document.body.innerHTML", done)

    view.loadFinished.connect(loaded)
    page.load(QUrl(platform.url + "/staff/login"))
    QTimer.singleShot(60_000, lambda: (failed.append("timed out"), app.quit()))
    app.exec()
    status = client.status(ref)
    seen.update(status=status.status, notes=[e.note.zh for e in status.timeline if e.note],
                reviewers=[n["reviewer"] for n in platform.store.staff_notes(ref)], failed=failed,
                qt_warnings=WARNINGS)
    client.close()
    platform.stop()
    print(json.dumps(seen, ensure_ascii=False))
    if WARNINGS:
        return 3
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1])))
