"""The 256-byte text block of a second-generation card, for every card type (devices.md 1.6 and 1.8).

All fields are UTF-16LE, left-aligned and padded with spaces. Byte 248 tells the card type apart:
'J' residence permit for Hong Kong/Macau/Taiwan residents, 'I' foreign permanent resident card (2017),
'Y' foreign permanent resident card (2023, 18-character number); anything else is a resident ID card.
"""
from __future__ import annotations

import datetime as dt

from ..errors import DeviceError, DeviceErrorCode
from . import idnumber
from .model import CardType, IdCardData

TEXT_LEN = 256
LONG_TERM = "长期"

NATIONS = {
    "01": "汉", "02": "蒙古", "03": "回", "04": "藏", "05": "维吾尔", "06": "苗", "07": "彝", "08": "壮",
    "09": "布依", "10": "朝鲜", "11": "满", "12": "侗", "13": "瑶", "14": "白", "15": "土家", "16": "哈尼",
    "17": "哈萨克", "18": "傣", "19": "黎", "20": "傈僳", "21": "佤", "22": "畲", "23": "高山", "24": "拉祜",
    "25": "水", "26": "东乡", "27": "纳西", "28": "景颇", "29": "柯尔克孜", "30": "土", "31": "达斡尔",
    "32": "仫佬", "33": "羌", "34": "布朗", "35": "撒拉", "36": "毛南", "37": "仡佬", "38": "锡伯", "39": "阿昌",
    "40": "普米", "41": "塔吉克", "42": "怒", "43": "乌孜别克", "44": "俄罗斯", "45": "鄂温克", "46": "德昂",
    "47": "保安", "48": "裕固", "49": "京", "50": "塔塔尔", "51": "独龙", "52": "鄂伦春", "53": "赫哲",
    "54": "门巴", "55": "珞巴", "56": "基诺", "97": "其他", "98": "外国血统中国籍人士",
}
GENDERS = {"0": "未知", "1": "男", "2": "女", "9": "未说明"}

# (offset, length in bytes) per field and card type.
_RESIDENT = {
    "name": (0, 30), "gender": (30, 2), "nation": (32, 4), "birth": (36, 16), "address": (52, 70),
    "id_number": (122, 36), "issuer": (158, 30), "valid_from": (188, 16), "valid_until": (204, 16),
}
_GAT = dict(_RESIDENT, pass_number=(220, 18), issue_count=(238, 4))
_FOREIGN_2017 = {
    "name_en": (0, 120), "gender": (120, 2), "id_number": (122, 30), "nationality": (152, 6),
    "name": (158, 30), "valid_from": (188, 16), "valid_until": (204, 16), "birth": (220, 16),
    "version": (236, 4), "issuer": (240, 8),
}
_FOREIGN_2023 = {
    "name": (0, 30), "gender": (30, 2), "issue_count": (32, 4), "birth": (36, 16), "name_en": (52, 70),
    "id_number": (122, 36), "valid_from": (188, 16), "valid_until": (204, 16), "name_en_2": (220, 22),
    "nationality": (242, 6),
}


def _field(block: bytes, span: tuple[int, int]) -> str:
    off, n = span
    try:
        return block[off:off + n].decode("utf-16-le").rstrip(" \x00")
    except UnicodeDecodeError:
        raise DeviceError(DeviceErrorCode.IDCARD_READ_FAILED, f"field at {off} is not UTF-16LE") from None


def _date(text: str, what: str, *, allow_long_term: bool = False) -> dt.date | None:
    if allow_long_term and text == LONG_TERM:
        return None
    try:
        return dt.date(int(text[0:4]), int(text[4:6]), int(text[6:8]))
    except (ValueError, IndexError):
        raise DeviceError(DeviceErrorCode.IDCARD_READ_FAILED, f"{what} {text!r} is not a date") from None


def card_type(block: bytes) -> CardType:
    marker = block[248:250]
    if marker == b"J\x00":
        return CardType.GAT_RESIDENCE
    if marker == b"I\x00":
        return CardType.FOREIGN_2017
    if marker == b"Y\x00":
        return CardType.FOREIGN_2023
    return CardType.RESIDENT


