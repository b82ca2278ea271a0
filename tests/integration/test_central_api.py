"""Contract tests: every endpoint of the reference platform through the kiosk's own client, over real HTTP,
on both stores (``central_db``: SQLite and a throwaway PostgreSQL, tests/helpers/pg_fixtures.py).

The synthetic identities are those of devices/idcard/synthetic.py; their government records are
central/people.py.
"""
from __future__ import annotations

import hashlib
import uuid

import pytest
import requests

from central.server import EmbeddedPlatform
from devices.idcard.synthetic import IDENTITIES
from kiosk.platform.admin import AdminClient
from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.schema import (Applicant, DeliveryInfo, DeviceHealth, FileRef, Heartbeat, Manifest,
                                   PaymentInfo, Reason)
from kiosk.printing.receipt import tracking_payload
from kiosk.settings import CONFIG_DIR
from tests.helpers.manifests import complete

PDF = b"%PDF-1.4 material"
SECRET = "test-secret-0123456789"
GRADUATE_INTAKE = "920000001000"  # 应届毕业生引进落户, 秒批
WATER_BILL = "960000002000"
HK_ENDORSEMENT = "910000002000"


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


@pytest.fixture
def admin(platform):
    return AdminClient(platform.url, platform.admin_token, timeout_s=5)


def applicant(who: str = "graduate") -> Applicant:
    card = IDENTITIES[who]
    return Applicant(name=card.name, id_number=card.id_number, birth_date=card.birth_date.isoformat())


FILES: dict[str, dict[str, bytes]] = {}  # what each manifest built here sends, by application id


def manifest(app_id: str | None = None, data: bytes = PDF, item: str = "312000218000", who: str = "graduate",
             form: dict | None = None, **extra) -> Manifest:
    """A complete submission (tests/helpers/manifests.py) plus one extra file ``material-a.pdf``."""
    m, files = complete(item, who, app_id, form=form, **extra)
    extra_ref = FileRef(name="material-a.pdf", sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                        mime="application/pdf")
    m = m.model_copy(update={"files": [*m.files, extra_ref]})
    FILES[m.application_id] = dict(files, **{"material-a.pdf": PDF})
    return m


def submit(client: PlatformClient, m: Manifest, **override: bytes):
    return client.submit(m, dict(FILES[m.application_id], **override))


# ----- basics --------------------------------------------------------------------------------------------------
def test_health_is_public_and_names_the_catalog_version(platform):
    c = PlatformClient(platform.url, kiosk_id="nobody", secret=None, timeout_s=5)
    h = c.health()
    assert h["status"] == "ok" and len(h["catalog_version"]) == 64


def test_catalog_has_an_etag_and_answers_304_when_unchanged(client):
    cat = client.catalog()
    assert any(i["code"] == "312000218000" for i in cat.items)
    assert client.catalog_etag == f'"{cat.version}"'
    assert client.catalog_if_changed() is None  # 304
    assert client.catalog_if_changed('"an-old-version"').version == cat.version


def test_openapi_describes_every_area(platform):
    spec = requests.get(f"{platform.url}/openapi.json", timeout=5).json()
    paths = set(spec["paths"])
    for p in ("/api/v1/health", "/api/v1/catalog", "/api/v1/kiosks/enrol", "/api/v1/kiosks/heartbeat",
              "/api/v1/kiosks/audit", "/api/v1/sharing/lookup", "/api/v1/uploads", "/api/v1/uploads/{upload_id}",
              "/api/v1/applications", "/api/v1/applications/{reference}", "/api/v1/track", "/api/v1/payments",
              "/api/v1/payments/{order_id}", "/api/v1/bills/lookup", "/api/v1/deliveries",
              "/api/v1/admin/reviews/{reference}", "/api/v1/admin/reconciliation"):
        assert p in paths
    assert "kioskSignature" in spec["components"]["securitySchemes"]


# ----- enrolment, heartbeat, audit -------------------------------------------------------------------------------
def test_a_kiosk_enrols_with_a_one_time_code_and_then_signs_with_its_secret(platform, admin):
    code = admin.new_enrolment("K-NEW-7").code
    fresh = PlatformClient(platform.url, kiosk_id="K-NEW-7", timeout_s=5, sleep=lambda s: None)
    with pytest.raises(PlatformError) as exc:
        fresh.heartbeat(Heartbeat(at="2026-01-01T00:00:00+08:00"))
    assert exc.value.kind == "auth" and exc.value.code == 4011  # not enrolled yet
    secret = fresh.enrol(code, location="南山区政务服务中心").secret
    assert len(secret) >= 32
    enrolled = PlatformClient(platform.url, kiosk_id="K-NEW-7", secret=secret, timeout_s=5)
    assert enrolled.heartbeat(Heartbeat(at="2026-01-01T00:00:00+08:00")).catalog_version
    with pytest.raises(PlatformError) as again:
        fresh.enrol(code)
    assert again.value.status == 403  # the code worked once


