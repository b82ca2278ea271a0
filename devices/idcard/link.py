"""One request/reply exchange with a SAM_V module over a byte stream, bounded by a monotonic deadline.

The receiver follows the algorithm every public implementation uses (devices.md 1.2): find the preamble,
read the two length bytes, read LEN more bytes, check the XOR. Line noise before the preamble is skipped;
a length longer than the command's longest legal reply is refused at once (a corrupted length would
otherwise make the reader wait for bytes that never come). What can go wrong becomes a ``DeviceError``:
TIMEOUT (deadline passed), PROTOCOL (a bad frame, or the SAM saying it got a garbled request) or
TRANSPORT_LOST (the port went away). The caller decides about retries (``driver.IdCardReader``).
"""
from __future__ import annotations

import time

from ..errors import DeviceError, DeviceErrorCode
from ..transport import STREAM_ERRORS, Stream, close_stream
from . import protocol as p

# pyserial reconfigures the port on every timeout change: only change it when it would overshoot the
# deadline by more than this, or when it is too short to be useful.
_TIMEOUT_SLACK_S = 0.02


def _read_exact(stream: Stream, n: int, deadline: float) -> bytes:
    out = b""
    while len(out) < n:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise DeviceError(DeviceErrorCode.TIMEOUT, f"no answer within the deadline ({len(out)}/{n} bytes)")
        current = stream.timeout
        if current is None or current > remaining + _TIMEOUT_SLACK_S or current < min(remaining, 0.05):
            stream.timeout = remaining
        out += stream.read(n - len(out))
    return out


def read_frame(stream: Stream, deadline: float, max_len: int = p.MAX_LEN + p.HEADER_LEN) -> bytes:
    """Read one frame, skipping noise before the preamble.

    Raises ``DeviceError(TIMEOUT)`` when the deadline passes and ``FrameError`` when the header is not one;
    the bytes returned are a whole frame by its length field (its checksum is checked by ``decode_frame``).
    """
    window = b""
    while window != p.PREAMBLE:
        window = (window + _read_exact(stream, 1, deadline))[-len(p.PREAMBLE):]
    length_bytes = _read_exact(stream, 2, deadline)
    total = p.frame_length(p.PREAMBLE + length_bytes)
    if total > max_len:
        raise p.FrameError(f"length {total - p.HEADER_LEN} is longer than this command's reply can be")
    return p.PREAMBLE + length_bytes + _read_exact(stream, total - p.HEADER_LEN, deadline)


class SamLink:
    """A stream plus the baud rate it runs at; counts the bytes both ways (for wire-time figures)."""

    def __init__(self, stream: Stream, baud: int = p.DEFAULT_BAUD) -> None:
        self.stream = stream
        self.baud = baud
        self.bytes_out = 0
        self.bytes_in = 0

    def deadline_s(self, command: int) -> float:
        return p.deadline_s(command, self.baud)

    def exchange(self, command: int, data: bytes = b"", *, timeout_s: float | None = None) -> p.Frame:
        """Send one request and return its decoded reply."""
        deadline = time.monotonic() + (timeout_s if timeout_s is not None else self.deadline_s(command))
        timing = p.TIMINGS.get(command)
        max_len = timing.max_reply if timing else p.MAX_LEN + p.HEADER_LEN
        try:
            self.stream.reset_input_buffer()
            request = p.encode_request(command, data)
            self.stream.write(request)
            self.bytes_out += len(request)
            raw = read_frame(self.stream, deadline, max_len)
            self.bytes_in += len(raw)
            frame = p.decode_frame(raw)
        except p.FrameError as exc:
            raise DeviceError(DeviceErrorCode.PROTOCOL, f"{command:04X}: {exc}") from None
        except STREAM_ERRORS as exc:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, str(exc)) from exc
        if frame.sw3 in p.RESEND_SW3:
            raise DeviceError(DeviceErrorCode.PROTOCOL,
                              f"{command:04X}: the SAM received a garbled request (SW3 {frame.sw3:02X})")
        return frame

    def drain(self, quiet_s: float | None = None, max_s: float = 0.5) -> int:
        """Discard bytes until the line has been quiet for ``quiet_s``: the rest of a garbled or late reply
        must not be taken for the answer to the next request. Returns how many bytes were dropped."""
        quiet = quiet_s if quiet_s is not None else max(0.01, p.wire_time_s(32, self.baud))
        end = time.monotonic() + max_s
        dropped = 0
        try:
            self.stream.timeout = quiet
            while time.monotonic() < end:
                chunk = self.stream.read(4096)
                if not chunk:
                    break
                dropped += len(chunk)
        except STREAM_ERRORS as exc:
            raise DeviceError(DeviceErrorCode.TRANSPORT_LOST, str(exc)) from exc
        return dropped

    def close(self) -> None:
        close_stream(self.stream)
