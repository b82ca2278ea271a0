"""Resident ID card reader (GA 467 SAM_V): protocol, text-block parsing, driver and simulator."""
from . import sim as _sim  # noqa: F401 - registers sim://idcard
from .driver import IdCardReader
from .model import CardType, IdCardData

__all__ = ["CardType", "IdCardData", "IdCardReader"]
