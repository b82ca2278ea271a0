"""呼叫帮助 reaches a person (issue 15, item 4): the local alarm hook runs, the platform is told, the screen
says what reached whom with the location's phone number, and when staff acknowledge the call."""
from __future__ import annotations

import json
import sys
from types import SimpleNamespace

from kiosk.errors import KioskErrorCode
from kiosk.help import HelpDesk
from kiosk.journey import Journey
from kiosk.journey.plan import Step
from tests.unit.journey.drive import to_form


class FakeHelpClient:
    def __init__(self, up: bool = True) -> None:
        self.up = up
        self.calls: dict[str, SimpleNamespace] = {}

    def request_help(self, help_id, *, step="", item_code="", timeout_s=None, attempts=None):
        if not self.up:
            raise ConnectionError("platform unreachable")
        return self.calls.setdefault(help_id, SimpleNamespace(status="open", step=step, acknowledged_at=None,
                                                              acknowledged_by=None))

    def help_status(self, help_id, *, timeout_s=None):
        if not self.up:
            raise ConnectionError("platform unreachable")
        return self.calls[help_id]

    def ack(self, help_id, by="王工"):
        self.calls[help_id].__dict__.update(status="acknowledged", acknowledged_at="2026-01-01T10:01:00+08:00",
                                            acknowledged_by=by)


def with_desk(rig, client, command=None, phone="0755-86001234"):
    settings = rig.settings.model_copy(update={"help": rig.settings.help.model_copy(
        update={"phone": phone, "command": command or [], "poll_s": 5.0})})
    rig.j = Journey(settings, rig.catalog, rig.devices, rig.outbox, services=rig.services, executor=rig.executor,
                    clock=rig.clock, audit=lambda e, d: rig.audit.append((e, d)),
                    help_desk=HelpDesk(settings, client))
    return rig.j


def test_a_call_rings_the_local_alarm_reaches_the_platform_and_shows_staff_acknowledging(rig, tmp_path):
    out = tmp_path / "alarm.json"
    hook = [sys.executable, "-c", "import json,os,sys; json.dump({k: os.environ[k] for k in ('KIOSK_HELP_ID',"
            "'KIOSK_ID','KIOSK_LOCATION','KIOSK_STEP')}, open(sys.argv[1],'w'))", str(out)]
    client = FakeHelpClient()
    j = with_desk(rig, client, hook)
    to_form(rig)
    j.call_help()
    assert j.notice.code == KioskErrorCode.HELP_REQUESTED and "0755-86001234" in j.notice.text.zh
    rig.run()
    alarm = json.loads(out.read_text())
    (help_id,) = client.calls
    assert alarm == {"KIOSK_HELP_ID": help_id, "KIOSK_ID": rig.settings.kiosk_id,
                     "KIOSK_LOCATION": rig.settings.kiosk_location, "KIOSK_STEP": "form"}
    assert j.notice.code == KioskErrorCode.HELP_RECEIVED and "0755-86001234" in j.notice.text.zh
    # Staff acknowledge it; the kiosk learns at its next poll.
    client.ack(help_id)
    rig.clock.advance(1)
    j.tick()
    assert rig.run() == 0  # not yet: polls are help.poll_s apart
    rig.clock.advance(5)
    j.tick()
    rig.run()
    assert j.notice.code == KioskErrorCode.HELP_ACKNOWLEDGED and j.step == Step.FORM
    assert [d["help_id"] for d in rig.audited("help_acknowledged")] == [help_id]


def test_a_call_that_reaches_nobody_says_so_with_the_phone_and_is_sent_again(rig):
    client = FakeHelpClient(up=False)
    j = with_desk(rig, client)  # no local alarm either
    to_form(rig)
    j.call_help()
    rig.run()
    assert j.notice.code == KioskErrorCode.HELP_NOT_SENT and "0755-86001234" in j.notice.text.zh
    client.up = True  # the link is back: the same call is filed at the next poll
    rig.clock.advance(6)
    j.tick()
    rig.run()
    assert len(client.calls) == 1 and j.notice.code == KioskErrorCode.HELP_RECEIVED


def test_pressing_help_again_does_not_file_a_second_call(rig):
    client = FakeHelpClient()
    j = with_desk(rig, client)
    to_form(rig)
    j.call_help()
    rig.run()
    j.call_help()
    rig.run()
    assert len(client.calls) == 1 and j.notice.code == KioskErrorCode.HELP_RECEIVED
