"""Finding an item the way citizens type: Chinese, full pinyin, or pinyin initials ("wfz" -> 无犯罪记录证明).

Each item is indexed once: its names, short name, keywords, department and category, each as the Chinese
text, its toneless pinyin without spaces, and its initials. A query matches when it is a substring of any
of these; matches in the name rank first, then keywords, then department/category, then English.
"""
from __future__ import annotations

import json
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .platform.catalog_schema import Item, catalog_digest
from .private import write_private

log = logging.getLogger(__name__)

MAX_QUERY = 40


def normalise(query: str) -> str:
    q = unicodedata.normalize("NFKC", query).lower()
    return re.sub(r"[\s'’·]+", "", q)[:MAX_QUERY]


def _forms(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin  # noqa: PLC0415 - its phrase dictionary takes ~0.7 s to load

    text = normalise(text)
    if not text:
        return ()
    full = "".join(lazy_pinyin(text, errors="default"))
    initials = "".join(lazy_pinyin(text, style=Style.FIRST_LETTER, errors="default"))
    return (text, full, initials)


@dataclass(frozen=True)
class _Entry:
    item: Item
    fields: tuple[tuple[int, tuple[str, ...]], ...]  # (rank, forms)


class CatalogSearch:
    """``cache``: a JSON file keeping the pinyin forms per catalog version, so start-up needs no pypinyin."""

    def __init__(self, items: list[Item], cache: Path | None = None) -> None:
        self._entries = []
        version = catalog_digest(items)
        cached = self._load(cache, version)
        if cached is not None and len(cached) == len(items):
            for item, fields in zip(items, cached):
                self._entries.append(_Entry(item, tuple((rank, tuple(forms)) for rank, forms in fields)))
            return
        for item in items:
            fields: list[tuple[int, tuple[str, ...]]] = [(0, _forms(item.name.zh))]
            if item.short_name:
                fields.append((0, _forms(item.short_name.zh)))
            fields += [(1, _forms(k)) for k in item.keywords]
            fields += [(2, _forms(item.department.zh)), (2, _forms(item.category.zh))]
            fields += [(2, _forms(e.zh)) for e in item.life_events]
            fields.append((3, (normalise(item.name.en),)))
            self._entries.append(_Entry(item, tuple(f for f in fields if f[1])))
        self._save(cache, version)

    @staticmethod
    def _load(cache: Path | None, version: str) -> list | None:
        if cache is None or not cache.exists():
            return None
        try:
            data = json.loads(cache.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data.get("entries") if data.get("version") == version else None

    def _save(self, cache: Path | None, version: str) -> None:
        if cache is None:
            return
        try:
            write_private(cache, json.dumps({"version": version, "entries": [e.fields for e in self._entries]},
                                            ensure_ascii=False).encode("utf-8"), fsync=False)
        except OSError as exc:
            log.warning("search index not cached: %s", exc)

    def search(self, query: str, limit: int = 50) -> list[Item]:
        q = normalise(query)
        if not q:
            return [e.item for e in self._entries][:limit]
        scored = []
        for order, entry in enumerate(self._entries):
            best = None
            for rank, forms in entry.fields:
                for form in forms:
                    pos = form.find(q)
                    if pos >= 0:
                        score = (rank, 0 if pos == 0 else 1)
                        best = score if best is None or score < best else best
            if best is not None:
                scored.append((best, order, entry.item))
        scored.sort(key=lambda t: (t[0], t[1]))
        return [item for _, _, item in scored[:limit]]
