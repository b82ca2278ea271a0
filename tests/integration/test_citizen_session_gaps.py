"""Two leaks of one citizen's platform session into the next card read, on the real stack (journey -> HTTP ->
the embedded reference platform), with a platform answer held on the wire by the test (``Held``, as in
test_lookups_session_end.py):

- a data-sharing answer (数据共享: the form's prefill and the e-licences) that lands after the citizen tapped
  返回 on the identify screen, or after another card was laid, is dropped: nothing prefilled for the next read,
  nothing audited as shared, nothing said;
- a citizen session the platform opens just as its card is let go (返回) or the session ends (the open on the
  wire, or answered between the kiosk's "is this still the session" check and its filing) is closed at the
  platform at once instead of being left to expire there (or, before, used for the let-go card's lookup)."""
from __future__ import annotations

import threading

import pytest

from devices.idcard.synthetic import IDENTITIES
from kiosk.journey.context import MachineContext
from kiosk.journey.plan import Step
from tests.helpers.fakes import wait_until
from tests.integration import test_lookups_session_end as lookups_end
from tests.integration.test_lookups_session_end import (INTAKE, WIRE_S, Held, closed_at, drain, hold, lookups,
                                                        nothing_told, to_mine)

kiosk = lookups_end.kiosk  # the same fixture: a started kiosk on the embedded platform

A, B = "graduate", "graduate_late"  # two card holders (synthetic)


class Opened(Held):
    """``Held`` for ``citizens.open`` that also keeps what the platform answered (the citizen session ids)."""

    def __init__(self, real) -> None:
        super().__init__(real, "open")
        self.opened: list[str] = []

    def __getattr__(self, name: str):
        attr = super().__getattr__(name)
        if name != "open":
            return attr

        def opened(*args, **kwargs):
            sid = attr(*args, **kwargs)
            self.opened.append(sid)
            return sid
        return opened


def to_identify(j) -> None:
    j.wake()
    j.open_catalog()
    j.choose_item(INTAKE)
    j.start_item()
    assert j.step == Step.IDENTIFY


def shared_audited(audit) -> list[dict]:
    return [r for r in audit.events if r["event"] == "shared_data"]


# ----- gap 2: a late data-sharing answer ----------------------------------------------------------------------
def test_sharing_answered_after_back_on_the_identify_screen_is_dropped(kiosk, caplog):
    rt, rec, hw, platform, audit = kiosk
    held = hold(rt, "sharing", "fetch")
    j = rt.journey
    to_identify(j)
    session = j.session
    hw.place_card(A)
    assert held.sent.wait(WIRE_S)
    citizen = session.citizen_session
    assert citizen and j.busy
    j.back()  # 返回: the citizen lets this read go while the platform is asked
    assert j.step == Step.GUIDE
    held.land()
    assert held.landed.wait(WIRE_S)
    nothing_told(rt, audit, caplog, "shared_data")
    assert j.session is session and j.step == Step.GUIDE  # nothing moved the journey on by itself
    assert session.card is None and session.shared == {} and session.form == {} and session.material_plan is None
    assert not j.busy  # the guide's buttons answer again (before: held until the answer came)
    # the request was answered inside the live citizen session, which is closed right after (not left to expire)
    wait_until(lambda: closed_at(platform, citizen) is not None, timeout_s=WIRE_S)
    assert lookups(platform, citizen, "sharing")[0].startswith("ok")


