"""Scanned payloads: the kiosk's receipt QR, GS1 utility-bill codes, everything else as sanitised plain text."""
from __future__ import annotations

import unicodedata

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from devices.barcode import Scan, gs1
from devices.base import DeviceEvent, EventKind
from kiosk.catalog import Catalog
from kiosk.payloads import Payload, PayloadClassifier, PayloadKind, ScanRouter, sanitize
from kiosk.printing.receipt import tracking_payload
from kiosk.settings import CONFIG_DIR, Settings, SettingsError, load_settings
from tests.helpers.fakes import FakeClock

ELECTRICITY, WATER, GAS = "960000001000", "960000002000", "960000003000"
GLN_ELECTRICITY, GLN_WATER, GLN_GAS = "6901234000016", "6901234000023", "6901234000030"
TRACKING = "https://zwfw.example.gov.cn/t/"


@pytest.fixture(scope="module")
def classifier() -> PayloadClassifier:
    return PayloadClassifier.from_settings(Settings(), Catalog.from_dir(CONFIG_DIR / "catalog"))


# --- receipts ----------------------------------------------------------------------------------------------------

def test_the_kiosks_own_receipt_qr_opens_the_status_of_its_reference(classifier) -> None:
    p = classifier.classify(tracking_payload(TRACKING, "SZ20261127000001"), symbology="QRCode", source="camera")
    assert (p.kind, p.reference, p.symbology, p.source) == (PayloadKind.RECEIPT, "SZ20261127000001", "QRCode", "camera")


def test_a_receipt_qr_with_a_tracking_token_gives_the_token_which_is_never_logged(classifier) -> None:
    p = classifier.classify(tracking_payload("HTTPS://ZWFW.EXAMPLE.GOV.CN/t/", "mfrggzdfmztwq2lknnwg23tpoa"))
    assert (p.kind, p.token, p.reference) == (PayloadKind.RECEIPT, "MFRGGZDFMZTWQ2LKNNWG23TPOA", "")
    assert p.summary()["token"] is True and "MFRG" not in str(p.summary())


@pytest.mark.parametrize("text", ["SZ20261127000001", "HTTPS://ZWFW.EXAMPLE.GOV.CN/t/SZ20261127000001",
                                  "https://zwfw.example.gov.cn/t/SZ20261127000001\r\n"])
def test_bare_reference_upper_cased_url_and_a_line_end_are_receipts_too(classifier, text: str) -> None:
    p = classifier.classify(text)
    assert (p.kind, p.reference) == (PayloadKind.RECEIPT, "SZ20261127000001")


@pytest.mark.parametrize("text", [
    "https://zwfw.example.gov.cn.evil.example/t/SZ20261127000001",  # look-alike host
    "https://evil.example/?https://zwfw.example.gov.cn/t/SZ20261127000001",
    "https://zwfw.example.gov.cn/t/SZ20261127000001?next=https://evil.example",  # anything after it
    "https://zwfw.example.gov.cn/T/SZ20261127000001",  # the path is case-sensitive
    "http://zwfw.example.gov.cn/t/SZ20261127000001",  # not the configured scheme
    "https://zwfw.example.gov.cn/t/SZ2026112700000",  # 13 digits
    "https://zwfw.example.gov.cn/t/SZ20261127000001\x00",
    "https://zwfw.example.gov.cn/t/ＳＺ20261127000001",  # full-width letters
])
def test_anything_that_only_resembles_a_receipt_is_plain_text(classifier, text: str) -> None:
    assert classifier.classify(text).kind == PayloadKind.TEXT


# --- bills ---------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "item", "account", "fen"), [
    (f"(415){GLN_ELECTRICITY}(8020)0100123456(3902)12345", ELECTRICITY, "0100123456", 12345),
    (f"415{GLN_ELECTRICITY}80200100123456\x1d390212345", ELECTRICITY, "0100123456", 12345),  # as scanned
    (f"]C1415{GLN_WATER}802020012345", WATER, "20012345", None),  # AIM ID in front, no amount
    (f"\x1d415{GLN_GAS}802088001234\x1d39014560", GAS, "88001234", 45600),  # FNC1 first, 1 decimal
    (f"(415){GLN_GAS}(8020)880012345678(3903)123450", GAS, "880012345678", 12345),
])
def test_gs1_bill_codes_open_the_payment_of_their_utility_with_the_account_filled(
        classifier, text: str, item: str, account: str, fen: int | None) -> None:
    p = classifier.classify(text, symbology="Code128")
    assert (p.kind, p.item_code, p.account_no, p.amount_fen) == (PayloadKind.BILL, item, account, fen)
    assert "\x1d" not in p.text and p.text.startswith("(415)")


