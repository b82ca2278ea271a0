"""Receipt printer: ESC/POS encoder, real-time status, driver and simulator."""
from . import sim as _sim  # noqa: F401 - registers sim://printer
from .driver import PrintResult, ReceiptPrinter
from .escpos import PROFILES, EscPos, Profile

__all__ = ["PROFILES", "EscPos", "PrintResult", "Profile", "ReceiptPrinter"]
