"""Requests inside the citizen session (steps/citizen_link.py) on fake ports: a lookup whose session ended before
it went out is not sent at all, and an answer (or a failure) that comes after the citizen left is shown to
no one. The race with the platform's session close itself is in tests/integration/test_lookups_session_end.py."""
from __future__ import annotations

from kiosk.errors import KioskErrorCode
from kiosk.journey.plan import Step
from kiosk.platform.services import LinkError

REFERENCE = "SZ20261205000001"


def test_a_status_query_whose_session_ended_before_it_went_out_is_not_sent(rig):
    rig.j.wake()
    rig.j.open_status()
    rig.j.query_status(REFERENCE)
    rig.j.end_session(Step.HOME)  # 退出 / the idle timeout before the worker took the query
    rig.run()
    assert rig.services.status.asked == []
    assert rig.j.notice is None and rig.j.session.status_result == {}


def test_a_failed_status_query_after_the_citizen_left_says_nothing_to_the_next_one(rig):
    rig.j.wake()
    rig.j.open_status()
    rig.j.query_status(REFERENCE)
    status = rig.services.status
    real_lookup = status.lookup

    def leaves_then_fails(code, *, session_id=None):  # the citizen leaves while the request is out; it fails
        rig.j.end_session(Step.HOME)
        status.error = LinkError(KioskErrorCode.PLATFORM_UNREACHABLE, "timed out")
        return real_lookup(code, session_id=session_id)

    status.lookup = leaves_then_fails
    rig.run()
    assert status.asked == [REFERENCE]
    assert rig.j.notice is None  # before: "platform unreachable" on the next citizen's home screen
    assert not rig.audited("status_query")
