"""The face check (人证核验, issue 19) as the platform trusts it: only from the signed record in the package.

The kiosk sends its face step's ``FaceResult.as_record()`` as a JSON file named by ``Manifest.face``; the
file's SHA-256 is in the manifest, and the manifest and the files travel in the kiosk's signed submission,
so the record is as trustworthy as the rest of the application. The record names its application, so one
cannot be lifted from another. The platform decides nothing from anything else (a form field, a claim in
the manifest without its file).

- A manifest that names a record it did not send, or one that does not read, is refused (422, 4260/4261).
- An item with ``face_check`` is never approved without a record saying ``pass``, liveness passed and a
  score at or above the engine's threshold: otherwise it goes to manual review with the reason.
"""
from __future__ import annotations

import json
from typing import Any, Callable

from kiosk.platform.catalog_schema import Item
from kiosk.platform.error_codes import ErrorCode
from kiosk.platform.schema import Manifest, Reason

NO_RECORD = Reason(zh="本事项须核验本人，申请中没有人脸核验记录，转人工审核",
                   en="This item needs the applicant's face checked and the application carries no face check "
                      "record: sent to manual review")
NOT_PASSED = Reason(zh="人脸核验未通过，转人工审核", en="The face check did not pass: sent to manual review")
NOT_LIVE = Reason(zh="活体检测未通过，转人工审核", en="The liveness check did not pass: sent to manual review")
LOW_SCORE = Reason(zh="人脸比对分数低于阈值，转人工审核",
                   en="The face comparison scored below its threshold: sent to manual review")


def read_face_record(m: Manifest, read: Callable[[str], bytes | None]) -> tuple[dict[str, Any] | None,
                                                                             tuple[int, str] | None]:
    """(the record's ``face`` part, or None when the manifest names none; a refusal (code, message) or None).
    ``read(name)`` gives a sent file's bytes (already checked against the manifest's SHA-256)."""
    if not m.face:
        return None, None
    if m.face not in {f.name for f in m.files}:
        return None, (ErrorCode.FACE_RECORD_MISSING, f"face record {m.face!r} is not among the sent files")
    data = read(m.face)
    if data is None:
        return None, (ErrorCode.FACE_RECORD_MISSING, f"face record {m.face!r} was not received")
    try:
        raw = json.loads(data.decode("utf-8"))
        face = raw["face"]
        ok = isinstance(face, dict) and isinstance(face.get("decision"), str)
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        ok, raw, face = False, {}, None
    if not ok:
        return None, (ErrorCode.FACE_RECORD_INVALID, "face record is not a face check record")
    if raw.get("application_id") != m.application_id:
        return None, (ErrorCode.FACE_RECORD_INVALID, "face record belongs to another application")
    return face, None


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def face_reasons(item: Item, face: dict[str, Any] | None) -> list[Reason]:
    """Why an item that needs the person seen may not pass 秒批 with this record (empty: it may)."""
    if not item.face_check:
        return []
    if face is None:
        return [NO_RECORD]
    if face.get("decision") != "pass":
        return [NOT_PASSED]
    live = face.get("liveness")
    if not isinstance(live, dict) or live.get("passed") is not True:
        return [NOT_LIVE]
    score, threshold = _number(face.get("score")), _number(face.get("threshold"))
    if score is None or threshold is None or score < threshold:
        return [LOW_SCORE]
    return []
