"""What the phone is told: every event's text in both languages, the mobile found in the submission, masking."""
from __future__ import annotations

from types import SimpleNamespace

import pytest

from central.notify import applicant_mobile, mask_phone, sms_promised
from central.notify.templates import TEMPLATES, language, render
from kiosk.catalog import Catalog
from kiosk.settings import CONFIG_DIR

CATALOG = Catalog.from_dir(CONFIG_DIR / "catalog")
REF, LINK = "SZ20260101000001", "https://zw.example.gov.cn/t/ABCDEFGHJKLMNPQRSTUVWXYZ23"


@pytest.mark.parametrize("event", sorted(TEMPLATES))
@pytest.mark.parametrize("lang", ["zh_CN", "en_US"])
def test_every_message_is_short_and_carries_the_reference_and_the_link(event, lang):
    text = render(event, lang, REF, LINK)
    # short: Chinese within two concatenated parts (67 UCS-2 characters each), English within one GSM-7 SMS
    assert text is not None and REF in text and LINK in text and len(text) <= (134 if lang == "zh_CN" else 160)
    assert ("【政务服务】" in text) is (lang == "zh_CN")


def test_an_event_without_a_template_sends_nothing_and_an_unknown_language_is_chinese():
    assert render("paid", "zh_CN", REF, LINK) is None and render("under_review", "zh_CN", REF, LINK) is None
    assert language("fr_FR") == "zh_CN" and language(None) == "zh_CN" and language("en_US") == "en_US"


def test_the_mobile_is_the_forms_phone_field_else_the_express_recipients():
    item = CATALOG.get("312000218000")
    assert applicant_mobile(item, {"form": {"phone": "13912345678"}}) == "13912345678"
    assert applicant_mobile(item, {"form": {"phone": "0755-1234567"},
                                   "delivery": {"phone": "13800138000"}}) == "13800138000"
    assert applicant_mobile(CATALOG.get("920000008000"), {"form": {}}) == ""
    assert mask_phone("13912345678") == "139****5678"


def test_no_sms_is_promised_when_the_gateway_is_off_or_there_is_no_mobile():
    item, m = CATALOG.get("312000218000"), {"form": {"phone": "13912345678"}}
    on, off = SimpleNamespace(config=SimpleNamespace(sms_gateway="outbox")), SimpleNamespace(
        config=SimpleNamespace(sms_gateway="off"))
    assert sms_promised(on, item, m) and not sms_promised(off, item, m)
    assert not sms_promised(on, item, {"form": {}})
