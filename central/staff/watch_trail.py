"""电子监察 (issue 21, Deliver 3): one application's whole trail in one timeline, and the kiosk chain's check.

Three sources, each with its own actor:
- the kiosk's audit records as the platform anchored them (``audit_chain``). A kiosk's record names no
  reference until the end of the citizen's session, so the case's records are found in two steps: the records
  that name the case (``submitted`` carries the platform's reference, ``stored``/``submit_queued`` the local
  number), then every record of the citizen sessions (``session``, a random token) those belong to;
- the platform's events (``events``: received, decided, issued, delivered ...);
- the staff's acts (``staff_actions``: viewed, claimed, decided), with the authenticated actor.

The chain check re-does what the anchor did on arrival, from what it stored: every record of the kiosk's epoch
hashes to its stored hash when chained to the one before (from genesis), and the last is the anchored head.
Personal data is masked again on the way out (the kiosk scrubbed it already; a platform note may hold a phone).
"""
from __future__ import annotations

import datetime as dt
import enum
import re
from dataclasses import dataclass
from typing import Any

from kiosk.platform.audit_chain import GENESIS, record_hash

from ..context import Platform

_ID = re.compile(r"(?<![0-9])[1-9][0-9]{5}(?:18|19|20)[0-9]{2}[01][0-9][0-3][0-9][0-9]{3}[0-9Xx](?![0-9])")
_MOBILE = re.compile(r"(?<![0-9])1[3-9][0-9]{9}(?![0-9])")


def mask_text(text: str) -> str:
    """ID numbers and mobile numbers in free text, masked (前6后4, 前3后4)."""
    text = _ID.sub(lambda m: m.group(0)[:6] + "********" + m.group(0)[-4:], text)
    return _MOBILE.sub(lambda m: m.group(0)[:3] + "****" + m.group(0)[-4:], text)


class ChainState(str, enum.Enum):
    INTACT = "intact"  # every record hashes and chains from genesis up to the anchored head
    BROKEN = "broken"  # a stored record does not hash to its hash, or does not chain to the one before
    ALARM = "alarm"  # the records held are intact, but the anchor refused later ones (rewound, forked, gapped)
    NONE = "none"  # the kiosk has sent no audit record yet


@dataclass(frozen=True)
class ChainCheck:
    state: ChainState
    kiosk_id: str
    epoch: int
    checked: int  # records re-hashed
    head_seq: int
    head_hash: str
    why: str = ""  # what failed, where (empty when intact)


def check_chain(p: Platform, kiosk_id: str) -> tuple[ChainCheck, list[dict[str, Any]]]:
    """Re-check the kiosk's current epoch against its anchored head; also returns the records read."""
    head = p.store.audit_head(kiosk_id)
    records = p.store.audit_records(kiosk_id, int(head["epoch"]))
    base = dict(kiosk_id=kiosk_id, epoch=int(head["epoch"]), checked=len(records), head_seq=int(head["seq"]),
                head_hash=str(head["hash"]))
    if not records and int(head["seq"]) == 0:
        return ChainCheck(ChainState.NONE, **base), records
    prev, want_seq = GENESIS, 1
    for r in records:
        if r["seq"] != want_seq:
            return ChainCheck(ChainState.BROKEN, **base, why=f"seq {want_seq} is missing"), records
        rec = dict(r["data"], seq=r["seq"], ts=r["at"], event=r["kind"], prev=prev)
        if record_hash(rec) != r["hash"]:
            return ChainCheck(ChainState.BROKEN, **base,
                              why=f"seq {r['seq']} does not hash to its anchored hash (changed after anchoring)"), records
        prev, want_seq = r["hash"], want_seq + 1
    if want_seq - 1 != int(head["seq"]) or prev != head["hash"]:
        return ChainCheck(ChainState.BROKEN, **base,
                          why=f"the records end at seq {want_seq - 1}, the anchored head is seq {head['seq']}"), records
    if head.get("alarm"):
        return ChainCheck(ChainState.ALARM, **base, why=mask_text(str(head["alarm"]))), records
    return ChainCheck(ChainState.INTACT, **base), records


class Source(str, enum.Enum):
    KIOSK = "kiosk"  # 终端
    PLATFORM = "platform"  # 平台
    STAFF = "staff"  # 工作人员


@dataclass(frozen=True)
class TrailEntry:
    at: dt.datetime
    source: Source
    actor: str
    what: str
    detail: str
    seq: int = 0  # the kiosk record's seq (0 for the others)


def _parse(text: str, tz: dt.tzinfo) -> dt.datetime:
    try:
        t = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return dt.datetime.min.replace(tzinfo=tz)
    return (t if t.tzinfo else t.replace(tzinfo=tz)).astimezone(tz)


def _detail(data: dict[str, Any], skip: tuple[str, ...] = ()) -> str:
    parts = []
    for k, v in data.items():
        if k in skip or v in ("", None, {}, []):
            continue
        if isinstance(v, dict):
            v = v.get("zh") or ", ".join(f"{a}={b}" for a, b in v.items())
        parts.append(f"{k}={v}")
    return mask_text("; ".join(str(x) for x in parts))[:300]


def case_records(records: list[dict[str, Any]], reference: str, local_number: str) -> list[dict[str, Any]]:
    """The kiosk records of this case: those naming it, and every record of the citizen sessions they belong to."""
    def names_case(d: dict[str, Any]) -> bool:
        return d.get("reference") == reference or bool(local_number and d.get("local_number") == local_number)

    inner = [(r, r["data"].get("data") if isinstance(r["data"].get("data"), dict) else {}) for r in records]
    sessions = {d.get("session") for _, d in inner if names_case(d) and d.get("session")}
    return [r for r, d in inner if names_case(d) or (d.get("session") and d.get("session") in sessions)]


def trail(p: Platform, app: dict[str, Any]) -> tuple[list[TrailEntry], ChainCheck]:
    """The application's timeline, oldest first, and the check of its kiosk's chain."""
    tz = p.config.now().tzinfo
    assert tz is not None
    reference, kiosk_id = app["reference"], app["kiosk_id"]
    local_number = str(app["manifest"].get("local_number") or "")
    check, records = check_chain(p, kiosk_id)
    out: list[TrailEntry] = []
    for r in case_records(records, reference, local_number):
        data = r["data"].get("data") or {}
        out.append(TrailEntry(_parse(r["at"], tz), Source.KIOSK, f"终端 {kiosk_id}", str(r["kind"]),
                              _detail(data if isinstance(data, dict) else {}, ("session",)), int(r["seq"])))
    for e in p.store.events(reference):
        note = e.get("note") or {}
        said = (mask_text(f"{note.get('zh', '')} {note.get('en', '')}".strip())[:300]
                if isinstance(note, dict) and "zh" in note else _detail(note if isinstance(note, dict) else {"note": note}))
        out.append(TrailEntry(_parse(e["at"], tz), Source.PLATFORM, "平台 platform", str(e["status"]), said))
    for a in p.store.staff_actions(reference, 1000):
        out.append(TrailEntry(_parse(a["at"], tz), Source.STAFF, f"{a['actor']}（{a['role']}）", str(a["action"]),
                              _detail(a.get("detail") or {})))
    # The platform's times are whole seconds (the kiosk's have milliseconds): within one second the kiosk's
    # record comes first (it caused what follows), then the platform's event, then the staff's act.
    order = {Source.KIOSK: 0, Source.PLATFORM: 1, Source.STAFF: 2}
    out.sort(key=lambda e: (e.at.replace(microsecond=0), order[e.source], e.seq))
    return out, check
