"""Session boundaries (issue 15, item 7): nothing the last citizen left on the reader or under the camera
reaches the next one's application; every reset asks for the card and the papers; 返回 to 刷证 reads again."""
from __future__ import annotations

from devices.base import EventKind
from devices.idcard.synthetic import IDENTITIES
from kiosk.errors import KioskErrorCode
from kiosk.journey.plan import Step
from tests.unit.journey.drive import CERT, read_card, to_form, to_identify


def test_a_card_left_on_the_reader_by_the_last_citizen_is_refused_until_lifted_and_laid_again(rig):
    to_form(rig)  # citizen A's card read
    rig.reader.card_present = True  # ... and left lying there
    rig.j.cancel()
    to_identify(rig, CERT)  # citizen B
    rig.devices.emit("idcard", EventKind.CARD_READ, IDENTITIES["graduate"])  # armed: the card lying there is read
    rig.run()
    assert rig.j.step == Step.IDENTIFY and rig.j.session.card is None and rig.j.session.form == {}
    assert rig.j.notice.code == KioskErrorCode.CARD_LEFT_BEHIND
    assert rig.audited("card_refused")[-1]["why"] == "left_behind"
    rig.devices.emit("idcard", EventKind.CARD_REMOVED)
    rig.devices.emit("idcard", EventKind.CARD_PLACED)
    read_card(rig, "graduate")
    assert rig.j.step == Step.FORM and rig.j.session.card is not None


def test_a_card_laid_before_the_item_is_chosen_is_this_citizens(rig):
    rig.reader.card_present = True
    rig.j.end_session()  # a card lies there as the last session ends
    rig.devices.emit("idcard", EventKind.CARD_REMOVED)  # B lifts it at the home screen, lays their own
    rig.devices.emit("idcard", EventKind.CARD_PLACED)
    to_identify(rig)
    read_card(rig)
    assert rig.j.step == Step.FORM


def test_back_from_the_form_to_the_card_screen_reads_a_card_again(rig):
    to_form(rig)
    first = rig.j.session.citizen_session
    rig.j.back()
    assert rig.j.step == Step.IDENTIFY and rig.j.session.card is None and rig.reader.armed
    rig.run()
    assert first in rig.services.citizens.closed  # the first card's platform session is closed
    read_card(rig, "graduate")
    assert rig.j.step == Step.FORM and rig.j.session.card is not None


def test_every_reset_asks_for_the_card_and_the_papers(rig):
    to_form(rig)
    rig.j.cancel()
    assert rig.j.step == Step.HOME and rig.j.notice.code == KioskErrorCode.TAKE_YOUR_THINGS
    to_form(rig)
    rig.clock.advance(10_000)
    rig.j.tick()
    assert rig.j.step == Step.ATTRACT and rig.j.notice.code == KioskErrorCode.TAKE_YOUR_THINGS


# ----- who may apply (item 9) ------------------------------------------------------------------------
def test_a_card_type_the_item_does_not_accept_is_refused_with_where_to_go(rig):
    foreigner = next(c for c in IDENTITIES.values() if c.card_type.value.startswith("foreign"))
    to_identify(rig, CERT)  # 无犯罪记录证明: Chinese citizens' resident ID cards only
    rig.devices.emit("idcard", EventKind.CARD_READ, foreigner)
    rig.run()
    assert rig.j.step == Step.IDENTIFY and rig.j.session.card is None and rig.j.session.form == {}
    assert rig.j.notice.code == KioskErrorCode.CARD_TYPE_NOT_ACCEPTED
    assert "出入境" in rig.j.notice.text.zh and "exit-entry" in rig.j.notice.text.en
    assert rig.services.sharing.asked == []  # nothing asked of the platform for a refused card
    assert rig.audited("card_refused")[-1]["why"] == "card_type"


def test_the_endorsement_item_refuses_a_hk_macao_taiwan_permit_and_says_none_is_needed(rig):
    gat = next(c for c in IDENTITIES.values() if c.card_type.value == "gat_residence")
    to_identify(rig, "910000002000")  # 往来港澳通行证签注: mainland residents only
    rig.devices.emit("idcard", EventKind.CARD_READ, gat)
    rig.run()
    assert rig.j.step == Step.IDENTIFY and rig.j.session.card is None
    assert rig.j.notice.code == KioskErrorCode.CARD_TYPE_NOT_ACCEPTED
    assert "港澳台居民无需办理" in rig.j.notice.text.zh and "need no endorsement" in rig.j.notice.text.en


def test_unemployment_registration_refuses_a_foreign_card_but_takes_a_hk_macao_taiwan_permit(rig):
    foreigner = next(c for c in IDENTITIES.values() if c.card_type.value.startswith("foreign"))
    gat = next(c for c in IDENTITIES.values() if c.card_type.value == "gat_residence")
    to_identify(rig, "920000010000")  # 失业登记
    rig.devices.emit("idcard", EventKind.CARD_READ, foreigner)
    rig.run()
    assert rig.j.session.card is None and rig.j.notice.code == KioskErrorCode.CARD_TYPE_NOT_ACCEPTED
    assert "社会保险经办窗口" not in rig.j.notice.text.zh and "人力资源服务窗口" in rig.j.notice.text.zh
    rig.devices.emit("idcard", EventKind.CARD_READ, gat)
    rig.run()
    assert rig.j.session.card is gat


def test_an_item_that_accepts_every_card_takes_a_foreign_permanent_resident_card(rig):
    foreigner = next(c for c in IDENTITIES.values() if c.card_type.value.startswith("foreign"))
    item = next(i for i in rig.catalog if i.needs_identity and len(i.accepted_cards) == 4 and i.form)
    to_identify(rig, item.code)
    rig.devices.emit("idcard", EventKind.CARD_READ, foreigner)
    rig.run()
    assert rig.j.session.card is foreigner


def test_a_stray_delivery_done_on_the_review_does_not_submit(rig):
    to_form(rig)
    rig.j.set_field("phone", "13800138000")
    rig.j.set_field("purpose", "employment")
    rig.j.submit_form()
    rig.j._go(Step.REVIEW)
    rig.j.delivery_done()
    assert rig.j.step == Step.REVIEW
