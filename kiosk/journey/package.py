"""The application package: a manifest plus files, built from a finished session."""
from __future__ import annotations

import datetime as dt
import hashlib
import json

from ..platform.schema import Applicant, DeliveryInfo, FileRef, Manifest, MaterialRef, PaymentInfo
from .session import Session

TZ = dt.timezone(dt.timedelta(hours=8), "CST")
FACE_FILE = "face-check.json"


def face_record_bytes(application_id: str, record: dict) -> bytes:
    """The face check's record as the platform reads it (central/face.py): bound to this application."""
    return json.dumps({"application_id": application_id, "face": record}, ensure_ascii=False,
                      sort_keys=True).encode("utf-8")


def build_package(session: Session, kiosk_id: str, lang: str = "zh_CN") -> tuple[Manifest, dict[str, bytes]]:
    from ..documents.application_form import application_form_pdf  # noqa: PLC0415 - reportlab: on the first submit
    from ..documents.materials import material_pdf  # noqa: PLC0415

    item = session.item
    if item is None:
        raise ValueError("no item chosen")
    files: dict[str, bytes] = {}
    materials: list[MaterialRef] = []
    plan = session.material_plan
    held = {m.id: lic for m, lic in plan.held} if plan is not None else {}
    for m in item.materials:
        pages = session.pages.get(m.id, [])
        lic = held.get(m.id)
        ref = MaterialRef(id=m.id, source=m.source.value, pages=len(pages), licence_type=m.licence_type,
                          licence_id=lic.licence_id if lic is not None else None)
        if pages:  # the citizen's own papers, or an e-licence the government did not hold, on paper
            name = f"material-{m.id}.pdf"
            files[name] = material_pdf(m.name.zh, pages, subject=item.name.zh)
            ref = ref.model_copy(update={"file": name})
        materials.append(ref)
    signature = None
    if session.signature is not None:
        signature = "signature.png"
        files[signature] = bytes(session.signature)
    card = session.card
    applicant = None
    if card is not None:
        applicant = Applicant(name=card.name, id_number=card.id_number, card_type=card.card_type.value,
                              gender=card.gender, birth_date=card.birth_date.isoformat(), nation=card.nation,
                              address=card.address)
    face = None
    if item.face_check and session.face.result is not None:
        face = FACE_FILE
        files[face] = face_record_bytes(session.application_id, session.face.result.as_record())
    d = session.delivery
    manifest = Manifest(
        application_id=session.application_id, item_code=item.code, kiosk_id=kiosk_id,
        created_at=dt.datetime.now(TZ).isoformat(timespec="seconds"), applicant=applicant, form=dict(session.form),
        materials=materials, signature=signature, face=face,
        # The address is the region's code and the detail line, kept apart (never a household address);
        # only an express delivery carries one.
        delivery=DeliveryInfo(method=d.method, recipient=d.recipient, phone=d.phone,
                              region=d.region if d.method == "express" else "",
                              address=d.address if d.method == "express" else ""),
        payment=PaymentInfo(order_id=session.payment.order_id, amount_fen=session.payment.amount_fen,
                            status=session.payment.status),
        language="en_US" if lang == "en_US" else "zh_CN")  # the platform's messages follow it (issue 18)
    # The filled-in, signed application form (申请表) travels with the materials, as at a counter.
    files["application-form.pdf"] = application_form_pdf(item, manifest.model_dump(mode="json"),
                                                         number=session.application_id[:8].upper(),
                                                         signature_png=bytes(session.signature or b"") or None)
    refs = [FileRef(name=n, sha256=hashlib.sha256(data).hexdigest(), size=len(data),
                    mime="image/png" if n.endswith(".png") else
                    "application/json" if n.endswith(".json") else "application/pdf") for n, data in files.items()]
    return manifest.model_copy(update={"files": refs}), files
