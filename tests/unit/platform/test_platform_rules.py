"""秒批 rules, the credit gate and the synthetic government records they read."""
from __future__ import annotations

import datetime as dt

import pytest

from central.people import PROFILES, values_for
from central.rules import decide
from central.sharing import Sharing
from devices.idcard.synthetic import IDENTITIES
from kiosk.catalog import Catalog
from kiosk.platform.schema import Applicant, Manifest, Reason
from kiosk.settings import CONFIG_DIR

CATALOG = Catalog.from_dir(CONFIG_DIR / "catalog")
INTAKE = CATALOG.get("920000001000")


def m(who: str = "graduate") -> Manifest:
    card = IDENTITIES[who]
    return Manifest(application_id="app-00000001", item_code=INTAKE.code, kiosk_id="K", created_at="2026-01-01",
                    applicant=Applicant(name=card.name, id_number=card.id_number))


def shared(who: str, today: dt.date = dt.date(2026, 11, 27)) -> dict:
    return values_for(IDENTITIES[who].id_number, today)[0]


def test_every_synthetic_identity_has_a_record_under_its_own_number_and_name():
    by_label = {p.label: (number, p) for number, p in PROFILES.items()}
    for label, card in IDENTITIES.items():
        number, profile = by_label[label]
        assert number == card.id_number and profile.name == card.name


def test_every_shared_value_is_a_key_of_the_vocabulary():
    vocab = Sharing(CONFIG_DIR / "shared_data.toml")
    for profile in PROFILES.values():
        assert set(profile.values) <= set(vocab.keys), profile.label
        assert {lic.licence_type for lic in profile.licences} <= set(vocab.licence_types)


@pytest.mark.parametrize("today", [dt.date(2026, 1, 5), dt.date(2026, 7, 1), dt.date(2030, 6, 29)])
def test_the_graduate_is_eligible_for_the_intake_whatever_the_date(today):
    d = decide(INTAKE, m("graduate"), shared("graduate", today))
    assert d.instant and d.approved and d.reasons == []


def test_a_graduate_of_five_years_ago_goes_to_review_with_the_rule_that_failed():
    d = decide(INTAKE, m("graduate_late"), shared("graduate_late"))
    assert d.instant and d.approved is False
    assert [r.en for r in d.reasons] == ["Graduated more than two years ago"]


def test_the_credit_gate_holds_a_blacklisted_applicant_and_one_without_a_record():
    d = decide(INTAKE, m("dishonest"), shared("dishonest"))
    assert d.approved is False and d.reasons[0].en.startswith("Credit check")
    missing = {k: v for k, v in shared("graduate").items() if k != "credit.blacklisted"}
    d2 = decide(INTAKE, m("graduate"), missing)
    assert d2.approved is False and [r.en for r in d2.reasons][0].startswith("Credit check")


def test_the_credit_gate_can_be_turned_off_per_item():
    no_gate = INTAKE.model_copy(update={"instant_approval": INTAKE.instant_approval.model_copy(
        update={"credit_gate": False})})
    values = dict(shared("graduate"), **{"credit.blacklisted": True})
    assert decide(no_gate, m("graduate"), values).approved is True


def test_platform_checks_turn_an_approval_into_review_and_never_into_refusal():
    d = decide(INTAKE, m("graduate"), shared("graduate"), [Reason(zh="未核实到缴费", en="Payment not confirmed")])
    assert d.approved is False and d.reasons[-1].en == "Payment not confirmed"
    plain = CATALOG.get("312000218000")
    d2 = decide(plain, m("graduate"), {}, [Reason(zh="x", en="y")])
    assert not d2.instant and d2.approved is None and d2.reasons  # noted for the reviewer


def test_sharing_minimises_to_the_items_keys_and_masks_numbers():
    vocab = Sharing(CONFIG_DIR / "shared_data.toml")
    resp = vocab.lookup(IDENTITIES["hui"].id_number, dt.date(2026, 11, 27), CATALOG.get("920000001000"))
    assert "driving_licence.class" not in resp.values and "education.degree" in resp.values
    everything = vocab.lookup(IDENTITIES["hui"].id_number, dt.date(2026, 11, 27))
    assert everything.values["driving_licence.class"] == "C1"
    assert all("*" in lic.number for lic in everything.licences)


def test_the_insurance_certificate_is_issued_at_once_on_the_shared_record_not_sent_to_staff():
    # issue 15: 参保证明查询打印 ended "staff will review"; a certificate of one's own record is issued at once
    proof = CATALOG.get("920000008000")
    manifest = m().model_copy(update={"item_code": proof.code})
    assert decide(proof, manifest, shared("graduate")).approved is True
    no_record = {k: v for k, v in shared("graduate").items() if not k.startswith("social_insurance.")}
    decision = decide(proof, manifest, no_record)
    assert decision.approved is False and "参保记录" in decision.reasons[0].zh  # to manual review, with the true reason
    # no credit check for reading one's own record: a blacklisted applicant still gets their certificate
    assert decide(proof, manifest, dict(shared("graduate"), **{"credit.blacklisted": True})).approved is True


def test_a_missing_shared_record_is_named_as_a_citizen_reads_it_never_by_its_key():
    """The result screen showed "缺少共享数据“education.years_since_graduation”": every shared record a 秒批
    rule reads is named by its vocabulary name in both languages when it is missing."""
    vocab = Sharing(CONFIG_DIR / "shared_data.toml")
    assert vocab.names["education.years_since_graduation"] == ("距最高学历毕业的整年数", "Full years since graduation")
    d = decide(INTAKE, m("graduate"), {"credit.blacklisted": False}, names=vocab.names)
    assert any(r.zh == "缺少共享数据“距最高学历毕业的整年数”，无法自动核验，转人工审核" for r in d.reasons)
    assert any(r.en == "No shared record 'Full years since graduation' to check automatically: sent to manual "
               "review" for r in d.reasons)
    for item in CATALOG.items:
        keys = [r.field[len("shared."):] for r in item.instant_approval.rules if r.field.startswith("shared.")]
        for r in decide(item, m("graduate"), {}, names=vocab.names).reasons:
            for key in keys:
                assert key not in r.zh and key not in r.en, (item.code, r)
        for key in keys:
            zh, en = vocab.names[key]
            assert zh and en and "_" not in zh + en and not zh.endswith("）") and len(en) < 90, key


def test_an_age_on_the_card_is_counted_to_the_platforms_date_not_the_hosts():
    """central/rules.py counted card.age to dt.date.today(), the host's local date: on a UTC host the platform's
    CST date is a day ahead from 16:00 to midnight, and its injected clock was not used at all."""
    from kiosk.platform.catalog_schema import Rule, Text

    adult = Rule(field="card.age", op="gte", value=18, reason=Text(zh="未满18周岁", en="Under 18"))
    item = INTAKE.model_copy(update={"instant_approval": INTAKE.instant_approval.model_copy(
        update={"rules": (adult,), "credit_gate": False})})
    card = IDENTITIES["graduate"]
    born = m().model_copy(update={"applicant": Applicant(name=card.name, id_number=card.id_number,
                                                         birth_date="2012-12-08")})
    assert decide(item, born, {}, today=dt.date(2030, 12, 7)).reasons[0].en == "Under 18"
    assert decide(item, born, {}, today=dt.date(2030, 12, 8)).approved  # 18 on the platform's date, whatever the host's
