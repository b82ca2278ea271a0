"""Who may apply (issue 15, Deliver 9): every item says which ID cards it accepts, and says where the holder
of any other card goes instead; no item asks a foreign permanent resident for data their card lacks."""
from __future__ import annotations

import tomllib

from kiosk.platform.catalog_schema import ALL_CARDS
from tests.unit.catalog.conftest import CATALOG_DIR, ROOT

FOREIGN = {"foreign_2017", "foreign_2023"}
NOT_ON_FOREIGN_CARDS = {"card.address", "card.nation"}  # devices/idcard/textblock.py: the foreign layouts


def test_every_item_file_declares_its_accepted_cards():
    undeclared = [p.name for p in sorted(CATALOG_DIR.glob("*.toml"))
                  if "accepted_cards" not in tomllib.loads(p.read_text(encoding="utf-8"))]
    assert undeclared == []


def test_an_item_that_refuses_a_card_says_where_to_go_instead(items):
    for item in items:
        if set(item.accepted_cards) != set(ALL_CARDS):
            advice = item.refused_cards_advice
            assert advice is not None and advice.zh and advice.en, item.code


def test_household_and_mainland_travel_items_take_only_the_resident_id_card(items):
    by_code = {i.code: i for i in items}
    for code in ("312000218000", "910000002000", "910000003000", "910000005000", "920000001000", "920000002000"):
        assert by_code[code].accepted_cards == ("resident",), code
    assert "港澳台居民无需" in by_code["910000002000"].refused_cards_advice.zh
    assert set(by_code["930000003000"].accepted_cards) == set(ALL_CARDS)  # its guide names 外国人 and 港澳台居民


def test_no_item_open_to_foreign_cards_prefills_what_a_foreign_card_lacks(items):
    """A foreigner is never asked to invent a 户籍地址 (or a 民族): items that take a foreign permanent
    residence card have no field sourced from data that card does not carry."""
    for item in items:
        if FOREIGN & set(item.accepted_cards):
            lacking = [f.name for f in item.form if f.source in NOT_ON_FOREIGN_CARDS]
            assert lacking == [], (item.code, lacking)


def test_docs_list_each_items_accepted_cards(items):
    text = (ROOT / "docs" / "catalog.md").read_text(encoding="utf-8")
    section = text.split("### Who may apply", 1)[1]
    for item in items:
        row = next((line for line in section.splitlines() if line.startswith(f"| {item.code} |")), "")
        assert row, item.code
        cards = {c for c in ALL_CARDS if f"`{c}`" in row}
        assert cards == set(item.accepted_cards), item.code
