"""Issue 18: status changes reach the applicant's phone through the SMS outbox, and the courier's signed events
reach the timeline (进度查询) and the phone. Over real HTTP with the kiosk's own client; the notifier is run by
the test (``sms_worker=False``) so every step is seen, except where the worker thread itself is the subject."""
from __future__ import annotations

import json
import threading
import time
import uuid

import pytest
import requests

from central.config import PlatformConfig
from central.notify import record_event
from central.notify import courier
from central.notify.courier import headers as courier_headers
from central.notify.gateway import GatewayError
from central.server import EmbeddedPlatform
from devices.idcard.synthetic import IDENTITIES
from kiosk.platform.admin import AdminClient
from kiosk.platform.client import PlatformClient
from kiosk.platform.schema import DeliveryInfo, Reason
from kiosk.settings import CONFIG_DIR
from tests.helpers.manifests import complete

SECRET = "test-secret-0123456789"
ADMIN = "admin-token-notify-0123"
COURIER_KEY = "courier-key-ems-0123456789"
MOBILE = "13912345678"
GRADUATE_INTAKE = "920000001000"  # 秒批, a phone field
NO_RECORD = "312000218000"  # 无犯罪记录证明: a phone field
PROOF = "920000008000"  # 参保证明: no phone field
EXPRESS = DeliveryInfo(method="express", recipient="李小明", phone="13800138000", region="440305",
                       address="深圳市南山区示例路88号")


class Offset:
    """The platform's clock, moved forward by the test (retry back-off) and never behind real time."""

    def __init__(self) -> None:
        self.ahead = 0.0

    def __call__(self) -> float:
        return time.time() + self.ahead


@pytest.fixture(scope="module")
def clock():
    return Offset()


@pytest.fixture(scope="module")
def platform(tmp_path_factory, clock, central_db):
    config = PlatformConfig(db_url=central_db, data_dir=tmp_path_factory.mktemp("central"),
                            catalog_dir=CONFIG_DIR / "catalog",
                            kiosks={"K-TEST": SECRET}, admin_token=ADMIN, demo=True, sms_worker=False,
                            public_url="https://zw.example.gov.cn", courier_keys={"EMS": COURIER_KEY},
                            clock=clock, max_skew_s=10 ** 9)
    p = EmbeddedPlatform(config.data_dir, config=config)
    p.start()
    yield p
    p.stop()