def parse_text_block(block: bytes, photo: bytes = b"", fingerprint: bytes = b"") -> IdCardData:
    """Parse the text block; a number that fails its check character is refused (IDCARD_BAD_NUMBER)."""
    if len(block) != TEXT_LEN:
        raise DeviceError(DeviceErrorCode.IDCARD_READ_FAILED, f"text block has {len(block)} bytes, not 256")
    kind = card_type(block)
    layout = {
        CardType.RESIDENT: _RESIDENT, CardType.GAT_RESIDENCE: _GAT,
        CardType.FOREIGN_2017: _FOREIGN_2017, CardType.FOREIGN_2023: _FOREIGN_2023,
    }[kind]
    f = {key: _field(block, span) for key, span in layout.items()}
    number = f["id_number"].upper()
    # Resident cards, GAT permits and the 2023 foreign card use the GB 11643 check; the 2017 foreign card
    # has a 15-character number without it.
    if kind != CardType.FOREIGN_2017:
        why = idnumber.problem(number)
        if why:
            raise DeviceError(DeviceErrorCode.IDCARD_BAD_NUMBER, why)
    elif len(number) != 15:
        raise DeviceError(DeviceErrorCode.IDCARD_BAD_NUMBER, "foreign permanent resident number needs 15 characters")
    nation_code = f.get("nation", "")
    name_en = f.get("name_en", "")
    if f.get("name_en_2"):
        # A 2023 card splits a long Latin name after its 35th character; that character may be the space
        # between two words, which the per-field trim above would have eaten.
        name_en = block[52:122].decode("utf-16-le") + f["name_en_2"]
    return IdCardData(
        card_type=kind,
        name=f.get("name", "") or name_en,
        name_en=name_en.strip(),
        gender=GENDERS.get(f["gender"], "未知"),
        nation=NATIONS.get(nation_code, "") if kind == CardType.RESIDENT else "",
        birth_date=_date(f["birth"], "birth date"),
        address=f.get("address", ""),
        id_number=number,
        issuer=f.get("issuer", ""),
        valid_from=_date(f["valid_from"], "valid from"),
        valid_until=_date(f["valid_until"], "valid until", allow_long_term=True),
        nationality=f.get("nationality", ""),
        pass_number=f.get("pass_number", ""),
        issue_count=f.get("issue_count", ""),
        photo_wlt=bytes(photo),
        fingerprint=bytes(fingerprint),
    )


def _put(block: bytearray, span: tuple[int, int], text: str) -> None:
    off, n = span
    raw = text.encode("utf-16-le")
    if len(raw) > n:
        raise ValueError(f"{text!r} does not fit {n} bytes")
    block[off:off + n] = raw + " ".encode("utf-16-le") * ((n - len(raw)) // 2)


def build_text_block(card: IdCardData) -> bytes:
    """The inverse of ``parse_text_block``: how a card stores this data (used by the simulator)."""
    block = bytearray(" ".encode("utf-16-le") * (TEXT_LEN // 2))
    gender_code = {v: k for k, v in GENDERS.items()}.get(card.gender, "0")
    nation_code = {v: k for k, v in NATIONS.items()}.get(card.nation, "")
    until = LONG_TERM if card.valid_until is None else card.valid_until.strftime("%Y%m%d")
    common = {
        "gender": gender_code, "birth": card.birth_date.strftime("%Y%m%d"), "id_number": card.id_number,
        "valid_from": card.valid_from.strftime("%Y%m%d"), "valid_until": until,
    }
    if card.card_type in (CardType.RESIDENT, CardType.GAT_RESIDENCE):
        layout = _RESIDENT if card.card_type == CardType.RESIDENT else _GAT
        values = dict(common, name=card.name, nation=nation_code, address=card.address, issuer=card.issuer)
        if card.card_type == CardType.GAT_RESIDENCE:
            values.update(pass_number=card.pass_number, issue_count=card.issue_count)
            block[248:250] = b"J\x00"
    elif card.card_type == CardType.FOREIGN_2017:
        layout = _FOREIGN_2017
        values = dict(common, name_en=card.name_en, name=card.name, nationality=card.nationality,
                      version="", issuer=card.issuer)
        block[248:250] = b"I\x00"
    else:
        layout = _FOREIGN_2023
        values = dict(common, name=card.name, issue_count=card.issue_count, name_en=card.name_en[:35],
                      name_en_2=card.name_en[35:46], nationality=card.nationality)
        block[248:250] = b"Y\x00"
    for key, value in values.items():
        _put(block, layout[key], value)
    return bytes(block)
