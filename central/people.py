"""Synthetic government records (数据共享) for the synthetic identities of devices/idcard/synthetic.py.

No real person: the ID numbers are the synthetic ones (a test checks they match the card simulator's), the
values are invented. Values are deterministic per identity and day: ages and "years since graduation" are
computed from fixed birth dates and from a graduation given in years before today, so the 秒批 cases stay
what they are meant to be whatever the date.

Keys are those of config/shared_data.toml without the ``shared.`` prefix. A key absent from a profile is
"not held" (a form field stays empty, a 秒批 rule on it fails). An ID number without a profile gets only
what its number says (age).
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

Value = str | int | bool | None


@dataclass(frozen=True)
class Licence:
    licence_type: str
    number: str
    issued_on: str
    valid_until: str | None = None


@dataclass(frozen=True)
class Profile:
    label: str  # the identity's key in devices/idcard/synthetic.py
    name: str
    values: dict[str, Value]
    licences: tuple[Licence, ...] = ()
    graduated_years_ago: int | None = None  # education.graduation_year/years_since_graduation from today
    extra: dict[str, Any] = field(default_factory=dict)


def _graduation(years_ago: int, today: dt.date) -> tuple[int, int]:
    """(graduation_year, full years since 30 June of it) for a graduation ``years_ago`` full years back."""
    before_july = (today.month, today.day) < (6, 30)
    year = today.year - years_ago - (1 if before_july else 0)
    since = today.year - year - (1 if before_july else 0)
    return year, since


def age_on(birth: dt.date, today: dt.date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


def birth_from_number(id_number: str) -> dt.date | None:
    try:
        return dt.date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except (ValueError, IndexError):
        return None


_CLEAN: dict[str, Value] = {"person.deceased": False, "person.serving_sentence": False, "credit.blacklisted": False}

PROFILES: dict[str, Profile] = {p.extra["id_number"]: p for p in (
    # Recent full-time bachelor; hukou moved to the university's collective hukou in Changsha: eligible for
    # 应届毕业生引进落户 (920000001000) by 秒批.
    Profile("graduate", "李小明", dict(_CLEAN, **{
        "hukou.city": "长沙市", "hukou.address": "湖南省长沙市岳麓区示例大学学生集体户",
        "address.residence": "深圳市南山区粤海街道示例路88号3栋1205",
        "education.degree": "bachelor", "education.full_time": True, "education.school": "示例大学",
        "education.major": "计算机科学与技术", "education.overseas": False, "education.overseas_certified": False,
        "employment.employer": "深圳市示例科技有限公司", "social_insurance.account": "612345678",
        "social_insurance.months_shenzhen": 5, "social_insurance.total_months": 5,
        "social_insurance.unemployment_months": 5, "pension.receiving": False, "marriage.status": "unmarried",
        "housing.owned_count": 0, "vehicle.count": 0, "postdoc.status": "none"}),
        (Licence("household_register", "430104200205141170", "2020-09-01"),
         Licence("graduation_certificate", "105331202405001234", "2025-06-30"),
         Licence("degree_certificate", "1053342025001234", "2025-06-30"),
         Licence("residence_permit", "440300202508001234", "2025-08-01", "2028-08-01")),
        graduated_years_ago=1, extra={"id_number": "440305200205141170"}),
    # Bachelor who graduated five years ago: not eligible for 秒批 graduate intake (manual review).
    Profile("graduate_late", "刘洋", dict(_CLEAN, **{
        "hukou.city": "长沙市", "hukou.address": "湖南省长沙市岳麓区示例街道示例路20号",
        "address.residence": "深圳市福田区示例路66号", "education.degree": "bachelor", "education.full_time": True,
        "education.school": "示例理工大学", "education.major": "土木工程", "education.overseas": False,
        "employment.employer": "深圳市示例建设有限公司", "social_insurance.account": "612300215",
        "social_insurance.months_shenzhen": 40, "social_insurance.total_months": 58,
        "social_insurance.unemployment_months": 58, "pension.receiving": False, "marriage.status": "unmarried",
        "housing.owned_count": 0, "vehicle.count": 0, "postdoc.status": "none"}),
        (Licence("household_register", "430104199508202159", "2013-09-01"),
         Licence("graduation_certificate", "105381201906004321", "2019-06-30"),
         Licence("degree_certificate", "1053842019004321", "2019-06-30")),
        graduated_years_ago=5, extra={"id_number": "430104199508202159"}),
    # Recent master's graduate on a dishonest-debtor list: the credit gate sends every 秒批 to manual review.
    Profile("dishonest", "陈静", dict(_CLEAN, **{
        "credit.blacklisted": True, "hukou.city": "武汉市", "hukou.address": "湖北省武汉市洪山区示例大学学生集体户",
        "address.residence": "深圳市福田区示例街道示例路9号", "education.degree": "master",
        "education.full_time": True, "education.school": "示例大学", "education.major": "金融学",
        "education.overseas": False, "employment.employer": "深圳市示例投资有限公司",
        "social_insurance.months_shenzhen": 3, "marriage.status": "unmarried", "housing.owned_count": 0,
        "vehicle.count": 0, "postdoc.status": "none"}),
        (Licence("graduation_certificate", "104861202506007777", "2025-06-30"),
         Licence("degree_certificate", "1048632025007777", "2025-06-30")),
        graduated_years_ago=1, extra={"id_number": "440304200111024284"}),
    # An older citizen with a Shenzhen hukou, receiving a pension.
    Profile("elder", "王秀英", dict(_CLEAN, **{
        "hukou.city": "深圳市", "hukou.address": "广东省深圳市罗湖区东门街道示例社区12栋301",
        "address.residence": "深圳市罗湖区东门街道示例社区12栋301", "education.degree": "senior_high",
        "education.full_time": True, "social_insurance.account": "600012468", "social_insurance.total_months": 372,
        "social_insurance.months_shenzhen": 0, "pension.receiving": True, "marriage.status": "widowed",
        "housing.owned_count": 1, "vehicle.count": 0, "postdoc.status": "none"}),
        (Licence("household_register", "440303195109302468", "1998-03-01"),
         Licence("real_estate_certificate", "粤(2008)深圳市不动产权第0012468号", "2008-05-20")),
        extra={"id_number": "440303195109302468"}),
    # The GB 11643 standard's example number: a Beijing hukou and no credit record here (credit "missing").
    Profile("standard", "张三", {"person.deceased": False, "person.serving_sentence": False, "hukou.city": "北京市",
                                 "hukou.address": "北京市西城区示例胡同1号", "education.degree": "college"},
            extra={"id_number": "11010519491231002X"}),
    # Shenzhen resident from Yinchuan with a small business, a car and a driving licence.
    Profile("hui", "马丽", dict(_CLEAN, **{
        "hukou.city": "银川市", "hukou.address": "宁夏回族自治区银川市兴庆区示例街5号",
        "address.residence": "深圳市宝安区新安街道示例路18号", "education.degree": "master",
        "education.full_time": True, "education.school": "示例师范大学", "education.major": "汉语言文学",
        "employment.employer": "深圳市宝安区示例便利店", "social_insurance.account": "612298832",
        "social_insurance.months_shenzhen": 62, "social_insurance.total_months": 110,
        "social_insurance.unemployment_months": 62, "pension.receiving": False, "marriage.status": "married",
        "housing.owned_count": 0, "driving_licence.class": "C1", "driving_licence.first_issue_date": "2012-04-18",
        "driving_licence.valid_until": "2028-04-18", "vehicle.count": 1, "vehicle.last_plate": "粤B12345",
        "postdoc.status": "none", "business.name": "深圳市宝安区示例便利店", "business.uscc": "92440300MA5EXAMP1X"}),
        (Licence("residence_permit", "440300201807093228", "2024-07-09", "2027-07-09"),
         Licence("driving_licence", "640104198802293228", "2012-04-18", "2028-04-18"),
         Licence("marriage_certificate", "J440306-2016-004321", "2016-10-01"),
         Licence("business_licence", "92440300MA5EXAMP1X", "2021-03-15")),
        extra={"id_number": "640104198802293228"}),
    Profile("gat", "陈大文", dict(_CLEAN, **{"address.residence": "深圳市福田区示例大道100号"}),
            (Licence("residence_permit", "810000199001011011", "2025-01-01", "2030-01-01"),),
            extra={"id_number": "810000199001011011"}),
    Profile("foreign_2023", "安娜", dict(_CLEAN, **{"address.residence": "深圳市南山区示例国际公寓2栋8楼"}),
            extra={"id_number": "944403198506151027"}),
)}


def values_for(id_number: str, today: dt.date) -> tuple[dict[str, Value], tuple[Licence, ...], str | None]:
    """(values, licences, name on record) for an ID number on ``today``."""
    profile = PROFILES.get(id_number.upper())
    values: dict[str, Value] = {}
    birth = birth_from_number(id_number)
    if birth is not None and len(id_number) == 18:
        values["person.age"] = age_on(birth, today)
    if profile is None:
        return values, (), None
    values.update(profile.values)
    licences = profile.licences
    if profile.graduated_years_ago is not None:
        year, since = _graduation(profile.graduated_years_ago, today)
        values["education.graduation_year"] = year
        values["education.years_since_graduation"] = since
        # Certificates are dated with the graduation, whatever year it is now.
        licences = tuple(Licence(lic.licence_type, lic.number, f"{year}-06-30", lic.valid_until)
                         if lic.licence_type in ("graduation_certificate", "degree_certificate") else lic
                         for lic in licences)
    return values, licences, profile.name
