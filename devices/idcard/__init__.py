"""Resident ID card reader (GA 467 SAM_V): protocol, text-block parsing, driver and simulator.

The simulator (``devices.idcard.sim``) is not imported here: the composition root registers it
(``devices.simulators.register_all``), so a kiosk with real hardware never loads it."""
from .driver import IdCardReader
from .model import CardType, IdCardData

__all__ = ["CardType", "IdCardData", "IdCardReader"]
