"""我的办件 at the kiosk (issue 18, deliver 3) on fake ports: the home tile's action, the card read inside a
citizen session (never a typed number), the list newest first and paged, a detail with the courier's steps,
返回 from a detail to the list and from the list home (the citizen session closed, the list wiped), an empty
list, offline before and after the card, a refused session."""
from __future__ import annotations

import dataclasses

from devices.base import EventKind
from devices.idcard.synthetic import IDENTITIES
from kiosk.errors import KioskErrorCode
from kiosk.journey.plan import Step
from kiosk.journey.session import MineState
from kiosk.platform.mine_schema import MyApplication
from kiosk.platform.reachability import Reachability
from kiosk.platform.schema import Decision, Reason, StatusResponse, TimelineEntry
from kiosk.platform.services import LinkError


def app(n: int, status: str = "received", **kw) -> MyApplication:
    return MyApplication(reference=f"SZ20261205{n:06d}", item_code="312000218000",
                         received_at=f"2026-12-{n % 28 + 1:02d}T10:00:00+08:00", status=status, **kw)


def to_mine(rig, who: str = "graduate") -> None:
    j = rig.j
    j.wake()
    j.open_mine()
    assert j.step == Step.MINE and j.session.mine.state == MineState.CARD
    rig.devices.emit("idcard", EventKind.CARD_READ, IDENTITIES[who])
    rig.run()


def test_the_card_opens_a_citizen_session_and_the_list_comes_newest_first_from_it(rig):
    rig.services.mine.apps = [app(3, "approved"), app(2, "under_review"), app(1)]
    to_mine(rig)
    mine = rig.j.session.mine
    assert mine.state == MineState.LIST
    assert [i["reference"] for i in mine.items] == ["SZ20261205000003", "SZ20261205000002", "SZ20261205000001"]
    assert rig.services.citizens.opened and rig.services.mine.asked == [(rig.services.citizens.opened[0], 1)]
    assert mine.holder == "李**" and not mine.more
    # the audit trail has the card masked, never the number
    assert IDENTITIES["graduate"].id_number not in repr(rig.audit)
    assert rig.audited("mine_list")[0]["total"] == 3


def test_more_reads_the_next_page_under_the_first(rig):
    rig.services.mine.apps = [app(n) for n in range(25, 0, -1)]
    to_mine(rig)
    mine = rig.j.session.mine
    assert len(mine.items) == 10 and mine.more and mine.total == 25
    rig.j.mine_more()
    rig.run()
    rig.j.mine_more()
    rig.run()
    assert len(mine.items) == 25 and not mine.more
    assert [p for _, p in rig.services.mine.asked] == [1, 2, 3]


def test_a_detail_shows_the_platforms_timeline_with_the_couriers_steps_and_back_returns_to_the_list(rig):
    a = app(7, "approved", waybill_status="in_transit", result_available=True)
    rig.services.mine.apps = [a]
    steps = [("received", "已受理"), ("approved", "秒批：自动审批通过"), ("issued", "结果已签发"),
             ("dispatched", "办理结果已由快递揽收寄出"), ("in_transit", "办理结果运输中")]
    rig.services.mine.details = {a.reference: StatusResponse(
        reference=a.reference, item_code=a.item_code, status="approved", waybill_no="EM1CN",
        decision=Decision(instant=True, approved=True),
        timeline=[TimelineEntry(at=f"2026-12-0{n + 1}T10:00:00+08:00", status=s, note=Reason(zh=zh, en=s))
                  for n, (s, zh) in enumerate(steps)])}
    to_mine(rig)
    rig.j.mine_show(a.reference)
    rig.run()
    mine = rig.j.session.mine
    assert mine.state == MineState.DETAIL
    assert [e["status"] for e in mine.detail["timeline"]] == [s for s, _ in steps]
    assert mine.detail["waybill_status"] == "in_transit" and mine.detail["result_available"] is True
    assert rig.services.mine.opened == [(a.reference, rig.services.citizens.opened[0])]
    rig.j.back()  # from the detail: the list, still inside the session
    assert rig.j.step == Step.MINE and mine.state == MineState.LIST and rig.services.citizens.closed == []
    rig.j.back()  # from the list: home; the session ends
    rig.run()
    assert rig.j.step == Step.HOME
    assert rig.services.citizens.closed == rig.services.citizens.opened
    assert rig.j.session.mine.items == [] and rig.j.session.card is None


