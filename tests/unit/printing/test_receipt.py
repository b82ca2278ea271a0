"""The 受理回执 from a stored application: what it carries, that its QR scans to the tracking payload,
and that it prints once -- across retries, a cut-short job and a restart of the kiosk."""
from __future__ import annotations

import datetime as dt
import json
import time

import pytest
import zxingcpp

from devices import sim
from devices.base import DeviceState
from devices.printer import ReceiptPrinter
from devices.printer.interpret import Interpreter, Raster
from devices.printer.render import render, split_receipts
from kiosk.catalog import Catalog
from kiosk.outbox import OutboxState, Record
from kiosk.printing.receipt import (JobState, PrintJournal, print_once, printed_receipt_png, receipt_bytes, receipt_data,
                                   render_receipt_png, tracking_payload)
from kiosk.settings import CONFIG_DIR
from tests.helpers.fakes import Recorder

TRACK = "https://zwfw.example.gov.cn/t/"
ID_NUMBER = "440305200205141170"


@pytest.fixture(scope="module")
def item():
    return Catalog.from_dir(CONFIG_DIR / "catalog").get("312000218000")


def record(delivered: bool = True, **kw) -> Record:
    base = dict(id="app-1", local_number="SZ-KIOSK-0001-20240301-0007", item_code="312000218000",
                state=OutboxState.DELIVERED if delivered else OutboxState.PENDING, created_at=time.time(),
                attempts=1, next_attempt_at=0.0, last_error="", reference="SZ20240301000042" if delivered else "",
                platform_status="received" if delivered else "", result={})
    base.update(kw)
    return Record(**base)


MANIFEST = {
    "applicant": {"name": "李小明", "id_number": ID_NUMBER},
    "materials": [{"id": "id_card", "source": "card", "pages": 0},
                  {"id": "purpose_letter", "source": "applicant", "pages": 2}],
    "delivery": {"method": "express", "recipient": "李小明", "phone": "13800138000", "region": "440305",
                 "address": "粤海街道示例路88号"},
    "payment": {"amount_fen": 2000, "status": "paid"},
    "created_at": "2024-03-01T10:15:00+08:00",
}


def build(item, rec=None, manifest=MANIFEST, profile="80mm", **kw) -> bytes:
    return receipt_bytes(rec or record(), manifest, item, kiosk_id="SZ-KIOSK-0001", kiosk_location="南山区政务服务中心",
                         tracking_url=TRACK, profile=profile, **kw)


def the_receipt(data: bytes):
    (receipt,) = split_receipts(Interpreter().feed(data))
    return receipt


def test_the_receipt_carries_what_a_real_huizhi_carries_and_masks_the_person(item):
    r = the_receipt(build(item))
    text = r.text
    for expected in ("受理回执", item.name.zh, item.agency.zh, "李**", "受理编号：SZ20240301000042", "已受理",
                     "2024-03-01 10:15", "居民身份证（身份证读取）", "（2 页）", "邮寄送达（李** 138****8000）",
                     "￥20.00（已支付）", "承诺时限", "SZ-KIOSK-0001", "南山区政务服务中心"):
        assert expected in text, expected
    assert ID_NUMBER not in text and "小明" not in text and "示例路" not in text
    assert r.cut


def test_the_printed_qr_scans_to_the_tracking_payload(item):
    img = render(the_receipt(build(item)))
    found = [(b.format.name, b.text) for b in zxingcpp.read_barcodes(img)]
    assert found == [("QRCode", tracking_payload(TRACK, "SZ20240301000042"))]


def test_on_58mm_paper_lines_fit_and_the_qr_still_scans(item):
    data = build(item, profile="58mm")
    r = the_receipt(data)
    assert all(sum(1 if ord(c) < 128 else 2 for c in line.text) * line.style.width <= 32
               for line in r.elements if hasattr(line, "text"))
    found = [b.text for b in zxingcpp.read_barcodes(render(r, "58mm"))]
    assert found == [tracking_payload(TRACK, "SZ20240301000042")]


def test_a_queued_application_shows_the_local_number_and_no_qr(item):
    r = the_receipt(build(item, record(delivered=False)))
    assert "本机编号：SZ-KIOSK-0001-20240301-0007" in r.text and "联网后将自动提交" in r.text
    assert r.qr_payloads == []


def test_a_queued_receipt_promises_only_what_happens(item):
    """No SMS is ever sent and a local number opens an application only with the applicant's card, after
    delivery (central /track): the offline receipt says exactly that."""
    text = the_receipt(build(item, record(delivered=False))).text
    assert "短信" not in text and "在本机“进度查询”查询" not in text
    assert "刷身份证并输入本机编号查询" in text and "联网后将自动提交" in text


