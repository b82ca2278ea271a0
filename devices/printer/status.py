"""Real-time status (DLE EOT 1..4) bytes into a ``PrinterStatus`` (devices.md 2.4)."""
from __future__ import annotations

from dataclasses import dataclass

from ..errors import DeviceErrorCode


def valid_status_byte(b: int) -> bool:
    """Every real-time status byte has bits 1 and 4 set and bits 0 and 7 clear (python-escpos's check)."""
    return (b & 0x81) == 0 and (b & 0x12) == 0x12


@dataclass(frozen=True)
class PrinterStatus:
    offline: bool = False
    cover_open: bool = False
    paper_end_stop: bool = False
    error: bool = False
    cutter_error: bool = False
    unrecoverable: bool = False
    auto_recoverable: bool = False
    paper_near_end: bool = False
    paper_out: bool = False

    @classmethod
    def from_bytes(cls, s1: int, s2: int, s3: int, s4: int) -> "PrinterStatus":
        for b in (s1, s2, s3, s4):
            if not valid_status_byte(b):
                raise ValueError(f"not a status byte: {b:02X}")
        return cls(
            offline=bool(s1 & 0x08),
            cover_open=bool(s2 & 0x04),
            paper_end_stop=bool(s2 & 0x20),
            error=bool(s2 & 0x40),
            cutter_error=bool(s3 & 0x08),
            unrecoverable=bool(s3 & 0x20),
            auto_recoverable=bool(s3 & 0x40),
            paper_near_end=(s4 & 0x0C) == 0x0C,
            paper_out=(s4 & 0x60) == 0x60,
        )

    def to_bytes(self) -> tuple[int, int, int, int]:
        """The four bytes a printer in this state answers (used by the simulator)."""
        s1 = 0x12 | (0x08 if self.offline else 0)
        s2 = 0x12 | (0x04 if self.cover_open else 0) | (0x20 if self.paper_end_stop else 0) \
            | (0x40 if self.error else 0)
        s3 = 0x12 | (0x08 if self.cutter_error else 0) | (0x20 if self.unrecoverable else 0) \
            | (0x40 if self.auto_recoverable else 0)
        s4 = 0x12 | (0x0C if self.paper_near_end else 0) | (0x60 if self.paper_out else 0)
        return s1, s2, s3, s4

    def fault(self) -> DeviceErrorCode | None:
        """The most specific fault that stops printing, or None when the printer can print."""
        if self.paper_out or self.paper_end_stop:
            return DeviceErrorCode.PRINTER_PAPER_OUT
        if self.cover_open:
            return DeviceErrorCode.PRINTER_COVER_OPEN
        if self.cutter_error:
            return DeviceErrorCode.PRINTER_CUTTER
        if self.unrecoverable:
            return DeviceErrorCode.PRINTER_UNRECOVERABLE
        if self.offline or self.error:
            return DeviceErrorCode.PRINTER_OFFLINE
        return None
