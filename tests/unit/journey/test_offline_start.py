"""Offline known before the citizen starts (issue 15, item 3): the journey refuses 开始办理 for an item that
needs the platform while it is unreachable (code 2080), before any work; a queueable item starts; when the
platform answers again the refusal goes and the item starts, without a restart."""
from __future__ import annotations

from kiosk.errors import KioskErrorCode
from kiosk.journey import Journey, JourneyEventKind
from kiosk.journey.plan import Step
from kiosk.platform.reachability import LinkWatch, Reachability

from .conftest import Rig
from .drive import CERT, FEE

BILL = "960000001000"  # 电费缴纳: the biller's look-up
INSTANT = "920000001000"  # 应届毕业生引进落户: 秒批 on shared data, read-only shared fields


def offline_rig(tmp_path) -> tuple[Rig, LinkWatch]:
    rig = Rig(tmp_path)
    link = LinkWatch(hold_s=120, clock=rig.clock)
    rig.j = Journey(rig.settings, rig.catalog, rig.devices, rig.outbox, services=rig.services,
                    executor=rig.executor, clock=rig.clock, audit=lambda e, d: rig.audit.append((e, d)), link=link)
    rig.j.subscribe(rig.rec)
    return rig, link


def to_guide(rig: Rig, code: str) -> None:
    rig.j.wake()
    rig.j.open_catalog()
    rig.j.choose_item(code)
    assert rig.j.step == Step.GUIDE


def test_a_fee_item_is_refused_at_the_guide_while_offline_with_code_2080_and_no_work_done(tmp_path):
    rig, link = offline_rig(tmp_path)
    link.failed("GET /kiosks/heartbeat: platform unreachable")
    to_guide(rig, FEE)
    assert rig.j.start_item() is False
    assert rig.j.step == Step.GUIDE  # no card asked for, no form, nothing the citizen did in vain
    assert rig.j.notice is not None and rig.j.notice.code == KioskErrorCode.ITEM_NEEDS_PLATFORM == 2080
    assert "缴费" in rig.j.notice.text.zh and "暂不可办理" in rig.j.notice.text.zh
    assert "payment" in rig.j.notice.text.en
    assert rig.reader.armed is False  # the card reader was never armed
    refused = rig.audited("start_refused")
    assert refused and refused[0]["item"] == FEE and "payment" in refused[0]["needs"]


def test_bills_and_items_decided_on_shared_data_are_refused_too(tmp_path):
    rig, link = offline_rig(tmp_path)
    link.failed("timeout")
    for code, need in ((BILL, "bill_lookup"), (INSTANT, "shared_data")):
        to_guide(rig, code)
        assert rig.j.start_item() is False and rig.j.step == Step.GUIDE
        assert need in rig.audited("start_refused")[-1]["needs"]
        rig.j.cancel()


def test_a_scanned_bill_does_not_start_its_journey_while_offline(tmp_path):
    from kiosk.payloads import Payload, PayloadKind

    rig, link = offline_rig(tmp_path)
    link.failed("timeout")
    rig.j.wake()
    rig.j.on_payload(Payload(PayloadKind.BILL, text="bill", item_code=BILL, account_no="4403000000001"))
    assert rig.j.step == Step.GUIDE
    assert rig.j.notice is not None and rig.j.notice.code == 2080


def test_a_queueable_item_starts_while_offline(tmp_path):
    rig, link = offline_rig(tmp_path)
    link.failed("timeout")
    to_guide(rig, CERT)
    assert rig.j.start_item() is True
    assert rig.j.step == Step.IDENTIFY
    assert not rig.audited("start_refused")


def test_when_the_platform_answers_again_the_refusal_goes_and_the_item_starts_without_a_restart(tmp_path):
    rig, link = offline_rig(tmp_path)
    link.failed("timeout")
    to_guide(rig, FEE)
    assert rig.j.start_item() is False
    before = len(rig.events(JourneyEventKind.LINK))
    link.succeeded()
    assert [e.data for e in rig.events(JourneyEventKind.LINK)[before:]] == [Reachability.ONLINE]
    assert rig.j.notice is None  # the refusal no longer holds
    assert rig.j.start_item() is True and rig.j.step == Step.IDENTIFY


def test_an_old_failure_expires_after_the_hold_and_nothing_is_refused_on_old_news(tmp_path):
    rig, link = offline_rig(tmp_path)
    link.failed("timeout")
    rig.clock.advance(121)
    to_guide(rig, FEE)
    assert link.state == Reachability.UNKNOWN
    assert rig.j.start_item() is True and rig.j.step == Step.IDENTIFY


def test_without_a_link_the_journey_refuses_nothing(rig):
    to_guide(rig, FEE)
    assert rig.j.start_item() is True and rig.j.step == Step.IDENTIFY
