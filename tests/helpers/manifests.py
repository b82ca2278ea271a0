"""Complete submissions for the reference platform, built from the catalogue (the platform refuses less).

``complete(item_code, who)`` is what a kiosk sends after a citizen filled every field validly, laid every
required material and signed: form values from the card, the field's example or a valid value of its type;
one page per required applicant material; a signature when the item needs one. Tests then spoil one part.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import uuid

from central.people import values_for
from devices.idcard.synthetic import IDENTITIES
from kiosk.catalog import Catalog
from kiosk.identity import card_value
from kiosk.journey.forms import validate
from kiosk.platform.catalog_schema import FieldType, FormField, MaterialSource
from kiosk.platform.schema import Applicant, FileRef, Manifest
from kiosk.settings import CONFIG_DIR

CATALOG = Catalog.from_dir(CONFIG_DIR / "catalog")
PDF = b"%PDF-1.4 material"
PNG = b"\x89PNG\r\n\x1a\n signature"
BY_TYPE = {FieldType.PHONE: "13800138000", FieldType.DATE: "2026-01-15", FieldType.NUMBER: "1",
           FieldType.BOOL: "true"}


def value_for(f: FormField, who: str) -> str:
    if f.source.startswith("card."):
        return card_value(IDENTITIES[who], f.source[5:])
    if f.source.startswith("shared."):
        known = values_for(IDENTITIES[who].id_number, dt.date.today())[0].get(f.source[7:])
        if known not in (None, "") or not f.editable:
            return "" if known is None else str(known)  # as the kiosk prefills it
    if f.example is not None:
        return f.example
    if f.type == FieldType.CHOICE:
        return f.choices[0].value
    if f.type == FieldType.ID_NUMBER:
        return IDENTITIES[who].id_number
    return BY_TYPE.get(f.type, "示例内容")


def _ref(name: str, data: bytes, mime: str) -> FileRef:
    return FileRef(name=name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), mime=mime)


def complete(item_code: str, who: str = "graduate", app_id: str | None = None, kiosk_id: str = "K-TEST",
             form: dict[str, str] | None = None, **extra) -> tuple[Manifest, dict[str, bytes]]:
    """A submission the platform accepts for validation; ``form`` overrides single values."""
    item = CATALOG.get(item_code)
    card = IDENTITIES[who]
    if item is None:  # an unknown item: nothing to complete
        return Manifest(application_id=app_id or str(uuid.uuid4()), item_code=item_code, kiosk_id=kiosk_id,
                        created_at=dt.datetime.now(dt.timezone.utc).isoformat(), form=form or {}, **extra), {}
    values = {f.name: value_for(f, who) for f in item.form}
    values.update(form or {})
    materials, files = [], {}
    for mat in item.materials:
        if mat.source == MaterialSource.APPLICANT and mat.required and mat.min_pages > 0:
            name = f"{mat.id}.pdf"
            files[name] = PDF
            materials.append({"id": mat.id, "source": "applicant", "pages": mat.min_pages, "file": name})
    signature = None
    if item.needs_signature:
        signature = "signature.png"
        files[signature] = PNG
    refs = [_ref(n, d, "image/png" if n.endswith(".png") else "application/pdf") for n, d in files.items()]
    fields = dict(application_id=app_id or str(uuid.uuid4()), item_code=item_code, kiosk_id=kiosk_id,
                  created_at=dt.datetime.now(dt.timezone.utc).isoformat(),
                  applicant=Applicant(name=card.name, id_number=card.id_number,
                                      birth_date=card.birth_date.isoformat()),
                  form=values, materials=materials, signature=signature, files=refs)
    fields.update(extra)
    m = Manifest.model_validate(fields)
    if form is None:
        assert not validate(item, m.form), (item_code, validate(item, m.form))
    return m, files
