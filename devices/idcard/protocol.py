"""GA 467 SAM_V serial protocol: frames, commands and result codes (devices.md section 1).

request : AA AA AA 96 69 | LEN_H LEN_L | CMD PARA | DATA... | CHK
response: AA AA AA 96 69 | LEN_H LEN_L | SW1 SW2 SW3 | DATA... | CHK

LEN (big-endian) counts everything after itself up to and including CHK; CHK is the XOR of every byte
from LEN_H to the last data byte. Every way a frame can be wrong raises ``FrameError`` and nothing else.
"""
from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ..errors import DeviceErrorCode

PREAMBLE = b"\xAA\xAA\xAA\x96\x69"
HEADER_LEN = 7  # preamble + 2 length bytes
MAX_LEN = 4096  # the longest real reply (text+photo+fingerprint) is 2314; anything far above is garbage


class FrameError(ValueError):
    """A malformed, truncated, oversized or corrupted frame."""


class Command(IntEnum):
    """(CMD << 8) | PARA."""

    RESET_SAM = 0x10FF
    SAM_STATUS = 0x11FF
    SAM_ID = 0x12FF
    FIND_CARD = 0x2001
    SELECT_CARD = 0x2002
    READ_TEXT_PHOTO = 0x3001
    READ_APPENDED_ADDRESS = 0x3003
    READ_CHIP_ID = 0x3005
    READ_WITH_FINGERPRINT = 0x3010
    SET_MAX_RF_BYTES = 0x61FF


class SW3(IntEnum):
    OK = 0x90
    NO_CONTENT = 0x91
    FIND_OK = 0x9F
    HOST_CHECKSUM = 0x10
    HOST_LENGTH = 0x11
    COMMAND_ERROR = 0x21
    UNAUTHORIZED = 0x23
    UNRECOGNIZED = 0x24
    CARD_AUTH_SAM_FAILED = 0x31
    SAM_AUTH_CARD_FAILED = 0x32
    VERIFY_FAILED = 0x33
    UNKNOWN_CARD_TYPE = 0x40
    READ_FAILED = 0x41
    RANDOM_FAILED = 0x47
    SAM_SELFTEST_FAILED = 0x60
    SAM_NOT_AUTHORIZED = 0x66
    NO_CARD = 0x80
    SELECT_FAILED = 0x81


@dataclass(frozen=True)
class ResultInfo:
    zh: str
    en: str
    device_code: DeviceErrorCode | None  # None: success or a normal answer


# Every SW3 code with its meaning and the numbered device error it maps to (devices.md 1.4).
RESULTS: dict[int, ResultInfo] = {
    0x90: ResultInfo("操作成功", "operation OK", None),
    0x91: ResultInfo("证/卡中此项无内容", "this item has no content on the card", None),
    0x9F: ResultInfo("寻找证/卡成功", "card found", None),
    0x10: ResultInfo("接收业务终端数据的校验和错", "checksum error in data from host", DeviceErrorCode.PROTOCOL),
    0x11: ResultInfo("接收业务终端数据的长度错", "length error in data from host", DeviceErrorCode.PROTOCOL),
    0x21: ResultInfo("接收业务终端的命令错误", "command error", DeviceErrorCode.PROTOCOL),
    0x23: ResultInfo("越权操作", "unauthorised operation", DeviceErrorCode.IDCARD_SAM_FAULT),
    0x24: ResultInfo("无法识别的错误", "unrecognised error", DeviceErrorCode.IDCARD_SAM_FAULT),
    0x31: ResultInfo("证/卡认证SAM失败", "card failed to authenticate the SAM", DeviceErrorCode.IDCARD_READ_FAILED),
    0x32: ResultInfo("SAM认证证/卡失败", "SAM failed to authenticate the card", DeviceErrorCode.IDCARD_READ_FAILED),
    0x33: ResultInfo("信息验证错误", "information verification error", DeviceErrorCode.IDCARD_READ_FAILED),
    0x40: ResultInfo("无法识别的卡类型", "unrecognised card type", DeviceErrorCode.IDCARD_UNKNOWN_TYPE),
    0x41: ResultInfo("读证/卡操作失败", "read card failed", DeviceErrorCode.IDCARD_READ_FAILED),
    0x47: ResultInfo("取随机数失败", "get random number failed", DeviceErrorCode.IDCARD_READ_FAILED),
    0x60: ResultInfo("SAM自检失败，不能接收命令", "SAM self-test failed", DeviceErrorCode.IDCARD_SAM_FAULT),
    0x66: ResultInfo("SAM未经授权，无法使用", "SAM not authorised", DeviceErrorCode.IDCARD_SAM_FAULT),
    0x80: ResultInfo("寻找证/卡失败", "find card failed (no card)", None),
    0x81: ResultInfo("选取证/卡失败", "select card failed", DeviceErrorCode.IDCARD_READ_FAILED),
}


