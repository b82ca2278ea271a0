"""Property-based fuzzing of everything that parses bytes from a SAM: only the typed errors may escape.

The frame decoders may raise ``FrameError`` and nothing else; the stream reader and the link may raise
``DeviceError`` (and the reader ``FrameError``, which the link turns into ``DeviceError``); the text block
parser ``DeviceError``. bench/bench_idcard.py runs the same properties with 10,000+ inputs.
"""
from __future__ import annotations

import time

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devices.errors import DeviceError
from devices.idcard import protocol as p
from devices.idcard.link import SamLink, read_frame
from devices.idcard.sim import RequestAssembler, read_reply
from devices.idcard.synthetic import IDENTITIES
from devices.idcard.textblock import build_text_block, parse_text_block

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

VALID_FRAMES = [
    p.encode_response(0x80), p.encode_response(0x9F, bytes(4)), p.encode_response(0x90, bytes(8)),
    p.encode_request(p.Command.FIND_CARD), read_reply(IDENTITIES["standard"]),
]


class BytesStream:
    """A pyserial-shaped stream that yields given bytes, then nothing (as a silent line does)."""

    def __init__(self, data: bytes, chunk: int = 7) -> None:
        self.data, self.chunk, self.timeout = bytearray(data), chunk, 0.0
        self.written = bytearray()

    def read(self, size: int = 1) -> bytes:
        n = min(size, self.chunk)
        out = bytes(self.data[:n])
        del self.data[:n]
        return out

    def write(self, data: bytes) -> int:
        self.written += data
        return len(data)

    def reset_input_buffer(self) -> None:
        pass

    def close(self) -> None:
        pass


@st.composite
def mutated_frames(draw):
    """Valid frames with a byte changed, cut short, extended, or noise spliced in."""
    frame = bytearray(draw(st.sampled_from(VALID_FRAMES)))
    how = draw(st.sampled_from(["flip", "truncate", "extend", "splice", "length"]))
    if how == "flip":
        i = draw(st.integers(0, len(frame) - 1))
        frame[i] ^= draw(st.integers(1, 255))
    elif how == "truncate":
        del frame[draw(st.integers(0, len(frame) - 1)):]
    elif how == "extend":
        frame += draw(st.binary(min_size=1, max_size=16))
    elif how == "splice":
        i = draw(st.integers(0, len(frame)))
        frame[i:i] = draw(st.binary(min_size=1, max_size=16))
    else:
        frame[5:7] = draw(st.integers(0, 0xFFFF)).to_bytes(2, "big")
    return bytes(frame)


def frames_or_noise():
    return st.one_of(st.binary(max_size=64), mutated_frames(),
                     st.binary(max_size=16).map(lambda b: p.PREAMBLE + b))


@FUZZ
@given(frames_or_noise(), st.booleans())
def test_decode_frame_raises_only_frame_error(data, response):
    try:
        frame = p.decode_frame(data, response=response)
    except p.FrameError:
        return
    assert p._encode(frame.head + frame.data) == data  # whatever decodes re-encodes to the same bytes


@FUZZ
@given(st.binary(max_size=64))
def test_split_read_reply_and_small_parsers_raise_only_frame_error(data):
    for parse in (p.split_read_reply, p.parse_appended_address, p.format_sam_id):
        try:
            parse(data)
        except p.FrameError:
            pass


@FUZZ
@given(st.binary(min_size=256, max_size=256))
def test_parse_text_block_raises_only_device_error(block):
    try:
        parse_text_block(block)
    except DeviceError:
        pass


@FUZZ
@given(st.integers(0, 255), st.integers(0, 255))
def test_any_byte_written_into_a_valid_block_is_parsed_or_refused_with_a_device_error(offset, value):
    block = bytearray(build_text_block(IDENTITIES["gat"]))
    block[offset] = value
    try:
        parse_text_block(bytes(block))
    except DeviceError:
        pass


@FUZZ
@given(st.lists(frames_or_noise(), max_size=4).map(b"".join), st.integers(1, 64))
def test_the_stream_reader_raises_only_typed_errors_and_returns_only_whole_frames(stream_bytes, chunk):
    try:
        frame = read_frame(BytesStream(stream_bytes, chunk), time.monotonic() + 0.002)
    except (DeviceError, p.FrameError):
        return
    assert frame.startswith(p.PREAMBLE) and len(frame) == 7 + int.from_bytes(frame[5:7], "big")


@FUZZ
@given(st.lists(frames_or_noise(), max_size=3).map(b"".join), st.sampled_from(list(p.Command)))
def test_the_link_turns_every_bad_reply_into_a_device_error(reply_bytes, command):
    link = SamLink(BytesStream(reply_bytes), 115200)
    try:
        frame = link.exchange(command, timeout_s=0.002)
    except DeviceError:
        return
    assert frame.sw3 not in p.RESEND_SW3


@FUZZ
@given(st.lists(st.tuples(st.binary(max_size=12), st.sampled_from(VALID_FRAMES[:4])), max_size=5),
       st.integers(1, 9))
def test_the_simulator_recovers_every_request_frame_from_noise_between_them(parts, chunk):
    """Noise that contains no preamble never hides the frame after it (the module resynchronises)."""
    stream = b"".join(noise.replace(b"\xAA", b"\x00") + frame for noise, frame in parts)
    assembler = RequestAssembler()
    got = []
    for i in range(0, len(stream), chunk):
        got += assembler.feed(stream[i:i + chunk])
    assert got == [frame for _, frame in parts]


@FUZZ
@given(st.integers(0, 0xFFFF), st.binary(max_size=300), st.integers(0, 255))
def test_encode_then_decode_is_the_identity(command, data, sw3):
    assert p.decode_frame(p.encode_request(command, data), response=False).data == data
    decoded = p.decode_frame(p.encode_response(sw3, data))
    assert (decoded.sw3, decoded.data) == (sw3, data)
