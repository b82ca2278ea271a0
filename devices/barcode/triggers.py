"""Host trigger commands of serial scanner models (devices.md 3.2), as a small profile per model.

A scanner in host-trigger mode reads only after the host tells it to, and stops on a decode, on the stop
command or at its own read time-out. The kiosk uses this to light the scanner only on screens that accept
a code. Models:

- ``honeywell``: activate ``SYN T CR`` = 16 54 0D, deactivate ``SYN U CR`` = 16 55 0D; no reply. Needs the
  scanner in Manual/Serial trigger mode (menu ``TRGMOD0``) [S17].
- ``gm``: generic Chinese 2D modules (GM-series command protocol, e.g. Hamlet HBCS-2D100) in command-trigger
  mode: ``7E 00 | 08 01 00 02 01 | AB CD`` (write 01 to register 0x0002; AB CD = "do not check the CRC");
  the module answers ``02 00 | 00 01 00 | 33 31`` and scans [S20]. The CRC is CRC-16/XMODEM over the bytes
  between the 2-byte header and the CRC: that reproduces all three frames published in [S20] (33 31 of the
  answer, 20 38 of "set 9600 baud", D8 0F of "save"), so answers are checked. No stop command is published.
- ``generic``: a scanner without host commands (presentation or hardware-trigger mode).

[S17]/[S20]: sources listed in shared/reference/devices.md.
"""
from __future__ import annotations

from dataclasses import dataclass

SYN = 0x16


def crc16_xmodem(data: bytes) -> int:
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc


def gm_command(body: bytes, *, check_crc: bool = False) -> bytes:
    """A GM-protocol host command ``7E 00 body CRC``; without ``check_crc`` the CRC is the AB CD placeholder."""
    crc = crc16_xmodem(body).to_bytes(2, "big") if check_crc else b"\xAB\xCD"
    return b"\x7E\x00" + body + crc


GM_TRIGGER_BODY = bytes.fromhex("08 01 00 02 01")  # write (08), 1 byte, register 0x0002 := 01 (trigger)
GM_ACK_OK = bytes.fromhex("02 00 00 01 00 33 31")


def gm_reply_length(buf: bytes) -> int:
    """Length of a complete, CRC-valid GM reply at the start of ``buf``; 0 if there is none (yet)."""
    if len(buf) < 4 or buf[0] != 0x02 or buf[1] != 0x00:
        return 0
    total = 4 + buf[3] + 2
    if len(buf) < total:
        return 0
    body, crc = buf[2:total - 2], buf[total - 2:total]
    return total if crc16_xmodem(body).to_bytes(2, "big") == crc else 0


def gm_reply_incomplete(buf: bytes) -> bool:
    """True if ``buf`` may be the start of a GM reply still arriving (wait before treating it as data)."""
    if not buf or buf[0] != 0x02:
        return False
    if len(buf) >= 2 and buf[1] != 0x00:
        return False
    return len(buf) < 4 or len(buf) < 4 + buf[3] + 2


@dataclass(frozen=True)
class TriggerModel:
    name: str
    start: bytes = b""  # empty: the model has no host trigger
    stop: bytes = b""
    acks_commands: bool = False  # True: each command is answered by a reply to strip from the data stream

    @property
    def can_trigger(self) -> bool:
        return bool(self.start)


MODELS: dict[str, TriggerModel] = {
    "generic": TriggerModel("generic"),
    "honeywell": TriggerModel("honeywell", start=bytes([SYN, 0x54, 0x0D]), stop=bytes([SYN, 0x55, 0x0D])),
    "gm": TriggerModel("gm", start=gm_command(GM_TRIGGER_BODY), acks_commands=True),
}


def model(name: str) -> TriggerModel:
    try:
        return MODELS[name.strip().lower()]
    except KeyError:
        raise ValueError(f"model must be one of {', '.join(MODELS)}; found {name!r}") from None