def test_heartbeat_with_device_health_is_stored_for_the_administrator(client, admin):
    hb = Heartbeat(at="2026-11-27T09:00:00+08:00", outbox_pending=2, oldest_pending_age_s=61.5,
                   devices=[DeviceHealth(name="printer", kind="printer", state="paper_low", supplies={"paper": "low"})])
    resp = client.heartbeat(hb)
    assert resp.catalog_version == client.catalog().version
    me = next(k for k in admin.kiosks() if k.kiosk_id == "K-TEST")
    assert me.last_heartbeat.outbox_pending == 2 and me.last_heartbeat.devices[0].state == "paper_low"
    assert me.last_seen_at


def test_audit_records_are_stored_once_per_sequence_number(client, admin, tmp_path):
    from kiosk.audit.trail import AuditTrail
    from kiosk.ops.telemetry import PlatformAuditSink

    trail = AuditTrail(tmp_path / "audit", key=b"k" * 32, fsync=False)
    recs = [trail.record("step", {"to": "form"}) for _ in range(4)]
    sink = PlatformAuditSink(client)
    assert sink.send(recs[:3]) == 3
    assert sink.send(recs[1:]) == 4  # a repeat of stored records is harmless
    me = next(k for k in admin.kiosks() if k.kiosk_id == "K-TEST")
    assert me.audit_events == 4 and me.audit_alarm == "" and me.audit_epoch == 1
    assert client.audit_head().seq == 4 and client.audit_head().hash == recs[-1]["hash"]


# ----- data sharing --------------------------------------------------------------------------------------------
def test_sharing_returns_what_the_item_uses_and_the_held_e_licences(client):
    card = IDENTITIES["graduate"]
    sid = client.open_citizen_session(card.id_number).session_id
    resp = client.sharing(card.id_number, item_code=GRADUATE_INTAKE, session_id=sid)
    assert resp.values["education.degree"] == "bachelor" and resp.values["credit.blacklisted"] is False
    assert resp.values["hukou.city"] != "深圳市" and resp.values["education.years_since_graduation"] <= 2
    assert "driving_licence.class" not in resp.values  # 最小必要: only what this item reads
    assert {lic.licence_type for lic in resp.licences} >= {"graduation_certificate", "degree_certificate"}
    assert resp.name_matches is None and card.id_number not in resp.id_number_masked  # no name oracle
    assert all(card.id_number not in lic.number for lic in resp.licences)


def test_sharing_for_an_unknown_person_holds_only_what_the_number_says(client):
    sid = client.open_citizen_session("110101199003070011").session_id
    resp = client.sharing("110101199003070011", item_code=GRADUATE_INTAKE, session_id=sid)
    assert set(resp.values) == {"person.age"} and resp.licences == [] and resp.name_matches is None


def test_sharing_for_an_unknown_item_is_404(client):
    sid = client.open_citizen_session(IDENTITIES["graduate"].id_number).session_id
    with pytest.raises(PlatformError) as exc:
        client.sharing(IDENTITIES["graduate"].id_number, item_code="999999999999", session_id=sid)
    assert exc.value.status == 404 and exc.value.kind == "not_found"


# ----- submissions and 秒批 --------------------------------------------------------------------------------------
def test_submit_returns_a_reference_and_status_shows_its_timeline(client):
    resp = submit(client, manifest())
    assert resp.reference.startswith("SZ") and resp.status == "received" and not resp.duplicate
    status = client.status(resp.reference)
    assert status.item_code == "312000218000"
    assert [e.status for e in status.timeline] == ["received"]


def test_the_same_idempotency_key_gives_the_first_answer_and_stores_once(client, platform):
    m = manifest()
    first = submit(client, m)
    count = platform.store.count()
    second = submit(client, m)
    assert second.duplicate and second.reference == first.reference
    assert platform.store.count() == count


def test_an_idempotency_key_reused_for_other_content_is_a_conflict(client):
    m = manifest()
    submit(client, m)
    other = m.model_copy(update={"form": {"phone": "13900139000"}})
    with pytest.raises(PlatformError) as exc:
        submit(client, other)
    assert exc.value.status == 409


def test_a_file_that_does_not_match_its_sha256_is_refused_and_not_retryable(client):
    with pytest.raises(PlatformError) as exc:
        submit(client, manifest(data=PDF), **{"material-a.pdf": PDF + b"tampered"})
    assert exc.value.status == 422 and not exc.value.retryable
    assert "material-a.pdf" in str(exc.value)


