"""电子监察 in a real Chromium (Debian's chromium + chromium-driver, driven by Selenium, like
tests/ui/test_staff_chromium.py): a supervisor logs in by typing, sees the overdue case on the dashboard and
urges it, opens the trail of a kiosk's case with the chain check, and records a return call on a bad rating's
follow-up. Screenshots land in screenshots/staff/ (git-ignored) for a person to look at."""
from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path

import pytest

from central.config import TZ
from kiosk.audit.trail import AuditTrail
from kiosk.ops.telemetry import PlatformAuditSink
from kiosk.platform.client import PlatformClient
from tests.helpers import chromium
from tests.helpers.manifests import complete
from tests.helpers.staff_browser import PASSWORD, SECRET, account, cheap_argon2, queue_case, start

ROOT = Path(__file__).resolve().parents[2]
SHOTS = ROOT / "screenshots" / "staff"
DAY = 86400
pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(chromium.missing()), reason=chromium.missing() or "-")]


class Clock:
    """Real time moved back by ``behind`` seconds: 40 days back while the overdue case is received, then now
    (the kiosk signs its requests with real time)."""

    def __init__(self, behind: float = 0.0) -> None:
        self.behind = behind

    def __call__(self) -> float:
        return time.time() - self.behind


@pytest.fixture
def platform(tmp_path):
    from central.staff import passwords
    saved = passwords._HASHER, passwords._DUMMY
    cheap_argon2()
    clock = Clock(40 * DAY)  # a case received 40 days ago: long overdue
    p = start(tmp_path / "central", clock)
    p.late = queue_case(p, item="312000218000")
    clock.behind = 0.0
    yield p
    p.stop()
    passwords._HASHER, passwords._DUMMY = saved


@pytest.fixture
def browser(tmp_path):
    d = chromium.driver(tmp_path / "downloads", height=1400)
    d.set_page_load_timeout(15)
    yield d
    d.quit()


