"""呼叫帮助 at a session reset (issue 15, item 4 with 7): a call made in a session is not dropped when the
session ends (idle timeout, 首页) — the platform keeps a call it holds until staff acknowledge it, and a call
the platform could not take when it was made is still sent once the link is back — while the next citizen
sees nothing of the previous citizen's call."""
from __future__ import annotations

from kiosk.errors import KioskErrorCode
from kiosk.journey.plan import Step
from tests.unit.journey.drive import to_form
from tests.unit.journey.test_help import FakeHelpClient, with_desk

HELP_CODES = {KioskErrorCode.HELP_REQUESTED, KioskErrorCode.HELP_RECEIVED, KioskErrorCode.HELP_NOT_SENT,
              KioskErrorCode.HELP_ACKNOWLEDGED}


def idle_out(rig, j) -> None:
    rig.clock.advance(rig.settings.idle.timeout_s + 1)
    j.tick()
    rig.run()
    assert j.step == Step.ATTRACT


def test_a_call_made_offline_is_still_filed_after_the_idle_reset_and_never_shown_to_the_next_citizen(rig):
    client = FakeHelpClient(up=False)
    j = with_desk(rig, client)
    to_form(rig)
    j.call_help()
    rig.run()
    assert j.notice.code == KioskErrorCode.HELP_NOT_SENT and client.calls == {}
    idle_out(rig, j)  # the citizen gave up waiting and left; the platform is still unreachable
    j.wake()  # the next citizen walks up
    assert j.session.help is None and (j.notice is None or j.notice.code not in HELP_CODES)
    client.up = True  # the link is back: the previous citizen's call reaches the platform at the next poll
    rig.clock.advance(rig.settings.help.poll_s + 1)
    j.tick()
    rig.run()
    assert len(client.calls) == 1, "the call made before the reset was dropped"
    (held,) = client.calls.values()
    assert held.step == "form" and held.status == "open"  # filed where it was made, waiting for staff
    assert j.help.unheld == [] and [d["help_id"] for d in rig.audited("help_sent") if d.get("late")] \
        == list(client.calls)
    assert j.step == Step.HOME and (j.notice is None or j.notice.code not in HELP_CODES)
    # Polling again does not file it twice.
    rig.clock.advance(rig.settings.help.poll_s + 1)
    j.tick()
    rig.run()
    assert len(client.calls) == 1


def test_a_call_sent_while_the_reset_happens_is_filed_when_the_link_returns(rig):
    client = FakeHelpClient(up=False)
    j = with_desk(rig, client)
    to_form(rig)
    j.call_help()
    j.end_session()  # 首页 / a reset before the call's first send has even run
    rig.run()
    assert client.calls == {} and (j.notice is None or j.notice.code not in HELP_CODES)
    client.up = True
    rig.clock.advance(rig.settings.help.poll_s + 1)
    j.tick()
    rig.run()
    assert len(client.calls) == 1


def test_a_held_call_stays_open_at_the_platform_after_the_reset_and_the_next_citizen_gets_a_call_of_their_own(rig):
    client = FakeHelpClient()
    j = with_desk(rig, client)
    to_form(rig)
    j.call_help()
    rig.run()
    assert j.notice.code == KioskErrorCode.HELP_RECEIVED
    (first,) = client.calls
    idle_out(rig, j)
    assert j.notice is None or j.notice.code not in HELP_CODES
    assert client.calls[first].status == "open"  # still waiting for staff: the kiosk withdrew nothing
    # Staff acknowledge the old call: the next citizen's screen does not say so.
    j.wake()
    client.ack(first)
    rig.clock.advance(rig.settings.help.poll_s + 1)
    j.tick()
    rig.run()
    assert j.notice is None or j.notice.code not in HELP_CODES
    # The next citizen's 呼叫帮助 is a new call, not the previous citizen's re-shown.
    j.call_help()
    rig.run()
    assert len(client.calls) == 2 and j.notice.code == KioskErrorCode.HELP_RECEIVED
