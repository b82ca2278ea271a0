"""The staff pages in a real Chromium (Debian's chromium + chromium-driver, driven by Selenium; issue 21,
Deliver 7), end to end: the printer simulator's paper runs low and the kiosk's own telemetry sends it in its
signed heartbeat, and a citizen calls for help; a
technician logs in by typing, sees the fleet page reload itself with the alert, acknowledges the call, and
the kiosk's own help desk (its poll of ``GET /help/{id}``) learns who is coming; finance filters the
reconciliation and downloads the CSV, which holds the Chinese and the refund; a reviewer claims and approves
a case a kiosk submitted, and the kiosk's status query (进度查询) shows the decision. Screenshots of each page land
in screenshots/staff/ (git-ignored) for a person to look at."""
from __future__ import annotations

import csv
import datetime as dt
import io
import time
from pathlib import Path

import pytest

from central.config import TZ
from kiosk.help import HelpDesk, new_call
from kiosk.platform.client import PlatformClient
from tests.helpers import chromium
from tests.helpers.manifests import complete
from tests.helpers.staff_browser import GRADUATE_INTAKE, PASSWORD, SECRET, account, cheap_argon2, start

ROOT = Path(__file__).resolve().parents[2]
PRINTER = "sim://printer?profile=80mm"
SHOTS = ROOT / "screenshots" / "staff"
pytestmark = [pytest.mark.slow, pytest.mark.skipif(bool(chromium.missing()), reason=chromium.missing() or "-")]


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    from central.staff import passwords
    saved = passwords._HASHER, passwords._DUMMY
    cheap_argon2()
    p = start(tmp_path_factory.mktemp("central"), time.time, fleet_refresh_s=2)  # real time: kiosks sign with it
    yield p
    p.stop()
    passwords._HASHER, passwords._DUMMY = saved


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    downloads = tmp_path_factory.mktemp("downloads")
    d = chromium.driver(downloads)
    d.downloads = downloads
    d.set_page_load_timeout(15)
    yield d
    d.quit()


@pytest.fixture
def telemetry(kiosk, tmp_path):
    """The kiosk's own heartbeat (kiosk.ops.telemetry) over a simulated receipt printer and a real outbox."""
    from devices.manager import DeviceManager, DeviceSpec
    from kiosk.ops.telemetry import Telemetry
    from kiosk.outbox import Outbox
    from tests.helpers.fakes import OUTBOX_KEY
    devices = DeviceManager([DeviceSpec("printer", "printer", PRINTER)])
    devices.get("printer").poll_interval_s = 0.1  # status polls every 2 s in production
    outbox = Outbox(tmp_path / "outbox", "K-TEST", key=OUTBOX_KEY)
    devices.start()
    yield Telemetry(kiosk, outbox=outbox, devices=devices, data_dir=tmp_path)
    devices.stop()
    outbox.close()


