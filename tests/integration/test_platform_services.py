"""The journey-facing services (kiosk.platform.services) and telemetry against the reference platform."""
from __future__ import annotations

import threading
import time
import uuid

import pytest

from central.server import EmbeddedPlatform
from devices.idcard.synthetic import IDENTITIES
from kiosk.catalog import Catalog
from kiosk.errors import KioskErrorCode
from kiosk.outbox import Outbox
from kiosk.platform.admin import AdminClient
from kiosk.platform.client import PlatformClient
from kiosk.runtime import build_runtime
from kiosk.platform.services import (CitizenService, DeliveryService, LinkError, PaymentService, SharingService,
                                    StatusService, plan_materials)
from kiosk.settings import CONFIG_DIR, default_files, load_settings
from kiosk.audit.trail import AuditTrail
from kiosk.audit.upload import AuditUploader
from kiosk.ops.telemetry import PlatformAuditSink, Telemetry
from tests.helpers.fakes import OUTBOX_KEY
from tests.helpers.servers import FakeHangingPlatform

SECRET = "services-secret-0123456789"
CATALOG = Catalog.from_dir(CONFIG_DIR / "catalog")
INTAKE = CATALOG.get("920000001000")
ENDORSEMENT = CATALOG.get("910000002000")


@pytest.fixture(scope="module")
def platform(tmp_path_factory):
    p = EmbeddedPlatform(tmp_path_factory.mktemp("central"), kiosks={"K-SVC": SECRET})
    p.start()
    yield p
    p.stop()


@pytest.fixture
def client(platform):
    c = PlatformClient(platform.url, kiosk_id="K-SVC", secret=SECRET, timeout_s=30, sleep=lambda s: None)
    yield c
    c.close()


def test_shared_data_prefills_and_reduces_materials_for_the_graduate(client):
    card = IDENTITIES["graduate"]
    # The embedded platform, not the budget, is under test: a loaded machine answers later than the kiosk's 3 s
    citizens = CitizenService(client, timeout_s=30)
    sid = citizens.open(card.id_number)
    data = SharingService(client, timeout_s=30).fetch(card.id_number, INTAKE, session_id=sid)
    citizens.close(sid)
    assert data.online and data.values["education.school"] == "示例大学"
    plan = plan_materials(INTAKE, data)
    held = {m.id for m, _ in plan.held}
    assert {"graduation_certificate", "degree_certificate", "hukou_booklet"} <= held
    assert [m.id for m in plan.from_card] == ["id_card"]
    assert "graduation_certificate" not in {m.id for m in plan.to_capture}


def test_data_sharing_offline_answers_within_its_budget_and_the_camera_takes_over():
    with FakeHangingPlatform() as hung:
        c = PlatformClient(hung.url, kiosk_id="K", secret="x" * 20, timeout_s=10, connect_timeout_s=0.5)
        started = time.monotonic()
        sid = CitizenService(c, timeout_s=0.4).open(IDENTITIES["graduate"].id_number)
        data = SharingService(c, timeout_s=0.4).fetch(IDENTITIES["graduate"].id_number, INTAKE, session_id=sid)
        took = time.monotonic() - started
    assert sid is None  # no citizen session: the journey goes on with the card's data
    assert not data.online and data.values == {} and "no citizen session" in data.error
    assert took < 2.0  # the citizen waits the sharing budget, not the general request timeout
    plan = plan_materials(INTAKE, data)
    grad = next(m for m in plan.to_capture if m.id == "graduation_certificate")
    assert grad.min_pages == 1  # required and not supplied: one page under the camera


def test_a_payment_is_ordered_polled_until_paid_and_cancelled_orders_say_so(client):
    pay = PaymentService(client, poll_interval_s=0.05, wait_s=10)
    form = {"trips": "twice"}
    amount = pay.amount(ENDORSEMENT, form)
    order = pay.create_order(str(uuid.uuid4()), ENDORSEMENT, form, expected_amount_fen=amount)
    polls = []

    def citizen_pays_after_first_poll(o):
        polls.append(o.status)
        if len(polls) == 1:
            pay.simulate_pay(o)

    paid = pay.wait_paid(order.order_id, on_poll=citizen_pays_after_first_poll)
    assert paid.status == "paid" and polls[0] == "pending" and paid.amount_fen == amount == 3000
    other = pay.create_order(str(uuid.uuid4()), ENDORSEMENT, {"trips": "once"})
    gave_up = threading.Event()
    gave_up.set()
    assert pay.wait_paid(other.order_id, cancel=gave_up).status == "pending"  # returns at once
    assert pay.cancel(other.order_id).status == "cancelled"
    with pytest.raises(LinkError) as exc:
        pay.create_order(str(uuid.uuid4()), ENDORSEMENT, {"trips": "once"}, expected_amount_fen=999)
    assert exc.value.code == KioskErrorCode.AMOUNT_CHANGED and exc.value.notice().code == 3009


