"""config/regions.toml: the typed administrative list behind the delivery picker (GB/T 2260)."""
from __future__ import annotations

import pytest

from kiosk.platform.regions import Regions, RegionsError, load_regions


def test_every_shenzhen_district_and_every_guangdong_city_is_listed():
    r = load_regions()
    assert [x.name.zh for x in r.children("440300")] == ["罗湖区", "福田区", "南山区", "宝安区", "龙岗区", "盐田区",
                                                          "龙华区", "坪山区", "光明区"]
    assert len(r.children("440000")) == 21 and len(r.children("")) == 31
    assert r.full_name("440305") == "广东省深圳市南山区" and r.full_name("440305", "en_US") == "Nanshan, Shenzhen, Guangdong"


def test_a_region_is_complete_only_with_nothing_listed_below_it():
    r = load_regions()
    assert r.complete("440305") and r.complete("441900") and r.complete("110000")  # district, 东莞, 北京
    assert not r.complete("440300") and not r.complete("440000") and not r.complete("999999")


def test_the_file_is_checked_for_orphans_duplicates_and_malformed_codes():
    with pytest.raises(RegionsError, match="no parent"):
        Regions.from_toml('[[region]]\ncode = "440305"\nname = { zh = "南山区", en = "Nanshan" }\n')
    row = '[[region]]\ncode = "110000"\nname = { zh = "北京市", en = "Beijing" }\n'
    with pytest.raises(RegionsError, match="twice"):
        Regions.from_toml(row + row)
    with pytest.raises(ValueError):
        Regions.from_toml('[[region]]\ncode = "44030"\nname = { zh = "x", en = "x" }\n')
