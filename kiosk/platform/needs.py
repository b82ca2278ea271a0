"""Which service items need the platform at the moment they are done, derived from the catalogue.

An application with no fee and no look-up can be done offline: it waits in the outbox and goes out when
the network is back (the offline receipt says so). An item that needs an answer from the platform while
the citizen stands there cannot: a fee is paid at the platform (payment order, QR code), a utility bill is
looked up at the biller, data the citizen cannot type (government records shown read-only on the form)
come from data sharing, and a 秒批 decision is taken on shared data. Nothing here names an item.
"""
from __future__ import annotations

from enum import StrEnum

from .catalog_schema import Item, Text
from .reachability import Reachability


class PlatformNeed(StrEnum):
    PAYMENT = "payment"  # a fee: the payment order and its QR code come from the platform
    BILL_LOOKUP = "bill_lookup"  # a utility bill: the amount and the account come from the biller
    SHARED_DATA = "shared_data"  # read-only form fields filled from government data sharing
    INSTANT_DATA = "instant_data"  # 秒批 rules decided on shared data


NEED_TEXT: dict[PlatformNeed, Text] = {
    PlatformNeed.PAYMENT: Text(zh="需要在线缴费", en="needs online payment"),
    PlatformNeed.BILL_LOOKUP: Text(zh="需要在线查询账单", en="needs an online bill look-up"),
    PlatformNeed.SHARED_DATA: Text(zh="需要在线调取政府共享信息", en="needs government records online"),
    PlatformNeed.INSTANT_DATA: Text(zh="秒批需要在线核验", en="instant approval needs online checks"),
}


def platform_needs(item: Item) -> tuple[PlatformNeed, ...]:
    """Why ``item`` cannot be done while the platform is unreachable; () when it can queue in the outbox."""
    needs: list[PlatformNeed] = []
    if item.kind == "bill_payment" or item.fee.from_bill:
        needs.append(PlatformNeed.BILL_LOOKUP)
    if item.fee.charged or item.fee.options:
        needs.append(PlatformNeed.PAYMENT)
    # A field the citizen may not edit and that data sharing fills: offline it would stay empty, and the
    # application would go out without the records it is decided on. Editable ones the citizen types.
    if any(f.source.startswith("shared.") and not f.editable for f in item.form):
        needs.append(PlatformNeed.SHARED_DATA)
    if item.instant and any(r.field.startswith("shared.") for r in item.instant_approval.rules):
        needs.append(PlatformNeed.INSTANT_DATA)
    return tuple(needs)


def queueable(item: Item) -> bool:
    """The item can be done offline: the application waits in the outbox until the network is back."""
    return not platform_needs(item)


def needs_text(needs: tuple[PlatformNeed, ...], lang: str) -> str:
    """The reasons, joined for a screen (zh: 、; en: , )."""
    return ("、" if not lang.startswith("en") else ", ").join(NEED_TEXT[n].get(lang) for n in needs)


def blocked(item: Item, link: Reachability | None) -> tuple[PlatformNeed, ...]:
    """What keeps ``item`` from being done now: its needs while the platform is OFFLINE, else ()."""
    return platform_needs(item) if link == Reachability.OFFLINE else ()
