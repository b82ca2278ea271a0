"""The IPP codec the A4 printer speaks to cupsd (RFC 8010): byte-exact requests, decoded answers with
additional values and collections, and malformed answers refused."""
from __future__ import annotations

import struct

import pytest
from hypothesis import given, settings, strategies as st

from devices.a4 import ipp
from devices.a4.ipp import Attr, Op, Tag


def attr(tag: int, name: str, value: bytes) -> bytes:
    n = name.encode()
    return struct.pack(">BH", tag, len(n)) + n + struct.pack(">H", len(value)) + value


def test_a_get_printer_attributes_request_is_byte_exact():
    body = ipp.request(Op.GET_PRINTER_ATTRIBUTES, 7, "ipp://localhost/printers/A4",
                       Attr.of(Tag.KEYWORD, "requested-attributes", "printer-state", "printer-state-reasons"))
    expected = (b"\x02\x00" + b"\x00\x0b" + b"\x00\x00\x00\x07" + b"\x01"
                + attr(0x47, "attributes-charset", b"utf-8")
                + attr(0x48, "attributes-natural-language", b"zh-cn")
                + attr(0x45, "printer-uri", b"ipp://localhost/printers/A4")
                + attr(0x42, "requesting-user-name", b"kiosk")
                + attr(0x44, "requested-attributes", b"printer-state")
                + attr(0x44, "", b"printer-state-reasons")   # an additional value: empty name
                + b"\x03")
    assert body == expected


def test_a_print_job_carries_its_job_group_and_the_document_after_the_end_tag():
    body = ipp.request(Op.PRINT_JOB, 1, "ipp://localhost/printers/A4", job=[Attr.of(Tag.INTEGER, "copies", 2)],
                       data=b"%PDF-1.4 ...")
    msg = ipp.decode(body)
    assert msg.code == Op.PRINT_JOB and msg.request_id == 1
    assert msg.first(Tag.JOB, "copies") == 2 and msg.data == b"%PDF-1.4 ..."


def test_a_cupsd_answer_decodes_with_enums_booleans_additional_values_and_collections():
    raw = (b"\x02\x00\x00\x00\x00\x00\x00\x05" + b"\x01" + attr(0x47, "attributes-charset", b"utf-8")
           + attr(0x41, "status-message", "成功".encode())
           + b"\x04" + attr(0x23, "printer-state", struct.pack(">i", 5))
           + attr(0x44, "printer-state-reasons", b"paused") + attr(0x44, "", b"media-low-report")
           + attr(0x22, "printer-is-accepting-jobs", b"\x00")
           + attr(0x34, "media-col-ready", b"") + attr(0x4A, "", b"media-size")
           + attr(0x34, "", b"") + attr(0x4A, "", b"x-dimension") + attr(0x21, "", struct.pack(">i", 21000))
           + attr(0x37, "", b"") + attr(0x37, "", b"")
           + attr(0x33, "copies-supported", struct.pack(">ii", 1, 999))
           + attr(0x13, "printer-state-message", b"")
           + b"\x03")
    msg = ipp.decode(raw)
    assert msg.code == ipp.Status.OK and msg.request_id == 5
    assert msg.first(Tag.OPERATION, "status-message") == "成功"
    printer = msg.group(Tag.PRINTER)
    assert printer["printer-state"] == [5] and printer["printer-state-reasons"] == ["paused", "media-low-report"]
    assert printer["printer-is-accepting-jobs"] == [False]
    assert printer["media-col-ready"] == [{"media-size": {"x-dimension": 21000}}]
    assert printer["copies-supported"] == [(1, 999)] and printer["printer-state-message"] == [None]


@pytest.mark.parametrize("raw", [b"", b"\x02\x00\x00", b"\x02\x00\x00\x00\x00\x00\x00\x01\x01\x44\x00\x05ab",
                                 b"\x02\x00\x00\x00\x00\x00\x00\x01\x44\x00\x00\x00\x00\x03",
                                 b"\x02\x00\x00\x00\x00\x00\x00\x01\x04" + attr(0x21, "n", b"\x01") + b"\x03"])
def test_a_malformed_answer_is_an_ipp_error_not_a_crash(raw):
    with pytest.raises(ipp.IppError):
        ipp.decode(raw)


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=200))
def test_no_bytes_make_the_decoder_raise_anything_but_ipp_error(raw):
    try:
        ipp.decode(raw)
    except ipp.IppError:
        pass


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from([Tag.KEYWORD, Tag.TEXT, Tag.NAME]),
                          st.text(alphabet="abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=20),
                          st.lists(st.text(max_size=30), min_size=1, max_size=3)), max_size=5, unique_by=lambda t: t[1]),
       st.integers(min_value=1, max_value=2**31 - 1))
def test_what_is_encoded_decodes_to_the_same_attributes(attrs, rid):
    raw = ipp.encode(0, rid, [(Tag.PRINTER, [Attr(tag, name, tuple(values)) for tag, name, values in attrs])])
    msg = ipp.decode(raw)
    assert msg.request_id == rid
    assert msg.group(Tag.PRINTER) == {name: values for _, name, values in attrs}
