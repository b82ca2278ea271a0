"""Screenshots of the staff pages (issue 21) for a person to look at: a platform with sample cases and
accounts, a logged-in session, each page rendered by Qt WebEngine (Chromium inside Qt) into a PNG.

    QT_QPA_PLATFORM=offscreen PYTHONPATH=. python tools/staff_screenshots.py OUT_DIR

Not a test: the tests check the HTML; this shows what a browser makes of it."""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QTWEBENGINE_CHROMIUM_FLAGS", "--no-sandbox --disable-gpu")
os.environ.setdefault("QTWEBENGINE_DISABLE_SANDBOX", "1")

from PySide6.QtCore import QByteArray, QSize, QTimer, QUrl  # noqa: E402
from PySide6.QtNetwork import QNetworkCookie  # noqa: E402
from PySide6.QtWebEngineCore import QWebEngineProfile  # noqa: E402
from PySide6.QtWebEngineWidgets import QWebEngineView  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.helpers.staff_browser import Browser, Clock, account, cheap_argon2, queue_case, start  # noqa: E402


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    cheap_argon2()
    import datetime as dt

    from central.config import TZ

    def at(text: str) -> float:
        return dt.datetime.fromisoformat(text).replace(tzinfo=TZ).timestamp()

    clock = Clock()
    p = start(Path(tempfile.mkdtemp()) / "central", clock)
    refs = []
    for when, item in (("2026-09-18T11:00", "312000218000"), ("2026-09-30T16:00", "312000218000"),
                       ("2026-09-24T10:00", "920000001000"), ("2026-10-08T08:30", "920000001000")):
        clock.t = at(when)
        refs.append(queue_case(p, item=item))
    clock.t = at("2026-10-08T09:00")
    account(p, "wangli", "reviewer")
    account(p, "zhaoqiang", "reviewer")
    other = Browser(p.url)
    other.login("zhaoqiang")
    other.claim(refs[1])
    b = Browser(p.url)
    b.login("wangli")
    b.claim(refs[0])
    pages = [("login", "/staff/login", False), ("queue", "/staff/reviews", True),
             ("case", f"/staff/reviews/{refs[0]}", True), ("case-claimed-by-other", f"/staff/reviews/{refs[1]}", True),
             ("home", "/staff/", True)]
    app = QApplication.instance() or QApplication([])
    profile = QWebEngineProfile()
    view = QWebEngineView()
    from PySide6.QtWebEngineCore import QWebEnginePage

    view.setPage(QWebEnginePage(profile, view))
    view.resize(QSize(1280, 1600))
    view.show()
    store = profile.cookieStore()
    cookie = QNetworkCookie(QByteArray(b"staff_session"), QByteArray(b.http.cookies.get("staff_session").encode()))
    cookie.setPath("/staff")
    cookie.setHttpOnly(True)
    todo = list(pages)

    def next_page() -> None:
        if not todo:
            app.quit()
            return
        name, path, logged = todo[0]
        if logged:
            store.setCookie(cookie, QUrl(p.url))
        view.load(QUrl(p.url + path))

    def loaded(ok: bool) -> None:
        QTimer.singleShot(700, grab)

    def grab() -> None:
        name, _, _ = todo.pop(0)
        view.grab().save(str(out / f"staff-{name}.png"))
        print(out / f"staff-{name}.png")
        next_page()

    view.loadFinished.connect(loaded)
    next_page()
    app.exec()
    p.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "staff-screenshots")))