def test_a_rare_character_in_the_name_prints_as_an_image_not_a_box(item):
    manifest = dict(MANIFEST, applicant={"name": "㐀小明", "id_number": ID_NUMBER})
    data = build(item, manifest=manifest)
    elements = Interpreter().feed(data)
    assert any(isinstance(e, Raster) for e in elements) and "□" not in the_receipt(data).text


def test_receipt_data_is_shared_with_the_a4_receipt(item):
    d = receipt_data(record(), MANIFEST, item, kiosk_id="K", kiosk_location="L", tracking_url=TRACK)
    assert d.tracking == TRACK + "SZ20240301000042" and d.number_label == "受理编号"
    assert [m.detail for m in d.materials] == ["身份证读取", "2 页"]


@pytest.fixture
def sim_printer():
    p = ReceiptPrinter("printer", "sim://printer?name=receipt")
    p.poll_interval_s = 0.05
    rec = Recorder()
    p.subscribe(rec)
    p.start()
    rec.wait_for(lambda ev: p.state == DeviceState.IDLE)
    yield p, rec, sim.get_hardware("sim://printer?name=receipt")
    p.stop()


def test_print_once_remembers_across_a_restart_of_the_kiosk(tmp_path, item, sim_printer):
    p, rec, hw = sim_printer
    journal = PrintJournal(tmp_path / "journal.jsonl")
    assert print_once(p, journal, "receipt-app-1", lambda reprint: build(item)).result(10).ok
    assert len(hw.receipts) == 1
    # A new process: a fresh driver (empty memory) and the journal read back from disk.
    p2 = ReceiptPrinter("printer2", "sim://printer?name=receipt")
    p2.start()
    try:
        again = print_once(p2, PrintJournal(tmp_path / "journal.jsonl"), "receipt-app-1",
                           lambda reprint: build(item)).result(10)
    finally:
        p2.stop()
    assert again.ok and again.duplicate and len(hw.receipts) == 1


def test_the_screen_shows_the_bytes_that_were_printed_drawn_like_the_paper(tmp_path, item, sim_printer):
    """The receipt screen's picture comes from the core (what was sent), and equals the printer's paper."""
    p, rec, hw = sim_printer
    journal = PrintJournal(tmp_path / "journal.jsonl")
    assert printed_receipt_png(journal, "app-9") is None
    assert print_once(p, journal, "receipt-app-9", lambda reprint: build(item)).result(10).ok
    png = printed_receipt_png(journal, "app-9")
    assert png is not None and png == hw.last_png()
    assert printed_receipt_png(journal, "another-app") is None  # never someone else's receipt
    assert "受理回执" not in (tmp_path / "journal.jsonl").read_text(encoding="utf-8")  # bytes stay in memory


def test_a_receipt_cut_short_is_reprinted_whole_and_marked_as_a_reprint(tmp_path, item, sim_printer):
    p, rec, hw = sim_printer
    journal = PrintJournal(tmp_path / "journal.jsonl")
    hw.paper_out_after_lines = 6
    first = print_once(p, journal, "receipt-app-2", lambda reprint: build(item, reprint=reprint)).result(10)
    assert not first.ok and journal.state("receipt-app-2") == JobState.CUT_SHORT
    hw.set_paper("ok")
    rec.wait_for(lambda ev: p.state == DeviceState.IDLE)
    second = print_once(p, journal, "receipt-app-2", lambda reprint: build(item, reprint=reprint)).result(10)
    assert second.ok and journal.state("receipt-app-2") == JobState.PRINTED
    assert len(hw.receipts) == 1 and "【补打】" in hw.receipts[0].text
    assert hw.receipts[0].qr_payloads == [tracking_payload(TRACK, "SZ20240301000042").encode()]


def test_a_fault_before_the_job_starts_is_not_a_reprint(tmp_path, item, sim_printer):
    p, rec, hw = sim_printer
    journal = PrintJournal(tmp_path / "journal.jsonl")
    hw.set_cover_open(True)
    assert not print_once(p, journal, "receipt-app-3", lambda reprint: build(item, reprint=reprint)).result(10).ok
    assert journal.state("receipt-app-3") == JobState.FAILED
    hw.set_cover_open(False)
    rec.wait_for(lambda ev: p.state == DeviceState.IDLE)
    assert print_once(p, journal, "receipt-app-3", lambda reprint: build(item, reprint=reprint)).result(10).ok
    assert "【补打】" not in hw.receipts[-1].text


