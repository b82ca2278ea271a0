"""Receipt printer: ESC/POS encoder, real-time status, driver and simulator.

The simulator (``devices.printer.sim``) is not imported here: the composition root registers it
(``devices.simulators.register_all``)."""
from .driver import PrintResult, ReceiptPrinter
from .escpos import PROFILES, EscPos, Profile

__all__ = ["PROFILES", "EscPos", "PrintResult", "Profile", "ReceiptPrinter"]
