"""What a card read yields. Personal data: never log it whole; use ``masked()``."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum

from .idnumber import mask as mask_id_number
from .photo import PhotoState


class CardType(StrEnum):
    RESIDENT = "resident"  # 居民身份证
    GAT_RESIDENCE = "gat_residence"  # 港澳台居民居住证 ('J')
    FOREIGN_2017 = "foreign_2017"  # 外国人永久居留身份证 ('I')
    FOREIGN_2023 = "foreign_2023"  # 外国人永久居留身份证 2023 ('Y')


def mask_name(name: str) -> str:
    """张三 -> 张*, 欧阳娜娜 -> 欧***; Latin names keep their first letter."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1) if len(name) > 1 else "*"


def mask_address(address: str) -> str:
    """Keep the first 6 characters (province/city/district), hide the rest."""
    return address[:6] + ("*" * 4 if len(address) > 6 else "")


@dataclass(frozen=True, repr=False)
class IdCardData:
    card_type: CardType
    name: str
    gender: str  # 男 / 女 / 未知
    birth_date: dt.date
    id_number: str
    valid_from: dt.date
    valid_until: dt.date | None  # None: 长期 (long-term)
    nation: str = ""  # 汉, 回, ... (resident cards only)
    address: str = ""
    issuer: str = ""
    name_en: str = ""
    nationality: str = ""  # GB/T 2659 code on foreign cards
    pass_number: str = ""  # 通行证号码 on GAT residence permits
    issue_count: str = ""
    photo_wlt: bytes = field(default=b"", compare=False)  # opaque WLT; decoded only by a vendor plug-in
    fingerprint: bytes = field(default=b"", compare=False)
    appended_address: str = ""  # 30 03: the address endorsed after issue (住址变更), "" when none
    photo_state: PhotoState = field(default=PhotoState.NOT_DECODABLE, compare=False)
    photo_bmp: bytes = field(default=b"", compare=False)  # a BMP file when photo_state is DECODED

    @property
    def current_address(self) -> str:
        """Where the holder lives now: the appended (endorsed) address when the card has one."""
        return self.appended_address or self.address

    def __repr__(self) -> str:  # repr is what ends up in logs and tracebacks: keep it masked
        return f"IdCardData({self.masked()})"

    def masked(self) -> str:
        return f"{self.card_type.value} {mask_name(self.name)} {mask_id_number(self.id_number)}"

    def expired(self, today: dt.date | None = None) -> bool:
        today = today or dt.date.today()
        return self.valid_until is not None and self.valid_until < today

    def age(self, today: dt.date | None = None) -> int:
        today = today or dt.date.today()
        b = self.birth_date
        return today.year - b.year - ((today.month, today.day) < (b.month, b.day))