def test_a_bill_is_looked_up_by_account(client):
    bill = PaymentService(client).lookup_bill(CATALOG.get("960000002000"), "20012345")
    assert bill.amount_fen > 0
    with pytest.raises(LinkError) as exc:
        PaymentService(client).lookup_bill(CATALOG.get("960000002000"), "20010000")
    assert exc.value.code == KioskErrorCode.BILL_NOT_FOUND  # "no bill for this account", not "payment failed"
    assert "户号" in exc.value.notice().text.zh


def test_status_lookup_by_receipt_qr_and_delivery_request(client):
    from tests.helpers.manifests import complete  # a complete synthetic submission

    m, files = complete("312000218000", kiosk_id="K-SVC")
    sub = client.submit(m, files)
    st = StatusService(client).lookup(f"https://zwfw.example.gov.cn/t/{sub.reference}\n")
    assert st.reference == sub.reference
    with pytest.raises(LinkError) as exc:
        StatusService(client).lookup("SZ00000000000000")
    assert exc.value.code == KioskErrorCode.STATUS_NOT_FOUND and not exc.value.offline
    wb = DeliveryService(client).request(sub.reference, recipient="李小明", phone="13800138000",
                                         address="深圳市南山区示例路88号")
    assert DeliveryService(client).track(wb.waybill_no).status == "created"


def test_an_unreachable_platform_is_a_link_error_the_journey_can_show():
    c = PlatformClient("http://127.0.0.1:9", kiosk_id="K", timeout_s=1, sleep=lambda s: None)
    with pytest.raises(LinkError) as exc:
        StatusService(c).lookup("SZ20260101000001")
    assert exc.value.code == KioskErrorCode.PLATFORM_UNREACHABLE and exc.value.offline
    assert exc.value.notice().text.zh


def test_telemetry_sends_device_health_and_the_trail_is_shipped_once(tmp_path, client, platform):
    box = Outbox(tmp_path / "outbox", "K-SVC", key=OUTBOX_KEY)
    trail = AuditTrail(tmp_path / "audit", key=b"k" * 32)
    for n in range(3):
        trail.record("step", {"to": f"s{n}"})
    uploader = AuditUploader(trail, PlatformAuditSink(client))
    tele = Telemetry(client, outbox=box, devices=None, data_dir=tmp_path, catalog_version=lambda: "x")
    changed = []
    tele.on_catalog_change = changed.append
    assert tele.beat() is not None
    assert uploader.upload_once() == 3 and uploader.pending() == 0
    uploader._save_cursor(1)  # as if the kiosk crashed before noting the platform's answer: shipped again
    assert uploader.upload_once() == 2
    me = next(k for k in AdminClient(platform.url, platform.admin_token).kiosks() if k.kiosk_id == "K-SVC")
    assert me.audit_events == 3 and me.last_heartbeat.disk_free_bytes > 0
    assert changed  # the platform's catalogue differs from "x": the kiosk is told to sync
    box.close()
    trail.close()


def test_the_runtime_wires_services_and_ships_the_journeys_audit_trail(tmp_path):
    settings = load_settings(default_files(True), data_dir=tmp_path)
    p = EmbeddedPlatform(settings.path("central"))  # knows the demo kiosk and its secret
    p.start()
    rt = build_runtime(settings, p.url)
    try:
        elder = IDENTITIES["elder"].id_number
        sid = rt.services.citizens.open(elder)
        shared = rt.services.sharing.fetch(elder, CATALOG.get("920000007000"), session_id=sid)
        assert sid and shared.values["pension.receiving"] is True
        before = rt.audit.last_seq
        rt.journey.audit("item", code="920000001000")
        assert rt.uploader.pending() >= 1 and rt.audit.last_seq == before + 1
        assert rt.uploader.upload_once() >= 1 and rt.uploader.pending() == 0
        assert p.store.audit_last_seq(settings.kiosk_id) == rt.audit.last_seq
        assert rt.telemetry.beat() is not None
    finally:
        rt.stop()
        p.stop()


def test_a_citizen_session_refused_by_the_platforms_limit_says_throttled_not_network(tmp_path):
    """The kiosk's screens say "wait a minute" for the platform's 429, not "cannot be reached" (issue 22's
    offline autopilot run: the 13th look-up in a minute after the network came back)."""
    p = EmbeddedPlatform(tmp_path, kiosks={"K-SVC": SECRET}, lazy=True)
    p.config.sessions_per_kiosk_per_minute = 1  # (before the app is built from it)
    p.start()
    try:
        c = PlatformClient(p.url, kiosk_id="K-SVC", secret=SECRET, timeout_s=30, sleep=lambda s: None)
        citizens = CitizenService(c, timeout_s=30)  # its first request builds the lazy app: slow on a loaded machine
        first = citizens.open(IDENTITIES["graduate"].id_number)
        assert first and citizens.last_failure == ""
        assert citizens.open(IDENTITIES["elder"].id_number) is None and citizens.last_failure == "throttled"
        c.close()
    finally:
        p.stop()
    with FakeHangingPlatform() as hung:  # no answer at all: the network
        c = PlatformClient(hung.url, kiosk_id="K", secret="x" * 20, timeout_s=10, connect_timeout_s=0.5)
        citizens = CitizenService(c, timeout_s=0.4)
        assert citizens.open(IDENTITIES["graduate"].id_number) is None and citizens.last_failure == "network"