def test_the_journal_survives_a_torn_last_line_and_forgets_old_entries(tmp_path):
    path = tmp_path / "journal.jsonl"
    old = {"job": "old", "state": "printed", "at": time.time() - 90 * 86400}
    path.write_text(json.dumps(old) + "\n" + json.dumps({"job": "a", "state": "printed", "at": time.time()})
                    + "\n" + '{"job": "b", "sta', encoding="utf-8")
    j = PrintJournal(path)
    assert j.state("a") == JobState.PRINTED and j.state("b") is None and j.state("old") is None


def test_tracking_payload_keeps_its_format():
    assert tracking_payload("https://x.gov.cn/t/", "SZ1") == "https://x.gov.cn/t/SZ1"


def test_receipt_time_defaults_to_when_the_application_was_stored(item):
    d = receipt_data(record(), MANIFEST, item, kiosk_id="K", kiosk_location="L", tracking_url=TRACK)
    assert d.when == "2024-03-01 10:15"
    d2 = receipt_data(record(), MANIFEST, item, kiosk_id="K", kiosk_location="L", tracking_url=TRACK,
                      now=dt.datetime(2024, 3, 2, 9, 0))
    assert d2.when == "2024-03-02 09:00"


def test_the_qr_carries_the_platforms_tracking_token_not_the_reference(item):
    token = "MFRGGZDFMZTWQ2LKNNWG23TPOA"
    rec = record(result={"tracking_token": token})
    d = receipt_data(rec, MANIFEST, item, kiosk_id="K", kiosk_location="L", tracking_url=TRACK)
    assert d.tracking == TRACK + token and d.tracking_code == token
    for profile in ("80mm", "58mm"):
        r = the_receipt(build(item, rec=rec, profile=profile))
        assert r.qr_payloads == [tracking_payload(TRACK, token).encode()] and token in r.text


def test_a_receipt_queued_offline_still_prints_without_a_qr(item):
    r = the_receipt(build(item, rec=record(delivered=False)))
    assert r.qr_payloads == [] and "SZ-KIOSK-0001-20240301-0007" in r.text


CONTROL_AND_SEPARATORS = [chr(c) for c in range(0x20)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff", "\u200b"]


@pytest.mark.parametrize("profile", ["80mm", "58mm"])
def test_control_and_separator_characters_in_a_form_field_still_print_a_receipt(item, profile):
    printed = 0
    for ch in CONTROL_AND_SEPARATORS:  # pasted into the express form's recipient and a material's name
        manifest = dict(MANIFEST, delivery=dict(MANIFEST["delivery"], recipient=f"李{ch}小明"),
                        materials=[{"id": f"材料{ch}甲", "source": "applicant", "pages": 1}])
        data = build(item, manifest=manifest, profile=profile)
        png = render_receipt_png(data, profile)
        assert png is not None and png.startswith(b"\x89PNG"), hex(ord(ch))
        text = the_receipt(data).text
        assert "受理回执" in text and "请妥善保管本回执" in text, hex(ord(ch))
        assert "材料" in text and "甲" in text  # the field itself is printed, the character dropped or a space
        printed += 1
    assert printed == len(CONTROL_AND_SEPARATORS)


@pytest.mark.parametrize(("ref", "detail"), [
    ({"id": "m", "source": "e_licence", "pages": 0, "licence_id": "LIC-1"}, "电子证照共享"),
    ({"id": "m", "source": "e_licence", "pages": 2, "licence_id": None}, "2 页"),  # not held: photographed on paper
    ({"id": "m", "source": "e_licence", "pages": 0, "licence_id": None}, "未提供"),  # neither shared nor given
    ({"id": "m", "source": "card", "pages": 0}, "身份证读取"),
    ({"id": "m", "source": "applicant", "pages": 0}, "未提供"),
])
def test_receipt_material_source_is_what_was_given(item, ref, detail):
    data = receipt_data(record(), dict(MANIFEST, materials=[ref]), item, kiosk_id="K", kiosk_location="L",
                        tracking_url=TRACK)
    assert [m.detail for m in data.materials] == [detail]


def test_the_receipt_shows_the_delivery_region_and_only_the_start_of_the_street(item):
    # issue 15: the receipt never showed the address; a receipt is thrown away, so the door stays hidden
    text = the_receipt(build(item)).text
    assert "收件地址：广东省深圳市南山区粤海" in text and "示例路" not in text and "88号" not in text
