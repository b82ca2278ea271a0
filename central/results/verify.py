"""What a verification code or an uploaded PDF proves, and nothing more.

By code: the index row, told as genuine / item / masked holder / issue date / the document's SHA-256.
By file: pyHanko validates the platform's signature against the platform's own CA (no network), and the
file is genuine only if the signature is intact, valid, trusted, covers the whole file (nothing appended
after signing) and the file is byte for byte the document issued under the code it carries.
"""
from __future__ import annotations

import hashlib
import io
import logging

from pydantic import BaseModel

from ..context import Platform
from ..store.base import Row
from . import keys
from .document import SUBJECT_PREFIX
from .issue import normal_code

log = logging.getLogger(__name__)


class VerifiedCode(BaseModel):
    """GET /verify/{code}: a genuine code's document, masked."""

    genuine: bool = True
    code: str
    kind: str
    item_code: str
    item_name: dict[str, str]
    holder_masked: str
    id_masked: str
    issued_at: str
    sha256: str


class CheckedFile(BaseModel):
    """POST /verify: what the platform's signature on an uploaded PDF says."""

    genuine: bool  # all of the below: the very document the platform issued, unmodified
    signed: bool  # it carries a signature at all
    intact: bool  # the signed bytes hash to what was signed (false: the content was edited)
    signature_valid: bool  # the signature's cryptography checks out
    trusted: bool  # signed by the platform's certificate (chains to its CA)
    whole_file: bool  # the signature covers the whole file (nothing added after signing)
    code: str | None = None  # the verification code the file carries
    issued: bool = False  # that code is known and the file's SHA-256 is the issued document's
    sha256: str
    summary: str = ""  # pyHanko's one-line verdict


class NotAPdf(ValueError):
    pass


def by_code(p: Platform, text: str) -> VerifiedCode | None:
    code = normal_code(text)
    row = p.store.result_by_code(code) if code else None
    return describe(p, row) if row is not None else None


def describe(p: Platform, row: Row) -> VerifiedCode:
    item = p.by_code.get(row["item_code"])
    return VerifiedCode(code=row["code"], kind=row["kind"], item_code=row["item_code"],
                        item_name={"zh": item.name.zh, "en": item.name.en} if item else {"zh": row["item_code"], "en": ""},
                        holder_masked=row["holder_masked"], id_masked=row["id_masked"], issued_at=row["issued_at"],
                        sha256=row["sha256"])


def check_file(p: Platform, data: bytes) -> CheckedFile:
    """``NotAPdf`` when pyHanko cannot read the body as a PDF at all."""
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.status import SignatureCoverageLevel
    from pyhanko_certvalidator import ValidationContext
    sha = hashlib.sha256(data).hexdigest()
    if not data.lstrip()[:5] == b"%PDF-":
        raise NotAPdf("the body does not start with %PDF-")
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        signatures = reader.embedded_signatures
        info = reader.trailer["/Info"] if "/Info" in reader.trailer else None
        subject = str(info["/Subject"]) if info is not None and "/Subject" in info else ""
    except Exception as exc:  # pyHanko raises many kinds on broken input; all mean "not a PDF we can read"
        raise NotAPdf(f"{type(exc).__name__}: {str(exc)[:160]}") from None
    code = normal_code(subject[len(SUBJECT_PREFIX):]) if subject.startswith(SUBJECT_PREFIX) else None
    if not signatures:
        return CheckedFile(genuine=False, signed=False, intact=False, signature_valid=False, trusted=False,
                           whole_file=False, code=code, sha256=sha, summary="not signed")
    context = ValidationContext(trust_roots=[keys.trust_root(keys.ensure(p.config.data_dir))], allow_fetching=False)
    try:
        status = validate_pdf_signature(signatures[-1], context)
    except (SignatureValidationError, ValueError, KeyError, TypeError) as exc:
        log.info("an uploaded PDF's signature could not be validated: %s", exc)
        return CheckedFile(genuine=False, signed=True, intact=False, signature_valid=False, trusted=False,
                           whole_file=False, code=code, sha256=sha, summary=f"unreadable signature: {str(exc)[:120]}")
    whole = status.coverage == SignatureCoverageLevel.ENTIRE_FILE
    row = p.store.result_by_code(code) if code else None
    issued = row is not None and row["sha256"] == sha
    ok = bool(status.intact and status.valid and status.trusted and whole and issued)
    return CheckedFile(genuine=ok, signed=True, intact=bool(status.intact), signature_valid=bool(status.valid),
                       trusted=bool(status.trusted), whole_file=whole, code=code,
                       issued=issued, sha256=sha, summary=status.summary())