def kiosk_case_with_its_trail(platform, tmp_path) -> str:
    """A kiosk submits a case over signed HTTP and uploads its hash-chained audit trail; the reference."""
    client = PlatformClient(platform.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    trail = AuditTrail(tmp_path / "audit", key=b"k" * 32, fsync=False)
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
    return ref


def bad_rating(platform, ref: str) -> str:
    rid = str(uuid.uuid4())
    platform.store.add_rating({"application_id": rid, "reference": ref, "item_code": "920000001000",
                               "kiosk_id": "K-TEST", "level": "very_unsatisfied",
                               "rated_at": dt.datetime.now(TZ).isoformat(timespec="seconds")})
    return rid


def shot(d, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"staff-watch-{name}.png"
    d.save_screenshot(str(path))
    return path


def wait(d, what, timeout_s: float = 10.0):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(d, timeout_s, poll_frequency=0.05).until(lambda _: what())


def body(d) -> str:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    try:
        return d.find_element(By.TAG_NAME, "body").text
    except (NoSuchElementException, StaleElementReferenceException):
        return ""  # between pages


def post(d, click) -> None:
    """Submit a form and wait until the page it was on is gone (the POST answers 303 to a page of the same
    address, so the address alone does not say the answer has arrived)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    for attempt in range(3):
        old = d.find_element(By.TAG_NAME, "html")
        try:
            click()
            break
        except (StaleElementReferenceException, WebDriverException) as exc:
            # chromedriver under load, once in a CI simulation: the button just found "does not belong to the
            # document" when clicked; nothing was sent, so it is found again and clicked
            if attempt == 2 or not _detached(exc):
                raise
    WebDriverWait(d, 10, poll_frequency=0.05).until(lambda _: _gone(old))


def _detached(exc: Exception) -> bool:
    """chromedriver's word for an element of a page that has been replaced: stale, or (seen under load, in the
    click and in the staleness check alike) "does not belong to the document"."""
    from selenium.common.exceptions import StaleElementReferenceException
    return isinstance(exc, StaleElementReferenceException) or "does not belong to the document" in str(exc)


def _gone(old) -> bool:
    """Whether the page ``old`` (its html element) was on has been replaced (selenium's staleness_of, which takes
    only StaleElementReferenceException for it)."""
    from selenium.common.exceptions import WebDriverException
    try:
        old.is_enabled()
    except WebDriverException as exc:
        if _detached(exc):
            return True
        raise
    return False


def log_in(d, base: str, username: str) -> None:
    from selenium.webdriver.common.by import By
    d.delete_all_cookies()
    d.get(base + "/staff/login")
    assert d.current_url.endswith("/staff/login")
    d.find_element(By.ID, "username").send_keys(username)
    d.find_element(By.ID, "password").send_keys(PASSWORD)
    d.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()
    wait(d, lambda: d.current_url.endswith("/staff/"))


def test_a_supervisor_urges_an_overdue_case_reads_a_trail_and_records_a_return_call_in_a_browser(
        platform, browser, tmp_path):
    from selenium.webdriver.common.by import By
    d, late, base = browser, platform.late, platform.url
    ref = kiosk_case_with_its_trail(platform, tmp_path)
    account(platform, "zhaomin", "supervisor")
    rid = bad_rating(platform, ref)
    shots = []

    log_in(d, base, "zhaomin")
    d.find_element(By.CSS_SELECTOR, 'a[href="/staff/watch"]').click()
    wait(d, lambda: d.current_url == base + "/staff/watch")
    wait(d, lambda: "已超期办件" in body(d))
    assert late in body(d)  # the overdue case on the dashboard
    shots.append(shot(d, "1-dashboard"))

    d.find_element(By.ID, f"note-{late}").send_keys("请今日办结")
    post(d, lambda: d.find_element(By.CSS_SELECTOR, f"#overdue-{late} form button").click())
    wait(d, lambda: d.current_url == base + "/staff/watch")
    wait(d, lambda: "已督办" in body(d))
    assert "工作台提示" in body(d)  # the 已督办 flag says which channel reached whom
    shots.append(shot(d, "2-urged"))

    d.get(base + f"/staff/watch/{ref}")
    assert d.current_url == base + f"/staff/watch/{ref}"
    text = body(d)
    assert "完整" in text and "card_read" in text and "submitted" in text and "人工审核" in text  # intact chain
    shots.append(shot(d, "3-trail"))

    d.get(base + "/staff/watch/followups")
    assert d.current_url == base + "/staff/watch/followups"
    text = body(d)
    assert "非常不满意" in text and "待回访" in text  # the bad rating as a follow-up
    shots.append(shot(d, "4-followups"))

    d.find_element(By.ID, f"text-{rid}").send_keys("已电话回访，申请人反映等待时间长")
    post(d, lambda: d.find_element(By.CSS_SELECTOR, f"#followup-{rid} button.primary").click())
    wait(d, lambda: d.current_url == base + "/staff/watch/followups")
    wait(d, lambda: "已电话回访" in body(d))
    assert "处理中" in body(d)  # the recorded call
    shots.append(shot(d, "5-call-recorded"))

    supervisions = [(s["supervisor"], s["channel"]) for s in platform.store.supervisions(late)]
    assert supervisions == [("zhaomin", "workbench")]  # nobody claimed it, no mobile: the flag only
    assert [(s["actor"], s["kind"]) for s in platform.store.followup_steps(rid)] == [("zhaomin", "call")]
    assert len(shots) == 5 and all(p.stat().st_size > 10_000 for p in shots)


def test_a_replaced_page_is_gone_whichever_word_chromedriver_uses_for_it():
    """The wait after a form is sent: chromedriver under load answers "does not belong to the document" for the old
    page's element, as well as "stale"; both mean the answer's page has replaced it (CI simulation, session 27)."""
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    class Old:
        def __init__(self, exc=None):
            self.exc = exc

        def is_enabled(self):
            if self.exc is not None:
                raise self.exc
            return True

    assert not _gone(Old())
    assert _gone(Old(StaleElementReferenceException("stale element reference")))
    assert _gone(Old(WebDriverException('unhandled inspector error: {"code":-32000,"message":"Node with given id '
                                        'does not belong to the document"}')))
    with pytest.raises(WebDriverException, match="session deleted"):
        _gone(Old(WebDriverException("invalid session id: session deleted")))
