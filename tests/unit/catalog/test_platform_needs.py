"""Which items need the platform while the citizen stands there, derived from the real catalogue (issue 15,
item 3): fee items (payment), bills (the biller's look-up), forms showing government records the citizen
cannot type, 秒批 decided on shared data. Everything else queues in the outbox and can be done offline."""
from __future__ import annotations

from kiosk.platform.needs import PlatformNeed, blocked, needs_text, platform_needs, queueable
from kiosk.platform.reachability import Reachability


def by_code(items):
    return {i.code: i for i in items}


def test_every_fee_item_needs_payment_at_the_platform(items):
    fee_items = [i for i in items if i.fee.charged]
    assert len(fee_items) >= 3  # 签注, 换发, 驾驶证补领 ...
    for i in fee_items:
        assert PlatformNeed.PAYMENT in platform_needs(i), i.code


def test_every_bill_needs_the_billers_look_up_and_no_payment_of_a_fixed_fee(items):
    bills = [i for i in items if i.kind == "bill_payment"]
    assert {i.code for i in bills} == {"960000001000", "960000002000", "960000003000"}
    for i in bills:
        assert platform_needs(i) == (PlatformNeed.BILL_LOOKUP,), i.code


def test_forms_with_read_only_government_records_and_instant_approval_on_shared_data_need_the_platform(items):
    c = by_code(items)
    # 应届毕业生引进落户: school, degree ... shown read-only from data sharing; 秒批 on education and hukou
    assert set(platform_needs(c["920000001000"])) == {PlatformNeed.SHARED_DATA, PlatformNeed.INSTANT_DATA}
    for i in items:
        read_only_shared = any(f.source.startswith("shared.") and not f.editable for f in i.form)
        assert (PlatformNeed.SHARED_DATA in platform_needs(i)) == read_only_shared, i.code


def test_items_without_fee_or_look_up_queue_in_the_outbox_and_can_be_done_offline(items):
    c = by_code(items)
    assert queueable(c["312000218000"])  # 无犯罪记录证明: the card, a letter, a signature
    # editable shared fields (the citizen types them) and e-licences (captured on paper offline) do not stop it
    assert queueable(c["910000001000"])  # 保安员证: residence and education, editable
    assert queueable(c["950000001000"])  # 施工许可: e-licences only
    q = [i for i in items if queueable(i)]
    assert 8 <= len(q) < len(items)
    for i in q:
        assert not i.fee.charged and i.kind == "application" and not i.fee.from_bill


def test_nothing_is_blocked_unless_the_platform_is_offline(items):
    c = by_code(items)
    fee = c["910000002000"]
    assert blocked(fee, Reachability.OFFLINE) == platform_needs(fee) != ()
    assert blocked(fee, Reachability.ONLINE) == ()
    assert blocked(fee, Reachability.UNKNOWN) == ()
    assert blocked(fee, None) == ()
    assert blocked(c["312000218000"], Reachability.OFFLINE) == ()


def test_the_reasons_read_in_both_languages(items):
    needs = platform_needs(by_code(items)["920000001000"])
    assert needs_text(needs, "zh") == "需要在线调取政府共享信息、秒批需要在线核验"
    assert needs_text(needs, "en") == "needs government records online, instant approval needs online checks"
