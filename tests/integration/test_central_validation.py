"""The platform validates a whole application before any decision (issue 15, item 6), attacked over HTTP.

A signed submission with a malformed field, a missing material or no signature is refused (422, code 4110)
and never stored; a fee not paid, data missing for a 秒批 rule, or an item that needs the person seen goes
to manual review with a true reason; nothing of it is ever approved. A paid application that is refused
has its order marked ``refund_due`` for the refund code.
"""
from __future__ import annotations

import pytest
import requests

from central.server import EmbeddedPlatform
from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.schema import PaymentInfo
from kiosk.settings import CONFIG_DIR
from tests.helpers.manifests import complete

SECRET = "test-secret-0123456789"
SOLE_TRADER = "940000001000"  # 个体工商户设立登记, 秒批
HK_ENDORSEMENT = "910000002000"  # fee by choice
POSTDOC_ALLOWANCE = "920000005000"
PENSION_CLAIM, PENSION_CHECK = "920000006000", "920000007000"
NO_CRIME = "312000218000"  # 无犯罪记录证明: a required material and a signature


@pytest.fixture(scope="module")
def platform(tmp_path_factory, central_db):
    p = EmbeddedPlatform(tmp_path_factory.mktemp("central"), CONFIG_DIR / "catalog", kiosks={"K-TEST": SECRET},
                         db_url=central_db)
    p.start()
    yield p
    p.stop()


@pytest.fixture
def client(platform):
    c = PlatformClient(platform.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    yield c
    c.close()


def refused(client, platform, m, files) -> PlatformError:
    before = platform.store.count()
    with pytest.raises(PlatformError) as exc:
        client.submit(m, files)
    assert exc.value.status == 422 and exc.value.code == 4110 and not exc.value.retryable
    assert platform.store.count() == before  # nothing stored, so nothing decided
    return exc.value


def test_a_complete_eligible_sole_trader_is_still_approved_at_once(client):
    m, files = complete(SOLE_TRADER, "graduate")
    assert client.submit(m, files).status == "approved"


def test_the_reported_sole_trader_with_phone_1_no_materials_and_no_signature_is_refused(client, platform):
    m, _ = complete(SOLE_TRADER, "graduate")
    m = m.model_copy(update={"form": dict(m.form, phone="1"), "materials": [], "signature": None, "files": []})
    err = refused(client, platform, m, {})
    assert "mobile number" in str(err) and "signature is missing" in str(err)


@pytest.mark.parametrize("field,value", [("phone", "1"), ("phone", "23800138000"), ("capital_wan", "十万"),
                                         ("premises_code", "12"), ("organisation", "commune"), ("staff", "")])
def test_a_malformed_or_missing_field_is_refused(client, platform, field, value):
    m, files = complete(SOLE_TRADER, "graduate")
    m = m.model_copy(update={"form": dict(m.form, **{field: value})})
    refused(client, platform, m, files)


def test_a_missing_required_material_or_its_pages_is_refused(client, platform):
    m, files = complete(NO_CRIME)
    assert m.materials, "the item has a required material to leave out"
    refused(client, platform, m.model_copy(update={"materials": []}), files)
    zero = [r.model_copy(update={"pages": 0}) for r in m.materials]
    refused(client, platform, m.model_copy(update={"materials": zero}), files)


def test_a_missing_signature_is_refused_even_when_its_file_is_claimed(client, platform):
    m, files = complete(NO_CRIME)
    refused(client, platform, m.model_copy(update={"signature": None}), files)
    refused(client, platform, m.model_copy(update={"signature": "not-sent.png"}), files)


def test_an_unsigned_request_is_refused_before_any_validation(platform):
    m, _ = complete(SOLE_TRADER, "graduate")
    r = requests.post(f"{platform.url}/api/v1/applications", data={"manifest": m.model_dump_json()},
                      headers={"Idempotency-Key": m.application_id}, timeout=5)
    assert r.status_code == 401


def test_a_fee_not_paid_goes_to_review_never_approved(client):
    m, files = complete(HK_ENDORSEMENT, payment=PaymentInfo(order_id="", amount_fen=0, status="none"))
    resp = client.submit(m, files)
    assert resp.status != "approved" and any("Payment not confirmed" in r.en for r in resp.decision.reasons)


def test_a_paid_application_refused_by_validation_is_marked_for_refund(client, platform):
    m, files = complete(HK_ENDORSEMENT)
    order = client.create_payment(m.application_id, HK_ENDORSEMENT, dict(m.form))
    assert client.simulate_payment(order.qr_payload).status == "paid"
    m = m.model_copy(update={"payment": PaymentInfo(order_id=order.order_id, amount_fen=order.amount_fen,
                                                    status="paid"), "signature": None})
    refused(client, platform, m, files)
    assert client.payment(order.order_id).status == "refund_due"
    assert any(a["kind"] == "refund_due" for a in platform.store.alarms())


def test_missing_shared_data_gives_a_true_reason_not_the_rules_own(client):
    m, files = complete(POSTDOC_ALLOWANCE, "graduate")
    resp = client.submit(m, files)
    assert resp.status == "under_review"
    zh = [r.zh for r in resp.decision.reasons]
    assert "已享受满2年生活补贴" not in zh
    assert any(z.startswith("缺少共享数据") for z in zh)
    # named as the citizen reads it on the result screen, not by its key ("postdoc.subsidy_years_received")
    assert "缺少共享数据“已领取博士后生活补贴的年度数”，无法自动核验，转人工审核" in zh
    assert not any("postdoc." in r.zh or "postdoc." in r.en for r in resp.decision.reasons)


@pytest.mark.parametrize("code", [PENSION_CLAIM, PENSION_CHECK])
def test_an_item_needing_the_person_seen_never_passes_on_the_card_alone(client, code):
    m, files = complete(code, "elder")
    resp = client.submit(m, files)
    assert resp.status in ("received", "under_review") and not resp.decision.approved
    assert any("face" in r.en for r in resp.decision.reasons)