@pytest.fixture
def client(platform):
    c = PlatformClient(platform.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    yield c
    c.close()


@pytest.fixture
def pl(platform):
    return platform.app.state.platform


def submit(client, item, phone=MOBILE, **extra):
    form = {"phone": phone} if phone else None
    m, files = complete(item, "graduate", form=form, **extra)
    return client.submit(m, files)


def outbox(platform, reference, token=ADMIN):
    r = requests.get(f"{platform.url}/api/v1/admin/sms", params={"reference": reference},
                     headers={"Authorization": f"Bearer {token}"}, timeout=5)
    assert r.status_code == 200, r.text
    return list(reversed(r.json()))  # oldest first


def events(platform, reference):
    return [m["event"] for m in outbox(platform, reference)]


# ----- status changes -> outbox ----------------------------------------------------------------------------------
def test_a_received_application_queues_a_short_masked_message_with_its_reference_and_link(platform, client, pl):
    sub = submit(client, NO_RECORD)
    assert sub.sms is True
    first = outbox(platform, sub.reference)[0]
    assert first["event"] == "received" and first["state"] == "queued" and first["phone_masked"] == "139****5678"
    assert sub.reference in first["text"] and f"https://zw.example.gov.cn/t/{sub.tracking_token}" in first["text"]
    card = IDENTITIES["graduate"]
    # short: at most two concatenated SMS parts (67 characters each when Chinese)
    assert card.name not in first["text"] and card.id_number not in first["text"] and len(first["text"]) <= 134
    pl.notifier.run_due()
    sent = outbox(platform, sub.reference)[0]
    assert sent["state"] == "sent" and sent["attempts"] == 1 and sent["gateway"] == "outbox"
    # sent: the outbox keeps only the masked number
    assert all(r["phone"] == "" for r in pl.store.sms_messages(sub.reference))


def test_instant_approval_express_delivery_and_each_courier_step_put_their_message_in_the_outbox(platform, client,
                                                                                                pl):
    admin = AdminClient(platform.url, ADMIN, timeout_s=5)
    sub = submit(client, GRADUATE_INTAKE, delivery=EXPRESS)
    assert sub.status == "approved"
    waybill = client.status(sub.reference).waybill_no
    for _ in range(4):
        admin.advance_waybill(waybill)
    # 秒批: received and approved in one breath, one message (the approval); then the signed result is issued
    # (a message of its own), then the courier's steps
    assert events(platform, sub.reference) == ["approved", "issued", "dispatched", "in_transit",
                                               "out_for_delivery", "completed"]
    texts = [m["text"] for m in outbox(platform, sub.reference)]
    assert "已审批通过" in texts[0] and "已出证" in texts[1] and "快递" in texts[2] and "派送" in texts[4] \
        and "签收" in texts[5]


def test_a_reviewed_application_gets_its_decision_by_sms_approved_or_rejected(platform, client):
    admin = AdminClient(platform.url, ADMIN, timeout_s=5)
    yes, no = submit(client, NO_RECORD), submit(client, NO_RECORD)
    admin.decide(yes.reference, True)
    admin.decide(no.reference, False, Reason(zh="材料不清晰", en="Unreadable copy"))
    assert events(platform, yes.reference)[-2:] == ["approved", "issued"]  # approved, and its result signed
    assert events(platform, no.reference)[-1] == "rejected"
    assert "未予批准" in outbox(platform, no.reference)[-1]["text"] and "刷身份证" in outbox(platform, no.reference)[-1]["text"]
    assert "材料不清晰" not in outbox(platform, no.reference)[-1]["text"]  # reasons: on the page, not in the SMS


def test_issued_and_needs_more_events_have_their_messages(platform, client, pl):
    sub = submit(client, NO_RECORD)
    record_event(pl, sub.reference, pl.config.now_iso(), "needs_more", {"zh": "请补正材料", "en": "More needed"})
    record_event(pl, sub.reference, pl.config.now_iso() + "x", "issued", {"zh": "已出证", "en": "Issued"})
    msgs = outbox(platform, sub.reference)
    assert [m["event"] for m in msgs][-2:] == ["needs_more", "issued"]
    assert "需补正材料" in msgs[-2]["text"] and "已出证" in msgs[-1]["text"]


def test_an_english_submission_is_told_in_english(platform, client):
    sub = submit(client, NO_RECORD, language="en_US")
    msg = outbox(platform, sub.reference)[0]
    assert msg["lang"] == "en_US" and msg["text"].startswith("[Gov Services] Your application " + sub.reference)


def test_an_application_without_a_mobile_gets_no_sms_and_the_outbox_says_so(platform, client):
    sub = submit(client, PROOF, phone=None)
    assert sub.sms is False
    msgs = outbox(platform, sub.reference)
    assert msgs and all(m["state"] == "no_mobile" and m["text"] == "" and m["phone_masked"] == "" for m in msgs)


def test_a_failing_gateway_never_fails_the_submission_and_is_retried_with_backoff_then_failed(platform, client,
                                                                                              pl, clock):
    tries = []

    class FakeLimitedGateway:
        name = "fake"

        def send(self, message):
            tries.append(message.phone)
            raise GatewayError(4185, "isv.BUSINESS_LIMIT_CONTROL", retry=True)

    real = pl.notifier.gateway()
    pl.notifier.run_due()  # what earlier tests left queued goes out first
    pl.notifier._gateway = FakeLimitedGateway()
    try:
        sub = submit(client, NO_RECORD)
        assert sub.reference.startswith("SZ") and sub.sms
        waits = []
        for _ in range(pl.config.sms_max_attempts):
            pl.notifier.run_due()
            msg = pl.store.sms_messages(sub.reference)[0]
            if msg["state"] != "queued":
                break
            waits.append(round(msg["next_at"] - clock()))
            assert pl.notifier.run_due() == 0  # not due before its back-off
            clock.ahead += msg["next_at"] - clock() + 0.01
        assert waits == [30, 60, 120, 240, 480]
        assert msg["state"] == "failed" and msg["attempts"] == 6 and msg["phone"] == ""
        assert "BUSINESS_LIMIT_CONTROL" in msg["last_error"] and tries == [MOBILE] * 6
    finally:
        pl.notifier._gateway = real


def test_the_worker_thread_sends_what_a_request_queued(tmp_path):
    config = PlatformConfig(data_dir=tmp_path, catalog_dir=CONFIG_DIR / "catalog", kiosks={"K-TEST": SECRET},
                            admin_token=ADMIN, demo=True)
    p = EmbeddedPlatform(tmp_path, config=config)
    p.start()
    sent = threading.Event()
    pl = p.app.state.platform
    real = pl.notifier.gateway()

    class FakeSignalling:
        name = "outbox"

        def send(self, message):
            provider_id = real.send(message)
            sent.set()
            return provider_id

    pl.notifier._gateway = FakeSignalling()
    c = PlatformClient(p.url, kiosk_id="K-TEST", secret=SECRET, timeout_s=5)
    try:
        sub = submit(c, NO_RECORD)
        assert sent.wait(10)
        deadline = time.monotonic() + 10
        while pl.store.sms_messages(sub.reference)[0]["state"] != "sent":
            assert time.monotonic() < deadline
            sent.wait(0.05)
        # no public URL configured: the message gives the code to type on the tracking page instead of a link
        assert f"查询码 {sub.tracking_token}" in pl.store.sms_messages(sub.reference)[0]["text"]
    finally:
        c.close()
        pl.notifier.stop()
        p.stop()


# ----- the courier's endpoint --------------------------------------------------------------------------------
def post_event(platform, body: dict | bytes, key=COURIER_KEY, carrier="EMS", nonce=None, ts=None, hdrs=None):
    data = body if isinstance(body, bytes) else json.dumps(body).encode()
    now = platform.config.clock()  # the platform's clock (a test above moved it ahead)
    h = courier_headers(carrier, key, int(ts if ts is not None else now), nonce or uuid.uuid4().hex, data)
    return requests.post(f"{platform.url}/api/v1/courier/events", data=data, timeout=5,
                         headers=h if hdrs is None else hdrs)


@pytest.fixture
def waybill(client):
    sub = submit(client, GRADUATE_INTAKE, delivery=EXPRESS)
    return sub.reference, client.status(sub.reference).waybill_no


def event(waybill_no, status, event_id=None):
    return {"event_id": event_id or f"EMS-{uuid.uuid4().hex[:16]}", "waybill_no": waybill_no, "status": status,
            "at": "2026-01-02T10:00:00+08:00"}


def test_courier_events_reach_the_kiosks_timeline_and_the_phone(platform, client, waybill):
    reference, number = waybill
    for status in ("picked_up", "in_transit", "out_for_delivery", "delivered"):  # the reference courier posts
        r = courier.post(platform.url, "EMS", COURIER_KEY, event(number, status), clock=platform.config.clock)
        assert r.status_code == 200 and r.json()["status"] == status
    st = client.status(reference)  # what 进度查询 at the kiosk reads
    assert st.status == "completed"
    notes = [e.note.zh for e in st.timeline if e.note]
    assert "办理结果已由快递揽收寄出" in notes and "办理结果正在派送" in notes and notes[-1] == "结果已送达"
    assert events(platform, reference)[-4:] == ["dispatched", "in_transit", "out_for_delivery", "completed"]


def test_an_unsigned_or_wrongly_signed_event_is_refused(platform, waybill):
    _, number = waybill
    body = event(number, "picked_up")
    r = requests.post(f"{platform.url}/api/v1/courier/events", json=body, timeout=5)
    assert r.status_code == 401 and r.json()["code"] == 4180
    assert post_event(platform, body, key="not-the-key").json()["code"] == 4180
    assert post_event(platform, body, carrier="SF").json()["code"] == 4180  # no key for that carrier
    assert post_event(platform, body, ts=platform.config.clock() - 3600).json()["code"] == 4181  # stale


def test_a_replayed_event_is_refused_and_a_retried_event_changes_nothing(platform, waybill):
    reference, number = waybill
    data = json.dumps(event(number, "picked_up", "EMS-retry-00000001")).encode()
    h = courier_headers("EMS", COURIER_KEY, int(platform.config.clock()), "nonce-replay-000000001", data)
    first = requests.post(f"{platform.url}/api/v1/courier/events", data=data, headers=h, timeout=5)
    again = requests.post(f"{platform.url}/api/v1/courier/events", data=data, headers=h, timeout=5)
    assert first.status_code == 200 and again.status_code == 401 and again.json()["code"] == 4181
    retried = post_event(platform, json.loads(data))  # same event id, fresh signature
    assert retried.status_code == 200 and retried.json()["duplicate"] is True
    assert events(platform, reference).count("dispatched") == 1


def test_an_event_for_an_unknown_waybill_or_going_backwards_is_refused(platform, waybill):
    _, number = waybill
    r = post_event(platform, event("EM000000000CN", "picked_up"))
    assert r.status_code == 404 and r.json()["code"] == 4182
    assert post_event(platform, event(number, "delivered")).status_code == 200
    back = post_event(platform, event(number, "picked_up"))
    assert back.status_code == 409 and back.json()["code"] == 4183


def test_a_huge_courier_body_is_refused_before_it_is_read(platform, waybill):
    _, number = waybill
    padded = dict(event(number, "picked_up"), at="x" * 4000)
    r = post_event(platform, json.dumps(padded).encode())
    assert r.status_code == 413 and r.json()["code"] == 4184
    r = post_event(platform, b"{" + b" " * (2 * 1024 * 1024) + b"}")
    assert r.status_code == 413


# ----- the administrator's view --------------------------------------------------------------------------------
def test_the_sms_outbox_needs_the_admin_token_and_never_shows_a_full_number(platform, client):
    sub = submit(client, NO_RECORD)
    url = f"{platform.url}/api/v1/admin/sms"
    assert requests.get(url, timeout=5).status_code == 401
    assert requests.get(url, headers={"Authorization": "Bearer wrong"}, timeout=5).status_code == 401
    body = requests.get(url, headers={"Authorization": f"Bearer {ADMIN}"}, timeout=5).text
    assert sub.reference in body and "139****5678" in body and MOBILE not in body


def test_kiosk_central_sms_list_shows_the_outbox_masked(platform, client, capsys):
    from ui.cli import main

    sub = submit(client, NO_RECORD)
    db = ["--db", platform.config.db_url] if platform.config.db_url else []  # the store the platform runs on
    assert main(["central", "--data-dir", str(platform.config.data_dir), *db, "sms", "list"]) == 0
    out = capsys.readouterr().out
    assert sub.reference in out and "139****5678" in out and MOBILE not in out


def test_kiosk_central_takes_the_sms_gateway_and_courier_keys_from_files_not_the_command_line(tmp_path, capsys):
    from ui.cli import main
    from ui.commands.central import _sms_config

    conf = tmp_path / "sms.toml"
    conf.write_text('gateway = "aliyun"\nsign_name = "政务服务"\ncredentials_file = "/etc/kiosk/aliyun.toml"\n'
                    '[templates]\n"approved.zh_CN" = "SMS_100000001"\n', encoding="utf-8")
    got = _sms_config(conf)
    assert got["sms_gateway"] == "aliyun" and got["sms_aliyun_templates"] == {"approved.zh_CN": "SMS_100000001"}
    assert str(got["sms_credentials_file"]) == "/etc/kiosk/aliyun.toml"
    conf.write_text('gateway = "carrier-pigeon"\n', encoding="utf-8")
    assert main(["central", "--data-dir", str(tmp_path), "--sms-config", str(conf), "--enrol", "K-1"]) == 2
    assert "gateway must be" in capsys.readouterr().err
    keys = tmp_path / "couriers"
    keys.write_text("EMS=short\n", encoding="utf-8")
    assert main(["central", "--data-dir", str(tmp_path), "--courier-keys-file", str(keys), "--enrol", "K-1"]) == 2
