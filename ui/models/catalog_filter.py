"""Which catalogue items the list shows for the chosen filter chip or search (pure: no Qt)."""
from __future__ import annotations

from typing import Any

from kiosk.search import CatalogSearch


def filter_items(items: list[Any], kind: str, value: str, search: CatalogSearch) -> list[Any]:
    """Items of a department or life event, the bills, a search's hits, or (no filter) every service item."""
    if kind == "department":
        return [i for i in items if i.department.zh == value]
    if kind == "event":
        return [i for i in items if any(e.zh == value for e in i.life_events)]
    if kind == "bills":
        return [i for i in items if i.kind == "bill_payment"]
    if kind == "search":
        return search.search(value)
    return [i for i in items if i.kind != "bill_payment"]