@pytest.fixture(scope="module")
def kiosk(platform):
    c = PlatformClient(platform.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    yield c
    c.close()


def shot(d, name: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"chromium-{name}.png"
    d.save_screenshot(str(path))
    return path


def wait(d, what, timeout_s: float = 10.0):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(d, timeout_s, poll_frequency=0.05).until(lambda _: what())


def log_in(d, base: str, username: str) -> None:
    from selenium.webdriver.common.by import By
    d.delete_all_cookies()
    d.get(base + "/staff/login")
    d.find_element(By.ID, "username").send_keys(username)
    d.find_element(By.ID, "password").send_keys(PASSWORD)
    d.find_element(By.CSS_SELECTOR, "button[type=submit].primary").click()
    wait(d, lambda: d.current_url.endswith("/staff/"))


def printer_paper(telemetry) -> str:
    return telemetry.devices.health()["printer"].supplies.get("paper", "")


def row_class(d, kiosk_id: str) -> str:
    from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
    from selenium.webdriver.common.by import By
    try:
        return d.find_element(By.ID, f"kiosk-{kiosk_id}").get_attribute("class") or ""
    except (NoSuchElementException, StaleElementReferenceException):
        return ""  # the page is reloading itself


def test_a_technician_sees_paper_go_low_and_acknowledges_a_call_the_kiosk_then_shows_answered(
        platform, browser, kiosk, telemetry):
    from devices import sim
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    d = browser
    account(platform, "zhanggong", "technician")
    wait(d, lambda: printer_paper(telemetry) == "ok")
    assert telemetry.beat() is not None
    desk = HelpDesk(settings=None, client=kiosk)
    call = new_call("materials", "312000218000")
    assert desk.send(call) and not desk.poll(call).acknowledged

    log_in(d, platform.url, "zhanggong")
    shot(d, "1-technician-home")
    d.find_element(By.CSS_SELECTOR, 'a[href="/staff/fleet"]').click()
    wait(d, lambda: row_class(d, "K-TEST") == "ok")
    assert d.find_element(By.ID, f"help-{call.help_id}").is_displayed()
    shot(d, "2-fleet-ok")

    sim.get_hardware(PRINTER).set_paper("near_end")  # the roll's near-end sensor, as the simulator has it
    wait(d, lambda: printer_paper(telemetry) == "low")
    assert telemetry.beat() is not None  # the page is not reloaded by the test: its meta refresh brings the alert
    wait(d, lambda: row_class(d, "K-TEST") == "warn")
    text = d.find_element(By.ID, "kiosk-K-TEST").text
    assert "printer 纸将尽" in text and "paper low" in text
    shot(d, "3-fleet-paper-low")

    def click_ack() -> bool:
        try:
            d.find_element(By.ID, f"ack-{call.help_id}").click()
            return True
        except StaleElementReferenceException:
            return False  # the page reloaded under the click: again
    wait(d, click_ack)
    wait(d, lambda: "acked=" in d.current_url)
    assert f"已响应求助 {call.help_id}" in d.find_element(By.CSS_SELECTOR, "p.card.ok").text
    assert not d.find_elements(By.ID, f"help-{call.help_id}")
    shot(d, "4-fleet-acknowledged")

    assert desk.poll(call).acknowledged and call.acknowledged_by == "zhanggong 同志"  # what the kiosk shows


def _pay(store, order_id: str, item: str, fen: int, at: str, reference: str = "", refunded: str = "") -> None:
    store.create_payment({"order_id": order_id, "kiosk_id": "K-TEST", "application_id": order_id.lower(),
                          "item_code": item, "amount_fen": fen, "status": "pending", "token": order_id + "-t",
                          "created_at": at, "expires_at": 0.0, "expires_at_iso": at})
    cols = {"status": "refunded", "refunded_at": at} if refunded else {"status": "paid"}
    store.update_payment(order_id, paid_at=at, transaction_id="T" + order_id, reference=reference or None, **cols)


def test_finance_filters_the_reconciliation_and_downloads_a_csv_excel_reads(platform, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select
    d = browser
    today = dt.datetime.now(TZ)
    at = today.isoformat(timespec="seconds")
    _pay(platform.store, "O-CHR-PAID", "910000003000", 6000, at, reference="A2026CHROME1")
    _pay(platform.store, "O-CHR-REFD", "910000002000", 1500, at, refunded=at)
    account(platform, "liucw", "finance")
    log_in(d, platform.url, "liucw")
    d.find_element(By.CSS_SELECTOR, 'a[href="/staff/finance"]').click()
    wait(d, lambda: d.find_elements(By.ID, "order-O-CHR-REFD"))
    shot(d, "5-finance-today")

    Select(d.find_element(By.ID, "status")).select_by_value("refunded")
    d.find_element(By.ID, "apply").click()
    wait(d, lambda: "status=refunded" in d.current_url)
    assert [e.get_attribute("id") for e in d.find_elements(By.CSS_SELECTOR, "tr[id^=order-]")] == ["order-O-CHR-REFD"]
    assert "已退款 refunded" in d.find_element(By.ID, "order-O-CHR-REFD").text
    shot(d, "6-finance-refunds")

    d.find_element(By.ID, "csv").click()
    saved = chromium.wait_for_file(d, d.downloads, ".csv")
    assert saved.name == f"reconciliation-{today.date()}_{today.date()}.csv"
    data = saved.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel reads the Chinese
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r[2] for r in table[1:]] == ["O-CHR-REFD"]  # the filter holds in the download too
    assert table[1][6] == "往来港澳通行证签注（再次签注）" and table[1][7] == "15.00" and table[1][8] == "已退款 refunded"


def test_a_reviewer_logs_in_claims_and_approves_and_the_kiosks_status_query_shows_the_decision(
        platform, browser, kiosk):
    from selenium.webdriver.common.by import By
    d = browser
    m, files = complete(GRADUATE_INTAKE, "graduate_late")  # 应届毕业生引进落户, graduated too long ago
    ref = kiosk.submit(m, files).reference
    account(platform, "wangli", "reviewer")
    log_in(d, platform.url, "wangli")
    d.find_element(By.CSS_SELECTOR, 'a[href="/staff/reviews"]').click()
    wait(d, lambda: d.find_elements(By.ID, f"row-{ref}"))
    shot(d, "7-review-queue")
    d.find_element(By.CSS_SELECTOR, f"#row-{ref} a").click()
    wait(d, lambda: d.current_url.endswith(f"/staff/reviews/{ref}"))
    assert "毕业已超过两年" in d.find_element(By.TAG_NAME, "body").text  # the 秒批 reason that sent it to a person
    shot(d, "8-case")
    d.find_element(By.CSS_SELECTOR, 'form[action$="/claim"] button').click()
    wait(d, lambda: d.find_elements(By.CSS_SELECTOR, "input[value=approve]"))
    shot(d, "9-claimed")
    d.find_element(By.CSS_SELECTOR, "input[value=approve]").click()
    d.find_element(By.CSS_SELECTOR, 'form[action$="/decide"] button.primary').click()
    wait(d, lambda: d.current_url.endswith("/staff/reviews"))
    assert not d.find_elements(By.ID, f"row-{ref}")
    shot(d, "10-queue-after-approval")
    status = kiosk.status(ref)
    notes = [e.note.zh for e in status.timeline if e.note]
    assert status.status == "approved" and notes[-2] == "人工审核通过" and notes[-1].startswith("已签发")
    assert [n["reviewer"] for n in platform.store.staff_notes(ref)] == ["wangli"]