def test_the_issuer_decides_the_utility_not_the_shape_of_the_account_number(classifier) -> None:
    # 0100123456 fits the electricity (10-13), water (8-10) and gas (8-12) patterns alike.
    for gln, item in ((GLN_ELECTRICITY, ELECTRICITY), (GLN_WATER, WATER), (GLN_GAS, GAS)):
        p = classifier.classify(f"(415){gln}(8020)0100123456")
        assert (p.kind, p.item_code) == (PayloadKind.BILL, item)


@pytest.mark.parametrize("text", [
    f"(415){GLN_WATER}(8020)0100123456789",  # 13 digits: not a water account (8-10)
    f"(415){GLN_ELECTRICITY}(8020)ABC1234567",  # letters in an electricity account
    "(415)6901234000017(8020)0100123456",  # GLN check digit wrong
    "(415)6901234000047(8020)0100123456",  # valid GLN of nobody configured
    f"(415){GLN_ELECTRICITY}(8020)0100123456(3902)1234567890123456",  # amount too long for AI 3902
    f"(415){GLN_ELECTRICITY}(9999)x",  # unknown AI
])
def test_bill_codes_that_do_not_check_out_are_plain_text(classifier, text: str) -> None:
    assert classifier.classify(text).kind == PayloadKind.TEXT


def test_a_bare_account_number_fills_the_bill_the_citizen_is_paying_and_is_text_elsewhere(classifier) -> None:
    assert classifier.classify("0100123456").kind == PayloadKind.TEXT  # fits all three utilities
    p = classifier.classify("0100123456", context_item=ELECTRICITY)
    assert (p.kind, p.item_code, p.account_no) == (PayloadKind.BILL, ELECTRICITY, "0100123456")
    assert classifier.classify("0100123456789", context_item=WATER).kind == PayloadKind.TEXT
    assert classifier.classify("0100123456", context_item="not-a-bill-item").kind == PayloadKind.TEXT


def test_an_amount_with_fractions_of_a_fen_is_left_out() -> None:
    elements = gs1.parse(f"(415){GLN_ELECTRICITY}(8020)0100123456(3903)123455")
    assert elements["3903"] == "123455"
    clf = PayloadClassifier(tracking_url=TRACKING, catalog=Catalog.from_dir(CONFIG_DIR / "catalog"),
                            bill_issuers={GLN_ELECTRICITY: ELECTRICITY})
    assert clf.classify(f"(415){GLN_ELECTRICITY}(8020)0100123456(3903)123455").amount_fen is None


# --- GS1 element strings -----------------------------------------------------------------------------------------------

def test_gs1_fixed_and_variable_length_fields_parse_in_both_forms() -> None:
    raw = f"0106901234567892{gs1.GS}10LOT7{gs1.GS}17261231"
    assert gs1.parse(raw) == {"01": "06901234567892", "10": "LOT7", "17": "261231"}
    assert gs1.parse("(01)06901234567892(10)LOT7(17)261231") == gs1.parse(raw)


@pytest.mark.parametrize("body", ["690123400001", "690000000000", "123456789012"])
def test_gln_check_digit_round_trip(body: str) -> None:
    full = gs1.with_check_digit(body)
    assert gs1.check_digit_ok(full)
    assert not gs1.check_digit_ok(full[:-1] + str((int(full[-1]) + 1) % 10))


# --- untrusted text ------------------------------------------------------------------------------------------------

def test_other_text_is_shown_as_text_never_as_a_link_or_markup(classifier) -> None:
    p = classifier.classify("https://evil.example/pay?x=<b>1</b>\u202e")
    assert p.kind == PayloadKind.TEXT and p.looks_like_url
    assert p.text == "https://evil.example/pay?x=<b>1</b>"  # the bidi override is gone
    assert "<" not in p.display_text() and ">" not in p.display_text()
    assert not classifier.classify("户号 0100123456").looks_like_url


def test_long_payloads_are_cut_and_say_so(classifier) -> None:
    p = classifier.classify("字" * 3000)
    assert p.kind == PayloadKind.TEXT and len(p.text) == 512 and p.truncated