def test_an_unknown_item_is_refused(client):
    with pytest.raises(PlatformError, match="unknown item"):
        submit(client, manifest(item="999999999999"))


def test_a_manifest_naming_another_kiosk_is_refused(client):
    m = manifest().model_copy(update={"kiosk_id": "SOMEONE-ELSE"})
    with pytest.raises(PlatformError) as exc:
        submit(client, m)
    assert exc.value.code == 4006


def test_instant_approval_approves_an_eligible_graduate_at_once(client):
    resp = submit(client, manifest(item=GRADUATE_INTAKE, who="graduate"))
    assert resp.status == "approved" and resp.decision.instant and resp.decision.approved
    assert [e.status for e in client.status(resp.reference).timeline] == ["received", "approved", "issued"]  # issue 18: the signed result


def test_instant_approval_sends_an_ineligible_graduate_to_review_with_the_reason(client, admin):
    resp = submit(client, manifest(item=GRADUATE_INTAKE, who="graduate_late"))
    assert resp.status == "under_review" and resp.decision.approved is False
    assert [r.en for r in resp.decision.reasons] == ["Graduated more than two years ago"]
    assert resp.reference in {r.reference for r in admin.reviews()}
    decided = admin.decide(resp.reference, True, Reason(zh="择业期延长，核准", en="Extended period accepted"), "审核员01")
    approval = next(e for e in decided.timeline if e.status == "approved")  # then "issued" (issue 18)
    assert decided.status == "approved" and approval.note.zh.startswith("择业期延长")
    assert resp.reference not in {r.reference for r in admin.reviews()}
    with pytest.raises(PlatformError) as exc:
        admin.decide(resp.reference, False)
    assert exc.value.status == 409  # decided once


def test_the_credit_gate_sends_a_blacklisted_or_unrecorded_applicant_to_review(client):
    dishonest = submit(client, manifest(item=GRADUATE_INTAKE, who="dishonest"))
    assert dishonest.status == "under_review"
    assert "Credit check" in dishonest.decision.reasons[0].en
    unrecorded = submit(client, manifest(item=GRADUATE_INTAKE, who="standard"))
    assert unrecorded.status == "under_review" and "Credit check" in unrecorded.decision.reasons[0].en


def test_manual_review_can_refuse_and_the_timeline_says_so(client, admin):
    resp = submit(client, manifest())
    st = admin.decide(resp.reference, False)
    assert st.status == "rejected" and st.timeline[-1].note.en == "Not approved by staff"


# ----- status by reference and by the receipt's QR ------------------------------------------------------------------
def test_status_is_found_by_the_receipt_qr_payload_and_publicly_without_personal_data(client, platform):
    resp = submit(client, manifest())
    qr = tracking_payload("https://zwfw.example.gov.cn/t/", resp.reference)
    assert client.track(qr).reference == resp.reference
    assert client.track(resp.reference.lower()).reference == resp.reference
    public = requests.get(f"{platform.url}/t/{resp.reference}", timeout=5)
    assert public.status_code == 200 and IDENTITIES["graduate"].id_number not in public.text
    with pytest.raises(PlatformError) as exc:
        client.track("https://zwfw.example.gov.cn/t/SZ00000000000000")
    assert exc.value.status == 404


def test_unknown_reference_is_404(client):
    with pytest.raises(PlatformError) as exc:
        client.status("SZ00000000000000")
    assert exc.value.status == 404


# ----- payment ------------------------------------------------------------------------------------------------
def test_a_bill_is_paid_through_an_order_the_simulated_payer_and_reconciliation(client, admin):
    bill = client.lookup_bill(WATER_BILL, "20012345")
    assert bill.amount_fen > 0 and "*" in bill.holder_masked
    assert client.lookup_bill(WATER_BILL, "20012345") == bill  # deterministic
    app_id = str(uuid.uuid4())
    order = client.create_payment(app_id, WATER_BILL, {"account_no": "20012345"}, bill.amount_fen)
    assert order.status == "pending" and order.amount_fen == bill.amount_fen and order.qr_payload.startswith("http")
    assert client.create_payment(app_id, WATER_BILL, {"account_no": "20012345"}).order_id == order.order_id
    paid = client.simulate_payment(order.qr_payload)
    assert paid.status == "paid" and paid.transaction_id and client.payment(order.order_id).status == "paid"
    day = paid.paid_at[:10]
    assert order.order_id in admin.reconciliation(day).settled_bills  # a bill needs no application to match
    m = manifest(app_id, item=WATER_BILL, form={"account_no": "20012345"},
                 payment=PaymentInfo(order_id=order.order_id, amount_fen=bill.amount_fen, status="paid"))
    sub = submit(client, m)
    report = admin.reconciliation(day)
    assert order.order_id in report.matched and order.order_id not in report.unmatched_orders
    assert report.paid_total_fen >= bill.amount_fen
    st = client.status(sub.reference)
    assert st.payment_status == "paid" and "paid" in [e.status for e in st.timeline]
    with pytest.raises(PlatformError) as exc:
        client.cancel_payment(order.order_id)
    assert exc.value.status == 409  # paid: refunds go through the counter


