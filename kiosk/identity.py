"""The citizen's identity as the journey uses it: the card read, values for form fields, masking for logs."""
from __future__ import annotations

import datetime as dt

from devices.idcard.idnumber import is_valid as id_number_valid
from devices.idcard.idnumber import mask as mask_id_number
from devices.idcard.model import CardType, IdCardData, mask_address, mask_name

__all__ = [
    "CardType", "IdCardData", "card_value", "id_number_valid", "mask_address", "mask_id_number", "mask_name",
    "masked", "CARD_TYPE_ZH", "id_number_label_zh",
]

# The names of the card types and of the number each carries, as printed on the card (GA 467 types).
CARD_TYPE_ZH = {"resident": "居民身份证", "gat_residence": "港澳台居民居住证",
                "foreign_2017": "外国人永久居留身份证", "foreign_2023": "外国人永久居留身份证"}


def id_number_label_zh(card_type: str) -> str:
    """公民身份号码 on resident cards and HK/Macao/Taiwan residence permits, 永久居留身份证号码 on a foreigner's."""
    return "永久居留身份证号码" if card_type.startswith("foreign") else "公民身份号码"

CARD_FIELDS = ("name", "gender", "nation", "birth_date", "address", "id_number", "issuer", "valid_from",
               "valid_until")


def card_value(card: IdCardData, attr: str) -> str:
    """The text a form shows for ``card.<attr>``; dates as YYYY-MM-DD, a long-term card as 长期."""
    if attr not in CARD_FIELDS:
        raise KeyError(f"card has no field {attr!r}")
    value = card.current_address if attr == "address" else getattr(card, attr)  # 30 03's new address wins
    if attr == "valid_until" and value is None:
        return "长期"
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value or "")


def masked(card: IdCardData | None) -> str:
    """For logs and the audit trail: card type, name and number masked, never the address."""
    return card.masked() if card is not None else "-"