def test_only_a_listed_application_can_be_opened(rig):
    rig.services.mine.apps = [app(1)]
    to_mine(rig)
    rig.j.mine_show("SZ20269999999999")
    rig.run()
    assert rig.services.mine.opened == [] and rig.j.session.mine.state == MineState.LIST


def test_no_applications_is_an_empty_list_not_an_error(rig):
    to_mine(rig)
    assert rig.j.session.mine.state == MineState.LIST and rig.j.session.mine.items == []
    assert rig.j.notice is None


def test_offline_before_the_card_the_screen_says_the_list_needs_the_network(rig):
    class Link:
        state = Reachability.OFFLINE

        def subscribe(self, listener):
            return lambda: None

    rig.j._ctx.link = Link()  # the link watch says: no platform
    rig.j.wake()
    rig.j.open_mine()
    assert rig.j.session.mine.state == MineState.OFFLINE
    rig.devices.emit("idcard", EventKind.CARD_READ, IDENTITIES["graduate"])
    rig.run()
    assert rig.services.citizens.opened == []  # nothing asked while offline
    Link.state = Reachability.ONLINE
    rig.j._on_link(Reachability.ONLINE)
    assert rig.j.session.mine.state == MineState.CARD


def test_the_platform_unreachable_after_the_card_gives_the_network_sentence_with_its_code(rig):
    rig.services.mine.error = LinkError(KioskErrorCode.MINE_NEEDS_NETWORK, "timed out")
    to_mine(rig)
    assert rig.j.session.mine.state == MineState.OFFLINE  # the screen says it (ui/models/mine_present.py)
    assert rig.audited("mine_failed")[0]["code"] == 2140


def test_a_refused_listing_fails_with_its_code(rig):
    rig.services.mine.error = LinkError(KioskErrorCode.MINE_REFUSED, "403 4190")
    to_mine(rig)
    assert rig.j.session.mine.state == MineState.FAILED and rig.j.notice.code == 2141


def test_no_citizen_session_for_the_card_lists_nothing(rig):
    rig.services.citizens.available = False
    to_mine(rig)
    assert rig.services.mine.asked == [] and rig.j.session.mine.state == MineState.FAILED
    assert rig.j.notice.code == 2142


def test_a_card_refused_by_the_platforms_limit_says_wait_a_minute(rig):
    rig.services.citizens.available, rig.services.citizens.failure = False, "throttled"
    to_mine(rig)
    assert rig.services.mine.asked == [] and rig.j.session.mine.state == MineState.FAILED
    assert rig.j.notice.code == KioskErrorCode.LOOKUP_THROTTLED


def test_an_expired_card_is_refused(rig):
    expired = dataclasses.replace(IDENTITIES["graduate"], valid_until=__import__("datetime").date(2020, 1, 1))
    rig.j.wake()
    rig.j.open_mine()
    rig.devices.emit("idcard", EventKind.CARD_READ, expired)
    rig.run()
    assert rig.services.citizens.opened == [] and rig.j.notice.code == int(KioskErrorCode.CARD_EXPIRED)


def test_the_idle_timeout_wipes_the_list(rig):
    rig.services.mine.apps = [app(1)]
    to_mine(rig)
    rig.clock.advance(rig.settings.idle.timeout_s + 1)
    rig.j.tick()
    rig.run()
    assert rig.j.step == Step.ATTRACT and rig.j.session.mine.items == []
    assert rig.services.citizens.closed == rig.services.citizens.opened