def test_the_fee_follows_the_form_choice_and_a_stale_amount_is_refused(client):
    app_id = str(uuid.uuid4())
    once = client.create_payment(app_id, HK_ENDORSEMENT, {"trips": "once"})
    twice = client.create_payment(app_id, HK_ENDORSEMENT, {"trips": "twice"})
    assert twice.amount_fen == 2 * once.amount_fen and twice.order_id != once.order_id
    assert client.payment(once.order_id).status == "cancelled"
    with pytest.raises(PlatformError) as exc:
        client.create_payment(str(uuid.uuid4()), HK_ENDORSEMENT, {"trips": "once"}, expected_amount_fen=1)
    assert exc.value.code == 4094
    assert client.cancel_payment(twice.order_id).status == "cancelled"


def test_an_application_claiming_an_unpaid_order_goes_to_review(client, admin):
    app_id = str(uuid.uuid4())
    order = client.create_payment(app_id, HK_ENDORSEMENT, {"trips": "once"})
    m = manifest(app_id, item=HK_ENDORSEMENT, form={"trips": "once"},
                 payment=PaymentInfo(order_id=order.order_id, amount_fen=order.amount_fen, status="paid"))
    sub = submit(client, m)
    assert any("Payment not confirmed" in r.en for r in sub.decision.reasons)
    assert sub.reference in admin.reconciliation(sub.received_at[:10]).unpaid_claims


# ----- delivery -------------------------------------------------------------------------------------------------
def test_an_approved_express_application_gets_a_waybill_that_completes_it(client, admin):
    delivery = DeliveryInfo(method="express", recipient="李小明", phone="13800138000", region="440305",
                            address="深圳市南山区示例路88号")
    resp = submit(client, manifest(item=GRADUATE_INTAKE, delivery=delivery))
    st = client.status(resp.reference)
    assert st.status == "approved" and st.waybill_no
    wb = client.waybill(st.waybill_no)
    assert wb.status == "created" and wb.recipient_masked == "李**" and "88号" not in wb.address_masked
    for expected in ("picked_up", "in_transit", "out_for_delivery", "delivered"):
        assert admin.advance_waybill(wb.waybill_no).status == expected
    done = client.status(resp.reference)
    assert done.status == "completed" and done.timeline[-1].status == "completed"


def test_delivery_can_be_requested_after_submission_once_per_application(client):
    resp = submit(client, manifest())
    a = client.request_delivery(resp.reference, recipient="王秀英", phone="13900139000",
                                address="深圳市罗湖区东门街道示例社区12栋301")
    b = client.request_delivery(resp.reference, recipient="王秀英", phone="13900139000",
                                address="深圳市罗湖区东门街道示例社区12栋301")
    assert a.waybill_no == b.waybill_no and client.status(resp.reference).waybill_no == a.waybill_no
    with pytest.raises(PlatformError) as exc:
        client.request_delivery("SZ00000000000000", recipient="王", phone="13900139000", address="深圳市某处")
    assert exc.value.status == 404


# ----- transport -----------------------------------------------------------------------------------------------
def test_an_unreachable_platform_is_a_retryable_network_error():
    c = PlatformClient("http://127.0.0.1:9", kiosk_id="K", timeout_s=1, sleep=lambda s: None)
    with pytest.raises(PlatformError) as exc:
        c.health()
    assert exc.value.retryable and exc.value.kind == "network" and "unreachable" in str(exc.value)


def test_a_wrong_secret_is_an_auth_error_the_outbox_keeps_retrying(platform):
    c = PlatformClient(platform.url, kiosk_id="K-TEST", secret="wrong", timeout_s=5, sleep=lambda s: None)
    with pytest.raises(PlatformError) as exc:
        c.status("SZ00000000000000")
    assert exc.value.code == 4012 and exc.value.kind == "auth" and exc.value.retryable


def test_a_kiosk_clock_far_off_is_corrected_from_the_platforms_answer(platform):
    c = PlatformClient(platform.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    c.t.clock_offset_s = -3600.0  # the kiosk's clock is an hour slow
    assert c.catalog().version
    assert abs(c.t.clock_offset_s) < 60
