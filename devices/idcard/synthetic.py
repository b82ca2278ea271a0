"""Synthetic identities for tests and the demo: valid check characters, no real person.

Names are common placeholder names; numbers use real region codes with birth dates and sequence numbers
chosen here, and their check character computed by GB 11643. Any likeness to a real card is chance.
"""
from __future__ import annotations

import dataclasses
import datetime as dt

from .idnumber import check_char
from .model import CardType, IdCardData
from .sim_photo import wlt_for


def make_number(region: str, birth: dt.date, seq: int) -> str:
    first17 = f"{region}{birth:%Y%m%d}{seq:03d}"
    return first17 + check_char(first17)


def _resident(name: str, gender: str, nation: str, birth: dt.date, region: str, seq: int, address: str,
              issuer: str, valid_from: dt.date, valid_until: dt.date | None) -> IdCardData:
    return IdCardData(
        card_type=CardType.RESIDENT, name=name, gender=gender, nation=nation, birth_date=birth,
        address=address, id_number=make_number(region, birth, seq), issuer=issuer,
        valid_from=valid_from, valid_until=valid_until, photo_wlt=bytes(1024),
    )


IDENTITIES: dict[str, IdCardData] = {
    # A recent graduate: the 秒批 graduate-intake journey.
    "graduate": _resident("李小明", "男", "汉", dt.date(2002, 5, 14), "440305", 117,
                          "广东省深圳市南山区科技园南区示例路88号", "深圳市公安局南山分局",
                          dt.date(2020, 3, 2), dt.date(2030, 3, 2)),
    # A bachelor who graduated five years ago: not eligible for the 秒批 graduate intake (manual review).
    "graduate_late": _resident("刘洋", "男", "汉", dt.date(1995, 8, 20), "430104", 215,
                               "湖南省长沙市岳麓区示例街道示例路20号", "长沙市公安局岳麓分局",
                               dt.date(2013, 9, 1), dt.date(2033, 9, 1)),
    # A recent master's graduate on a dishonest-debtor list: the 秒批 credit gate sends her to review.
    "dishonest": _resident("陈静", "女", "汉", dt.date(2001, 11, 2), "440304", 428,
                           "广东省深圳市福田区示例街道示例路9号", "深圳市公安局福田分局",
                           dt.date(2019, 12, 1), dt.date(2029, 12, 1)),
    # An older citizen with a long-term card: elder mode.
    "elder": _resident("王秀英", "女", "汉", dt.date(1951, 9, 30), "440303", 246,
                       "广东省深圳市罗湖区东门街道示例社区12栋301", "深圳市公安局罗湖分局",
                       dt.date(2012, 6, 1), None),
    # The GB 11643 standard's own example number.
    "standard": IdCardData(
        card_type=CardType.RESIDENT, name="张三", gender="男", nation="汉", birth_date=dt.date(1949, 12, 31),
        address="北京市西城区示例胡同1号", id_number="11010519491231002X", issuer="北京市公安局西城分局",
        valid_from=dt.date(2015, 1, 1), valid_until=dt.date(2035, 1, 1), photo_wlt=bytes(1024)),
    "hui": _resident("马丽", "女", "回", dt.date(1988, 2, 29), "640104", 322,
                     "宁夏回族自治区银川市兴庆区示例街5号", "银川市公安局兴庆区分局",
                     dt.date(2018, 7, 9), dt.date(2038, 7, 9)),
    "gat": IdCardData(
        card_type=CardType.GAT_RESIDENCE, name="陈大文", gender="男", birth_date=dt.date(1990, 1, 1),
        address="广东省深圳市福田区示例大道100号", id_number=make_number("810000", dt.date(1990, 1, 1), 101),
        issuer="深圳市公安局", valid_from=dt.date(2025, 1, 1), valid_until=dt.date(2030, 1, 1),
        pass_number="H12345678", issue_count="01", photo_wlt=bytes(1024)),
    "foreign_2023": IdCardData(
        card_type=CardType.FOREIGN_2023, name="安娜", name_en="SAMPLE ANNA", gender="女",
        birth_date=dt.date(1985, 6, 15), id_number=make_number("944403", dt.date(1985, 6, 15), 102),
        valid_from=dt.date(2024, 1, 1), valid_until=dt.date(2034, 1, 1), nationality="DEU",
        issue_count="00", photo_wlt=bytes(1024)),
}

# Each simulated card's photo field carries its marker (``sim_photo``): demo mode's decoder gives the
# identity's card photo from it, so the face step compares the simulated person with their own card.
IDENTITIES = {name: dataclasses.replace(card, photo_wlt=wlt_for(name)) for name, card in IDENTITIES.items()}

DEFAULT = "graduate"

# What each identity exercises, for the demo panel (a tester picks the situation, not a name).
PURPOSES: dict[str, str] = {
    "graduate": "秒批通过 · 应届毕业生 (instant approval)",
    "graduate_late": "往届毕业生 · 人工审核 (late graduate: manual review)",
    "dishonest": "信用核查拦截 (credit gate: sent to review)",
    "elder": "长辈 · 长期证件 (elder, long-term card)",
    "standard": "GB 11643 标准示例号码 (the standard's sample number)",
    "hui": "少数民族 · 闰日生日 (ethnic minority, born 29 Feb)",
    "gat": "港澳台居民居住证 (HK/Macao/Taiwan residence permit)",
    "foreign_2023": "外国人永久居留证 (foreign permanent residence)",
}
