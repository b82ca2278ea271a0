"""docs/troubleshooting.md's table of numbered error codes, generated from the two registries
(``devices.errors`` 1000-1499, ``kiosk.errors`` 2000-3999) so the document cannot fall behind the code.

``kiosk doctor --codes`` prints the table; ``kiosk doctor --codes --write docs/troubleshooting.md``
replaces the part of the document between the two markers; a test fails when they differ.
"""
from __future__ import annotations

from pathlib import Path

from devices.errors import all_errors

from ..errors import kiosk_errors

BEGIN = "<!-- BEGIN GENERATED CODES: kiosk doctor --codes --write docs/troubleshooting.md -->"
END = "<!-- END GENERATED CODES -->"
RANGES = [(1000, 1099, "Devices in general"), (1100, 1199, "ID card reader"), (1200, 1299, "Receipt printer"),
          (1300, 1399, "Barcode scanner"), (1400, 1499, "Document camera"), (2000, 2999, "The citizen's journey"),
          (3000, 3999, "The platform link")]
KIND = {"hardware": "hardware", "software": "configuration", "user": "citizen"}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def codes_markdown() -> str:
    rows: list[tuple[int, str, str, str, str]] = []
    for info in all_errors():
        rows.append((info.code, info.zh, info.en, KIND.get(str(info.kind), str(info.kind)), info.remedy))
    for code, zh, en, remedy in kiosk_errors():
        rows.append((code, zh.replace("{0}", "…"), en.replace("{1}", "…"), "kiosk", remedy))
    rows.sort()
    out = []
    for lo, hi, title in RANGES:
        section = [r for r in rows if lo <= r[0] <= hi]
        if not section:
            continue
        out.append(f"### {lo}–{hi}: {title}\n")
        out.append("| Code | On screen (中文) | What happened | Kind | What to do |")
        out.append("|---:|---|---|---|---|")
        for code, zh, en, kind, remedy in section:
            out.append(f"| **{code}** | {_cell(zh)} | {_cell(en)} | {kind} | {_cell(remedy)} |")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def generated_section(doc: str) -> str | None:
    """The generated part of a document, or None when the markers are missing."""
    if BEGIN not in doc or END not in doc:
        return None
    return doc.split(BEGIN, 1)[1].split(END, 1)[0].strip("\n") + "\n"


def write_into(path: Path) -> bool:
    """Replace the generated part of ``path``; returns True when the file changed."""
    doc = path.read_text(encoding="utf-8")
    if generated_section(doc) is None:
        raise ValueError(f"{path}: the markers {BEGIN!r} and {END!r} are missing")
    head, rest = doc.split(BEGIN, 1)
    tail = rest.split(END, 1)[1]
    new = f"{head}{BEGIN}\n{codes_markdown()}{END}{tail}"
    if new == doc:
        return False
    path.write_text(new, encoding="utf-8")
    return True