def xor(data: bytes) -> int:
    out = 0
    for b in data:
        out ^= b
    return out


def encode_request(command: int, data: bytes = b"") -> bytes:
    body = bytes([(command >> 8) & 0xFF, command & 0xFF]) + data
    length = len(body) + 1
    head = length.to_bytes(2, "big")
    return PREAMBLE + head + body + bytes([xor(head + body)])


def encode_response(sw3: int, data: bytes = b"", sw1: int = 0, sw2: int = 0) -> bytes:
    body = bytes([sw1, sw2, sw3]) + data
    head = (len(body) + 1).to_bytes(2, "big")
    return PREAMBLE + head + body + bytes([xor(head + body)])


@dataclass(frozen=True)
class Frame:
    """A decoded frame: ``head`` is (CMD, PARA) for requests or (SW1, SW2, SW3) for responses."""

    head: bytes
    data: bytes

    @property
    def sw3(self) -> int:
        return self.head[2]

    @property
    def command(self) -> int:
        return (self.head[0] << 8) | self.head[1]


def frame_length(header: bytes) -> int:
    """Total frame length from its first 7 bytes; raises FrameError when they are not a header."""
    if len(header) < HEADER_LEN:
        raise FrameError(f"truncated header: {len(header)} of {HEADER_LEN} bytes")
    if header[:5] != PREAMBLE:
        raise FrameError(f"bad preamble {header[:5].hex(' ')}")
    length = int.from_bytes(header[5:7], "big")
    if length < 3 or length > MAX_LEN:
        raise FrameError(f"length {length} out of range")
    return HEADER_LEN + length


def decode_frame(frame: bytes, *, response: bool = True) -> Frame:
    """Decode one whole frame; ``response`` chooses a 3-byte status head, else a 2-byte command head."""
    if not isinstance(frame, (bytes, bytearray, memoryview)):
        raise FrameError("not bytes")
    frame = bytes(frame)
    total = frame_length(frame[:HEADER_LEN])
    head_len = 3 if response else 2
    if total - HEADER_LEN < head_len + 1:
        raise FrameError(f"frame too short for its {'status' if response else 'command'} bytes")
    if len(frame) < total:
        raise FrameError(f"truncated frame: {len(frame)} of {total} bytes")
    if len(frame) > total:
        raise FrameError(f"{len(frame) - total} extra bytes after the frame")
    if xor(frame[5:-1]) != frame[-1]:
        raise FrameError(f"checksum {frame[-1]:02X} != {xor(frame[5:-1]):02X}")
    return Frame(head=frame[HEADER_LEN:HEADER_LEN + head_len], data=frame[HEADER_LEN + head_len:-1])


def split_read_reply(data: bytes) -> tuple[bytes, bytes, bytes]:
    """Split the data of a 30 01 / 30 10 reply into (text, photo, fingerprint).

    30 01 carries two big-endian lengths (text, photo); 30 10 carries three. Which one it is follows from
    whether two lengths account for the whole payload (devices.md 1.5).
    """
    if len(data) < 4:
        raise FrameError("read reply too short for its length fields")
    text_len = int.from_bytes(data[0:2], "big")
    photo_len = int.from_bytes(data[2:4], "big")
    if 4 + text_len + photo_len == len(data):
        return data[4:4 + text_len], data[4 + text_len:], b""
    if len(data) >= 6:
        fp_len = int.from_bytes(data[4:6], "big")
        if 6 + text_len + photo_len + fp_len == len(data):
            t0 = 6
            p0 = t0 + text_len
            f0 = p0 + photo_len
            return data[t0:p0], data[p0:f0], data[f0:]
    raise FrameError(f"read reply lengths ({text_len}, {photo_len}) do not match {len(data)} data bytes")
