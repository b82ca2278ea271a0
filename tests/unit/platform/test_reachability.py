"""The platform's reachability (issue 15, item 3): one explicit state fed by every request the kiosk makes
(the heartbeat, the outbox's sender, the journey's look-ups), a failure that counts for a set time, and the
heartbeat that probes sooner while the platform is down; no thread of its own."""
from __future__ import annotations

import pytest

from kiosk.outbox import DeliveryResult
from kiosk.ops.telemetry import Telemetry
from kiosk.platform.client import PlatformClient, PlatformError, RetryPolicy
from kiosk.platform.reachability import LinkWatch, Reachability
from kiosk.platform.schema import Heartbeat
from kiosk.platform.sender import platform_sender
from kiosk.runtime import build_client
from kiosk.settings import default_files, load_settings
from tests.helpers.fakes import FakeClock
from tests.helpers.servers import FakeFailingPlatform, FakeStatusPlatform, closed_port_url

BEAT = Heartbeat(at="2026-12-05T10:00:00+08:00")


def client(url: str, link: LinkWatch) -> PlatformClient:
    return PlatformClient(url, kiosk_id="K", secret="s" * 20, retry=RetryPolicy(attempts=1),
                          connect_timeout_s=1, timeout_s=2, observer=link.report)


def test_the_state_is_unknown_until_something_is_heard_then_follows_the_last_request():
    clock = FakeClock()
    link = LinkWatch(hold_s=60, clock=clock)
    seen: list[Reachability] = []
    link.subscribe(seen.append)
    assert link.state == Reachability.UNKNOWN
    link.failed("refused")
    link.failed("refused again")  # no change: listeners hear of changes only
    assert link.state == Reachability.OFFLINE and link.offline
    link.succeeded()
    assert link.state == Reachability.ONLINE
    assert seen == [Reachability.OFFLINE, Reachability.ONLINE]


def test_a_failure_counts_for_the_hold_then_the_state_is_unknown_again():
    clock = FakeClock()
    link = LinkWatch(hold_s=60, clock=clock)
    link.failed("timeout")
    clock.advance(59)
    assert link.state == Reachability.OFFLINE
    clock.advance(1)
    assert link.state == Reachability.UNKNOWN
    with pytest.raises(ValueError):
        LinkWatch(hold_s=0)


def test_a_request_to_a_closed_port_marks_the_platform_offline_and_an_answer_marks_it_online():
    link = LinkWatch()
    with pytest.raises(PlatformError):
        client(closed_port_url(), link).heartbeat(BEAT)
    assert link.state == Reachability.OFFLINE and "unreachable" in link.last_error
    with FakeStatusPlatform(404) as up:  # an error answer is still an answer: the platform is there
        with pytest.raises(PlatformError):
            client(up.url, link).heartbeat(BEAT)
    assert link.state == Reachability.ONLINE


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_gateway_saying_the_platform_is_down_marks_it_offline(status):
    link = LinkWatch()
    link.succeeded()
    with FakeStatusPlatform(status) as gw, pytest.raises(PlatformError):
        client(gw.url, link).heartbeat(BEAT)
    assert link.state == Reachability.OFFLINE


def test_the_platforms_own_error_is_not_offline():
    link = LinkWatch()
    with FakeFailingPlatform() as bad, pytest.raises(PlatformError):  # HTTP 500 with the platform's error body
        client(bad.url, link).heartbeat(BEAT)
    assert link.state == Reachability.ONLINE


def test_the_outbox_sender_feeds_the_state():
    from kiosk.outbox import OutboxState, Package, Record
    from tests.helpers.manifests import complete

    link = LinkWatch()
    send = platform_sender(client(closed_port_url(), link))
    manifest, files = complete("312000218000", kiosk_id="K")
    record = Record(id=manifest.application_id, local_number="K-20261205-0001", item_code="312000218000",
                    state=OutboxState.PENDING, created_at=0.0, attempts=0, next_attempt_at=0.0, last_error="",
                    reference="", platform_status="", result={})
    result = send(record, Package(manifest=manifest.model_dump(mode="json"), files=files))
    assert isinstance(result, DeliveryResult) and result.outcome == "retry"
    assert link.state == Reachability.OFFLINE


def test_build_client_wires_every_request_to_the_link(tmp_path):
    s = load_settings(default_files(False), data_dir=tmp_path,
                      overrides={"platform": {"secret": "x" * 20, "url": closed_port_url(), "retry_attempts": 1}})
    link = LinkWatch(s.platform.offline_hold_s)
    with pytest.raises(PlatformError):
        build_client(s, link=link).catalog()
    assert link.state == Reachability.OFFLINE
    assert s.platform.offline_probe_s < s.platform.offline_hold_s  # the probe renews a failure before it expires


class _NoOutbox:
    def stats(self) -> dict:
        return {"pending": 0, "sending": 0, "rejected": 0, "oldest_pending_age_s": 0.0}


def test_the_heartbeat_probes_sooner_while_offline_and_at_its_interval_once_back():
    link = LinkWatch()
    t = Telemetry(client(closed_port_url(), link), outbox=_NoOutbox(), devices=None, interval_s=60,
                  link=link, offline_probe_s=5)
    assert t._round() == 5  # the next beat in 5 s, not 60: the platform's return is noticed soon
    assert link.state == Reachability.OFFLINE
    with FakeStatusPlatform(200) as up:
        t.client = client(up.url, link)
        t.beat()  # the answer does not parse as a heartbeat answer, but the platform answered
    assert link.state == Reachability.ONLINE
    with FakeStatusPlatform(200) as up:
        t.client = client(up.url, link)
        assert t._round() is None  # back to the normal interval


def test_back_online_the_outbox_sends_what_waits_at_once_not_after_its_back_off(tmp_path):
    from kiosk.outbox import Outbox, OutboxState
    from tests.helpers.fakes import OUTBOX_KEY

    clock = FakeClock(1_800_000_000.0)
    results = [DeliveryResult("retry", detail="unreachable", kind="network")] * 5
    sent: list[str] = []

    def sender(record, package):
        sent.append(record.id)
        return results.pop(0) if results else DeliveryResult("delivered", reference="SZ1", status="received")

    box = Outbox(tmp_path, "K1", key=OUTBOX_KEY, sender=sender, clock=clock)
    box.enqueue("app-0001", "312000218000", {"application_id": "app-0001"}, {"a.pdf": b"%PDF"})
    for _ in range(5):  # five failed tries: the next one is minutes away
        clock.advance(box.get("app-0001").next_attempt_at - clock.now + 0.001)
        box.deliver_due()
    results.clear()
    assert box.get("app-0001").next_attempt_at - clock.now > 10
    assert box.deliver_due() == 0
    assert box.resume() == 1  # the platform answered again (the runtime wires LinkWatch ONLINE to this)
    assert box.deliver_due() == 1
    assert box.get("app-0001").state == OutboxState.DELIVERED
    box.close()


def test_the_runtime_resumes_the_outbox_when_the_link_comes_back(tmp_path):
    from kiosk.runtime import build_runtime

    s = load_settings(default_files(True), data_dir=tmp_path,
                      overrides={"platform": {"embedded": False, "url": closed_port_url(), "retry_attempts": 1}})
    rt = build_runtime(s)
    try:
        resumed: list[int] = []
        rt.outbox.resume = lambda: resumed.append(1) or 0  # type: ignore[method-assign]
        assert rt.link is not None and rt.journey.link is rt.link
        rt.link.failed("down")
        rt.link.succeeded()
        assert resumed == [1]
    finally:
        rt.stop()
