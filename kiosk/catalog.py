"""The service catalog the kiosk offers: loaded from config/catalog/ or synced from the platform.

A synced catalog is accepted only when its items validate and its digest matches the version the platform
announced; the last good copy is kept under the data directory so the kiosk works offline.
"""
from __future__ import annotations

import json
import logging
from pathlib import Path

from .platform.catalog_schema import CatalogError, Item, catalog_digest, load_catalog_dir, parse_item
from .private import write_private

log = logging.getLogger(__name__)


class Catalog:
    def __init__(self, items: list[Item], source: str = "") -> None:
        self.items = list(items)
        self._by_code = {i.code: i for i in items}
        self.version = catalog_digest(self.items)
        self.source = source

    @classmethod
    def from_dir(cls, directory: Path) -> "Catalog":
        return cls(load_catalog_dir(directory), source=str(directory))

    @classmethod
    def from_payload(cls, version: str, items: list[dict], origin: str) -> "Catalog":
        """Validate a synced catalog; refuse it when an item is wrong or the digest does not match."""
        parsed = [parse_item(raw, f"{origin} item #{n}") for n, raw in enumerate(items)]
        digest = catalog_digest(parsed)
        if digest != version:
            raise CatalogError(f"{origin}: catalog digest {digest[:12]} does not match announced {version[:12]}")
        return cls(parsed, source=origin)

    def save(self, path: Path) -> None:
        write_private(path, json.dumps({"version": self.version, "items": [i.model_dump(mode="json")
                                                                          for i in self.items]},
                                       ensure_ascii=False).encode("utf-8"), fsync=False)

    @classmethod
    def load_saved(cls, path: Path) -> "Catalog":
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls.from_payload(data["version"], data["items"], str(path))

    def get(self, code: str) -> Item | None:
        return self._by_code.get(code)

    def __len__(self) -> int:
        return len(self.items)

    def __iter__(self):
        return iter(self.items)