def test_summary_for_logs_never_carries_the_text(classifier) -> None:
    text = "姓名 张三 身份证 110101199003074514"
    s = classifier.classify(text).summary()
    assert "110101199003074514" not in repr(s) and "张三" not in repr(s) and s["chars"] == len(text)
    bill = classifier.classify(f"(415){GLN_ELECTRICITY}(8020)0100123456").summary()
    assert bill["account"] == "******3456" and bill["item"] == ELECTRICITY


_ANY_TEXT = st.text(alphabet=st.characters(codec=None, exclude_categories=()), max_size=3000)
_BAD = {"Cc", "Cf", "Cs", "Co", "Cn"}


@settings(max_examples=300, deadline=None, database=None)
@given(text=_ANY_TEXT, max_chars=st.integers(1, 600))
@example(text="a\u202eb\x00c\n\n\td\u200b", max_chars=600)
@example(text="\ud800x\U000F0000y", max_chars=10)
def test_sanitiser_output_is_short_clean_and_stable(text: str, max_chars: int) -> None:
    out, truncated = sanitize(text, max_chars)
    assert len(out) <= max_chars
    assert not any(unicodedata.category(ch) in _BAD for ch in out)
    assert out == out.strip(" ") and "  " not in out
    assert all(ch == " " or unicodedata.category(ch) != "Zs" for ch in out)
    out.encode("utf-8")  # no lone surrogates: anything downstream can encode it
    assert sanitize(out, max_chars) == (out, False)  # idempotent
    if not truncated:
        assert out == sanitize(text, 10**6)[0]  # nothing was cut


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=200))
def test_sanitiser_leaves_printable_ascii_alone(text: str) -> None:
    assert sanitize(text, 512) == (text, False)


@settings(max_examples=200, deadline=None, database=None)
@given(_ANY_TEXT)
def test_classifier_never_raises_and_text_is_always_sanitised(text: str) -> None:
    clf = PayloadClassifier(tracking_url=TRACKING, catalog=Catalog([]), bill_issuers={}, max_chars=100)
    p = clf.classify(text)
    assert p.text == sanitize(p.text, 100)[0]


# --- the router: device events in, one payload out ----------------------------------------------------------------

def test_router_turns_reads_from_any_path_into_payloads_and_drops_a_cross_path_repeat(classifier) -> None:
    got: list[Payload] = []
    clock = FakeClock()
    router = ScanRouter(classifier, got.append, context_item=lambda: ELECTRICITY, repeat_s=2.0, clock=clock)
    receipt = tracking_payload(TRACKING, "SZ20261127000001")
    router(DeviceEvent("camera_scan", EventKind.BARCODE_READ, Scan(receipt.encode(), receipt, "QRCode", "camera")))
    router(DeviceEvent("barcode", EventKind.BARCODE_READ, Scan(receipt.encode(), receipt, "unknown", "barcode")))
    router(DeviceEvent("barcode", EventKind.STATE_CHANGED, None))
    clock.advance(2.0)
    router(DeviceEvent("barcode", EventKind.BARCODE_READ, Scan(b"0100123456", "0100123456", "Code128", "barcode")))
    assert [(p.kind, p.source) for p in got] == [(PayloadKind.RECEIPT, "camera"), (PayloadKind.BILL, "barcode")]
    assert got[1].account_no == "0100123456"


# --- settings ---------------------------------------------------------------------------------------------------------

def test_barcode_settings_refuse_bad_glns_formats_and_patterns(tmp_path) -> None:
    for bad in ('bill_issuers = { "6901234000017" = "960000001000" }', 'camera_formats = ["QRcode"]',
                'receipt_reference_pattern = "SZ[0-9"', "camera_dedupe_s = -1"):
        f = tmp_path / "bad.toml"
        f.write_text(f"[barcode]\n{bad}\n", encoding="utf-8")
        with pytest.raises(SettingsError, match="barcode"):
            load_settings([CONFIG_DIR / "default.toml", f], data_dir=tmp_path)
    f.write_text('[barcode]\ncamera_formats = ["QRCode", "EAN-13"]\ncamera_dedupe_s = 5\n', encoding="utf-8")
    b = load_settings([CONFIG_DIR / "default.toml", f], data_dir=tmp_path).barcode
    assert (b.camera_formats, b.camera_dedupe_s) == (["QRCode", "EAN-13"], 5.0)
