"""Data sharing (数据共享, 减材料): what the government holds for an applicant, minimised to what an item uses.

The vocabulary (keys, their types, e-licence types) is config/shared_data.toml; the values are synthetic
(``central.people``). When the request names an item, only the keys its form and 秒批 rules read, and the
licences its materials name, are returned (最小必要: the least data that does the job).
"""
from __future__ import annotations

import datetime as dt
import hashlib
import re
import tomllib
from pathlib import Path
from typing import Any

from kiosk.platform.catalog_schema import Item, MaterialSource
from kiosk.platform.schema import HeldLicence, SharingResponse

from .people import Value, values_for

CREDIT_KEY = "credit.blacklisted"


def mask_number(number: str) -> str:
    if len(number) <= 8:
        return number[:2] + "*" * max(0, len(number) - 2)
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def item_keys(item: Item) -> set[str]:
    keys = {f.source[len("shared."):] for f in item.form if f.source.startswith("shared.")}
    keys |= {r.field[len("shared."):] for r in item.instant_approval.rules if r.field.startswith("shared.")}
    if item.instant_approval.enabled and item.instant_approval.credit_gate:
        keys.add(CREDIT_KEY)
    return keys


def item_licence_types(item: Item) -> set[str]:
    return {m.licence_type for m in item.materials if m.source == MaterialSource.E_LICENCE and m.licence_type}


def short_name(description: str) -> str:
    """What a citizen reads for a shared record: its description without a closing aside in brackets and what
    follows its first comma ("距最高学历毕业的整年数（申请当日计算，毕业当年为0）" -> "距最高学历毕业的整年数",
    "Full years since graduation, on the day of application (0 ...)" -> "Full years since graduation"), never
    its key. Brackets inside the name stay ("最高学位在国（境）外取得")."""
    text = re.sub(r"（[^）]*）(?=$|，)|\s*\([^)]*\)(?=$|, )", "", description)
    return re.split(r"，|, ", text, maxsplit=1)[0].strip() or description


class Sharing:
    def __init__(self, vocabulary_file: Path) -> None:
        data = tomllib.loads(Path(vocabulary_file).read_text(encoding="utf-8"))
        self.keys: dict[str, dict[str, Any]] = {k["key"][len("shared."):]: k for k in data.get("keys", [])}
        self.licence_types: dict[str, dict[str, Any]] = {t["code"]: t for t in data.get("licence_types", [])}
        # key -> (zh, en): how a reason names a shared record (rules.missing_reason)
        self.names: dict[str, tuple[str, str]] = {
            key: (short_name(k["description"]["zh"]), short_name(k["description"]["en"]))
            for key, k in self.keys.items() if k.get("description")}

    def licence_id(self, id_number: str, licence_type: str) -> str:
        # Stable and not reversible to the ID number: what a kiosk cites in MaterialRef.licence_id.
        return "EL-" + hashlib.sha256(f"{id_number}|{licence_type}".encode()).hexdigest()[:20]

    def lookup(self, id_number: str, today: dt.date, item: Item | None = None, name: str = "") -> SharingResponse:
        values, licences, recorded_name = values_for(id_number, today)
        wanted = item_keys(item) if item is not None else set(self.keys)
        types = item_licence_types(item) if item is not None else set(self.licence_types)
        out: dict[str, Value] = {k: v for k, v in values.items() if k in wanted and k in self.keys}
        held = []
        for lic in licences:
            if lic.licence_type not in types:
                continue
            meta = self.licence_types.get(lic.licence_type, {})
            held.append(HeldLicence(
                licence_type=lic.licence_type, licence_id=self.licence_id(id_number, lic.licence_type),
                name=meta.get("name", {}).get("zh", ""), number=mask_number(lic.number),
                issuer=meta.get("issuer", {}).get("zh", ""), issued_on=lic.issued_on, valid_until=lic.valid_until,
                trust=meta.get("trust", "A")))
        matches = None if not name else (recorded_name is not None and recorded_name == name)
        return SharingResponse(id_number_masked=mask_number(id_number), values=out, licences=held,
                               name_matches=matches)

    def decision_values(self, id_number: str, today: dt.date) -> tuple[dict[str, Value], set[str]]:
        """Every value held and the licence types held: what the 秒批 rules read (never the kiosk's copy)."""
        values, licences, _ = values_for(id_number, today)
        return values, {lic.licence_type for lic in licences}