def test_sharing_answered_after_another_card_was_laid_prefills_nothing_of_the_first(kiosk, caplog):
    """返回, 开始办理 again, another holder's card: the first card's late answer must not fill the second's form
    (before: the first holder's name, hukou and education, and a jump to the form with them)."""
    rt, rec, hw, platform, audit = kiosk
    held = hold(rt, "sharing", "fetch")
    j = rt.journey
    to_identify(j)
    hw.place_card(A)
    assert held.sent.wait(WIRE_S)
    first = j.session.citizen_session
    j.back()
    reader = rt.devices.get("idcard")
    hw.remove_card()  # the first holder takes the card (else 开始办理 would read it again)
    wait_until(lambda: not reader.card_present, timeout_s=WIRE_S)
    j.start_item()
    assert j.step == Step.IDENTIFY
    held.method = "-"  # the second card's lookup is not held
    hw.place_card(B)
    wait_until(lambda: j.session.card is not None and j.session.card.name == IDENTITIES[B].name, timeout_s=WIRE_S)
    held.land()
    assert held.landed.wait(WIRE_S)
    rec.wait_for(lambda ev: j.step == Step.FORM and not j.busy, timeout_s=WIRE_S)
    drain(j.executor)
    assert j.session.card.name == IDENTITIES[B].name
    [shared] = shared_audited(audit)  # one prefill: the second card's (before: the first card's too, and the form)
    assert [r for r in audit.events if r["event"] == "shared_dropped"]
    assert j.session.form.get("name", IDENTITIES[B].name) == IDENTITIES[B].name
    assert IDENTITIES[A].name not in j.session.form.values() and IDENTITIES[A].id_number not in j.session.form.values()
    wait_until(lambda: closed_at(platform, first) is not None, timeout_s=WIRE_S)


# ----- gap 3: a citizen session opened as the card is let go or the citizen leaves ------------------------------
def test_a_citizen_session_opened_after_back_is_closed_and_never_used(kiosk, caplog):
    rt, rec, hw, platform, audit = kiosk
    opens = Opened(rt.services.citizens)
    rt.services.citizens = opens
    j = rt.journey
    to_identify(j)
    session = j.session
    hw.place_card(A)
    assert opens.sent.wait(WIRE_S)
    j.back()  # while the platform opens the citizen session for the card
    opens.land()
    assert opens.landed.wait(WIRE_S)
    drain(j.executor)
    [citizen] = opens.opened
    assert citizen and closed_at(platform, citizen) is not None  # closed at once, not left to expire
    assert lookups(platform, citizen, "sharing") == []  # and nothing was asked inside it for the let-go card
    assert session.citizen_session == "" and session.form == {} and shared_audited(audit) == []


def end_right_after_the_check(rt, monkeypatch) -> list[str]:
    """The session ends at the very moment the open has answered: right after the kiosk's first look, on the
    thread that opened it, at whether the session is still current (which still saw it current). Where the
    kiosk does not look again, the session ends once the open's handling is over. Returns the ids opened."""
    j = rt.journey
    opens = Opened(rt.services.citizens)
    rt.services.citizens = opens
    armed = threading.local()
    real = MachineContext.session

    def session(ctx):
        current = real.fget(ctx)
        if getattr(armed, "on", False):
            armed.on = False
            j.end_session(Step.HOME)  # the citizen leaves now: after the look, before anything is filed
        return current
    monkeypatch.setattr(MachineContext, "session", property(session))

    def open_(*args, **kwargs):
        sid = opens.real.open(*args, **kwargs)
        opens.opened.append(sid)
        armed.on = True
        return sid
    opens.__dict__["open"] = open_  # instance attribute: __getattr__ is not asked
    return opens.opened


@pytest.mark.parametrize("where", ["identify", "mine", "status"])
def test_a_citizen_session_opened_as_the_citizen_leaves_is_closed(kiosk, monkeypatch, where):
    rt, rec, hw, platform, audit = kiosk
    j = rt.journey
    opened = end_right_after_the_check(rt, monkeypatch)
    session = j.session if where != "identify" else None
    if where == "identify":
        to_identify(j)
        session = j.session
        hw.place_card(A)
    elif where == "mine":
        to_mine(rt, hw)
        session = j.session
    else:
        j.wake()
        j.open_status()
        session = j.session
        hw.place_card(A)
    wait_until(lambda: opened, timeout_s=WIRE_S)
    drain(j.executor)
    if j.session is session:  # the kiosk did not look again after the open: the citizen leaves now
        j.end_session(Step.HOME)
        drain(j.executor)
    [citizen] = opened
    assert citizen
    wait_until(lambda: closed_at(platform, citizen) is not None, timeout_s=WIRE_S)
    assert j.session is not session and j.session.citizen_session == ""
