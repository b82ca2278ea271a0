"""Cards as JSON, for the simulator's ``--card FILE.json`` and for ``kiosk devices read-id --json``.

A card file holds synthetic data only (never a real person's). Keys are the ``IdCardData`` fields; dates are
ISO (``2002-05-14``); ``valid_until`` may be ``null`` or ``"长期"`` for a long-term card; binary fields are
hex (``photo_wlt_hex``, ``fingerprint_hex``). ``"identity": "graduate"`` starts from a synthetic identity
(``synthetic.IDENTITIES``) and the other keys override its fields. An optional ``"sim"`` object sets the
simulator's knobs: ``{"present": true, "fault": "none", "fingerprint_supported": true}``.
The output of ``kiosk devices read-id --json --reveal`` is itself a valid card file.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import json
from pathlib import Path
from typing import Any

from .idnumber import mask as mask_id_number
from .model import CardType, IdCardData, mask_address, mask_name
from .photo import PhotoState
from .synthetic import IDENTITIES
from .textblock import LONG_TERM

_DATES = ("birth_date", "valid_from", "valid_until")
_BINARY = {"photo_wlt_hex": "photo_wlt", "fingerprint_hex": "fingerprint"}
# Keys that read-id --json --reveal writes but that are derived, so its output is a valid card file again.
_IGNORED = {"identity", "sim", "photo_state", "photo_wlt_bytes", "photo_bmp_bytes", "fingerprint_bytes"}
_FIELDS = {f.name for f in dataclasses.fields(IdCardData)}


class CardFileError(ValueError):
    """A card file that cannot describe a card; the message names the key."""


def _date(key: str, value: Any) -> dt.date | None:
    if key == "valid_until" and value in (None, LONG_TERM, "long_term"):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise CardFileError(f"{key}: {value!r} is not a date (YYYY-MM-DD)") from None


def card_from_dict(d: dict[str, Any]) -> IdCardData:
    base_key = d.get("identity")
    if base_key is not None and base_key not in IDENTITIES:
        raise CardFileError(f"identity: {base_key!r} is not one of {', '.join(IDENTITIES)}")
    values: dict[str, Any] = dataclasses.asdict(IDENTITIES[base_key]) if base_key else {}
    for key, value in d.items():
        if key in _IGNORED:
            continue
        if key in _BINARY:
            try:
                values[_BINARY[key]] = bytes.fromhex(value)
            except (TypeError, ValueError):
                raise CardFileError(f"{key}: not hex") from None
        elif key in _DATES:
            values[key] = _date(key, value)
        elif key == "card_type":
            try:
                values[key] = CardType(value)
            except ValueError:
                raise CardFileError(f"card_type: {value!r} is not one of {[c.value for c in CardType]}") from None
        elif key in _FIELDS and key not in ("photo_wlt", "fingerprint", "photo_bmp", "photo_state"):
            values[key] = str(value)
        else:
            raise CardFileError(f"unknown key {key!r}")
    missing = {"card_type", "name", "gender", "birth_date", "id_number", "valid_from"} - values.keys()
    if missing:
        raise CardFileError(f"missing keys: {', '.join(sorted(missing))}")
    values.setdefault("valid_until", None)
    values.pop("photo_bmp", None)
    values.pop("photo_state", None)
    try:
        return IdCardData(**values)
    except TypeError as exc:
        raise CardFileError(str(exc)) from None


def load_card_file(path: str | Path) -> tuple[IdCardData, dict[str, Any]]:
    """(card, sim knobs) from a JSON file."""
    try:
        d = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CardFileError(f"{path}: {exc}") from None
    if not isinstance(d, dict):
        raise CardFileError(f"{path}: a card file holds one JSON object")
    knobs = d.get("sim", {})
    if not isinstance(knobs, dict):
        raise CardFileError("sim: must be an object")
    return card_from_dict(d), knobs


def card_to_dict(card: IdCardData, *, reveal: bool = False) -> dict[str, Any]:
    """JSON-ready fields. Without ``reveal`` the personal ones are masked: the name and the number keep their
    ends, the address its district, the birth date its year; photo and fingerprint are given as sizes."""
    out: dict[str, Any] = {
        "card_type": card.card_type.value, "name": card.name, "name_en": card.name_en, "gender": card.gender,
        "nation": card.nation, "birth_date": card.birth_date.isoformat(), "address": card.address,
        "appended_address": card.appended_address, "id_number": card.id_number, "issuer": card.issuer,
        "valid_from": card.valid_from.isoformat(),
        "valid_until": card.valid_until.isoformat() if card.valid_until else LONG_TERM,
        "nationality": card.nationality, "pass_number": card.pass_number, "issue_count": card.issue_count,
        "photo_state": PhotoState(card.photo_state).value, "photo_wlt_bytes": len(card.photo_wlt),
        "photo_bmp_bytes": len(card.photo_bmp), "fingerprint_bytes": len(card.fingerprint),
    }
    if reveal:
        out["photo_wlt_hex"] = card.photo_wlt.hex()
        out["fingerprint_hex"] = card.fingerprint.hex()
        return out
    out.update(
        name=mask_name(card.name), name_en=mask_name(card.name_en), id_number=mask_id_number(card.id_number),
        address=mask_address(card.address), appended_address=mask_address(card.appended_address),
        birth_date=f"{card.birth_date.year}-**-**", pass_number=mask_id_number(card.pass_number),
    )
    return out
