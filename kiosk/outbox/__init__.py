"""Store-and-forward of applications (``store``: the Outbox), what it stores (``records``) and its key
(``keys``). Everything the rest of the kiosk uses is importable from ``kiosk.outbox``."""
from __future__ import annotations

from .keys import LEGACY_KEY, OUTBOX_KEY, outbox_keystore
from .records import DeliveryResult, OutboxError, OutboxFullError, OutboxState, Package, Record, Sender
from .store import Outbox, open_outbox

__all__ = ["Outbox", "open_outbox", "outbox_keystore", "OUTBOX_KEY", "LEGACY_KEY", "OutboxState", "OutboxError",
           "OutboxFullError", "Record", "Package", "DeliveryResult", "Sender"]
