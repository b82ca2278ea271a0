"""Catalog search by Chinese, full pinyin and pinyin initials."""
from __future__ import annotations

import pytest

from kiosk.catalog import Catalog
from kiosk.search import CatalogSearch, normalise
from kiosk.settings import CONFIG_DIR


@pytest.fixture(scope="module")
def search():
    return CatalogSearch(list(Catalog.from_dir(CONFIG_DIR / "catalog")))


def names(items):
    return [i.name.zh for i in items]


@pytest.mark.parametrize("query", ["wfz", "无犯罪", "wufanzui", "WU FAN ZUI", "wfzjlzm", "犯罪记录"])
def test_no_criminal_record_is_found_every_way_a_citizen_types_it(search, query):
    assert names(search.search(query))[0] == "无犯罪记录证明"


def test_initials_find_the_graduate_intake(search):
    assert "应届毕业生引进落户" in names(search.search("yjbys"))


def test_a_name_match_ranks_above_a_department_match(search):
    found = names(search.search("gongan"))
    assert found  # 公安 is a department: every police item is found
    assert all(n for n in found)
    assert names(search.search("港澳"))[0].startswith("往来港澳通行证")


def test_bill_payments_are_found_by_their_keywords(search):
    assert "电费缴纳" in names(search.search("电费"))
    assert "电费缴纳" in names(search.search("df"))


def test_nonsense_finds_nothing_and_empty_finds_everything(search):
    assert search.search("zzzzqqqq") == []
    assert len(search.search("")) >= 30


def test_queries_are_normalised_and_length_limited():
    assert normalise("Ｗ Ｆ Ｚ") == "wfz"
    assert len(normalise("a" * 500)) == 40


def test_the_index_is_cached_per_catalog_version_and_gives_the_same_answers(tmp_path):
    items = list(Catalog.from_dir(CONFIG_DIR / "catalog"))
    cache = tmp_path / "search.json"
    first = CatalogSearch(items, cache=cache)
    assert cache.exists()
    again = CatalogSearch(items, cache=cache)
    assert names(again.search("wfz")) == names(first.search("wfz"))
    changed = items[1:]
    CatalogSearch(changed, cache=cache)  # another version rebuilds and overwrites
    assert len(__import__("json").loads(cache.read_text("utf-8"))["entries"]) == len(changed)
