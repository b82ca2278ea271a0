"""Issuing the result of an approved case: once per case, signed, stored by content, indexed, on the timeline.

``issue(p, reference)`` is called when a case is approved (秒批 at submission, or a reviewer's decision,
``central.workflow.on_approved``) and again, lazily, when a kiosk asks for a result that a failure left
unissued. A retried approval finds the index row and issues nothing; two racing issuers are kept apart by
a lock, and the index's primary key (the reference) would refuse the second anyway.
"""
from __future__ import annotations

import base64
import io
import logging
import re
import secrets
import socket
import threading
import time

from kiosk.platform.catalog_schema import Item, ItemType

from ..context import Platform
from ..notify import record_event
from ..sharing import mask_number
from ..store.base import Duplicate, Row
from . import keys
from .document import ResultData, render

log = logging.getLogger(__name__)

CODE = re.compile(r"^[A-Z2-7]{16}$")  # base32 of 80 random bits: unguessable, not derived from anything
SIGNATURE_FIELD = "PlatformSignature"
_lock = threading.Lock()  # index + event together: one "issued" event per case
KINDS = {ItemType.LICENSING: ("电子证照", "Electronic licence"),
         ItemType.CONFIRMATION: ("电子证明", "Electronic certificate"),
         ItemType.FILING: ("备案证明", "Filing certificate")}
DEFAULT_KIND = ("办理结果", "Decision document")


class IssueFailed(RuntimeError):
    """The document could not be made or signed (font missing, key unreadable ...): nothing was indexed."""


def new_code() -> str:
    return base64.b32encode(secrets.token_bytes(10)).decode("ascii")


def normal_code(text: str) -> str | None:
    """A typed or scanned code (spaces, dashes, lower case, or the whole verify URL) as stored, else None."""
    tail = text.strip().rsplit("/", 1)[-1]
    code = re.sub(r"[\s-]", "", tail).upper()
    return code if CODE.match(code) else None


def mask_holder(name: str) -> str:
    """张三明 -> 张*明, 张三 -> 张*, 欧阳娜娜 -> 欧**娜: the first and (from three characters) the last kept."""
    name = name.strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]


def verify_url(p: Platform, code: str) -> str:
    """What the document's QR opens: ``PlatformConfig.public_url`` (a deployment sets it: ``kiosk central
    --public-url``), else the embedded platform's own address, else this host (a warning says so)."""
    base = p.config.public_url or getattr(p, "results_base", None)
    if not base:
        log.warning("no public URL configured: the result's QR points at http://%s", socket.getfqdn())
        base = f"http://{socket.getfqdn()}"
    return f"{base.rstrip('/')}/verify/{code}"


def sign_pdf(pdf: bytes, key_dir, reason: str) -> bytes:
    """PAdES baseline signature (ETSI.CAdES.detached) by the platform's key over the whole file."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(field_name=SIGNATURE_FIELD, subfilter=fields.SigSeedSubFilter.PADES,
                                        md_algorithm="sha256", reason=reason, location="政务服务平台")
    out = signers.sign_pdf(writer, meta, signer=keys.signer(key_dir))
    return out.getvalue()


def _kind(item: Item | None) -> tuple[str, str]:
    return KINDS.get(item.type, DEFAULT_KIND) if item is not None else DEFAULT_KIND


def make(p: Platform, app: Row, code: str, issued_at: str) -> bytes:
    """The signed PDF of ``app`` (not stored)."""
    item = p.by_code.get(app["item_code"])
    applicant = (app.get("manifest") or {}).get("applicant") or {}
    kind_zh, kind_en = _kind(item)
    data = ResultData(kind_zh=kind_zh, kind_en=kind_en,
                      item_zh=item.name.zh if item else app["item_code"], item_en=item.name.en if item else "",
                      agency_zh=item.agency.zh if item else "政务服务中心",
                      holder_masked=mask_holder(applicant.get("name", "")),
                      id_masked=mask_number(applicant.get("id_number", "").upper()),
                      reference=app["reference"], issued_on=issued_at[:10], code=code,
                      verify_url=verify_url(p, code))
    return sign_pdf(render(data), keys.ensure(p.config.data_dir), f"{kind_zh} {app['reference']}")


def issue(p: Platform, reference: str) -> Row:
    """The case's issued document (index row), issuing it now if it has none. The case must be approved
    (or completed); raises ``IssueFailed`` when making or signing fails (nothing is indexed then).
    The document is made outside the lock; two racing issuers index one (the loser's file is an unused
    content-addressed blob) and the timeline gets one "issued" event."""
    existing = p.store.result_for(reference)
    if existing is not None:
        return existing
    app = p.store.find_by_reference(reference)
    if app is None or app["status"] not in ("approved", "completed"):
        raise IssueFailed(f"application {reference} is not approved")
    code, issued_at = new_code(), p.config.now_iso()
    started = time.perf_counter()
    try:
        pdf = make(p, app, code, issued_at)
    except Exception as exc:  # a font, the key, pyHanko: the approval stands, the document is retried
        log.exception("could not issue the result of %s", reference)
        raise IssueFailed(f"result of {reference}: {type(exc).__name__}: {str(exc)[:200]}") from exc
    sha = p.files.put_blob(pdf)
    applicant = (app.get("manifest") or {}).get("applicant") or {}
    kind_zh, kind_en = _kind(p.by_code.get(app["item_code"]))
    row = {"reference": reference, "code": code, "item_code": app["item_code"], "kind": kind_zh,
           "holder_masked": mask_holder(applicant.get("name", "")),
           "id_masked": mask_number(applicant.get("id_number", "").upper()), "issued_at": issued_at,
           "sha256": sha, "size": len(pdf)}
    with _lock:
        try:
            row = p.store.add_result(row)
        except Duplicate:  # another issuer (thread or process) indexed it first: theirs is the document
            found = p.store.result_for(reference)
            if found is None:
                raise IssueFailed(f"result of {reference}: conflicting code, try again") from None
            return found
        record_event(p, reference, issued_at, "issued",  # on the timeline, and the applicant's SMS (notify)
                     {"zh": f"已签发{kind_zh}，核验码 {code}", "en": f"{kind_en} issued, verification code {code}"})
    log.info("issued the result of %s (%s, %d bytes) in %.0f ms", reference, sha[:12], len(pdf),
             (time.perf_counter() - started) * 1000)
    return row


def issue_quietly(p: Platform, reference: str) -> Row | None:
    """At approval: issue, but never let a failure undo the decision (the kiosk's request for the result
    retries it). Called after the decision is stored, outside the platform's submission lock: making and
    signing takes ~0.25 s and other kiosks' submissions must not wait for it."""
    try:
        return issue(p, reference)
    except Exception:  # IssueFailed, or anything from the store: logged, retried on the kiosk's request
        log.exception("result of %s not issued now; it will be on the kiosk's request", reference)
        return None
