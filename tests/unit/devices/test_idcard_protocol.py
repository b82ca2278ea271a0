"""GA 467 frames, result codes and the text block, against the byte vectors in devices.md section 1."""
from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from devices.errors import DeviceError, DeviceErrorCode
from devices.idcard import protocol as p
from devices.idcard.idnumber import check_char, is_valid, mask, problem
from devices.idcard.model import CardType
from devices.idcard.synthetic import IDENTITIES
from devices.idcard.textblock import build_text_block, parse_text_block

H = bytes.fromhex

REQUESTS = [
    (p.Command.RESET_SAM, "AA AA AA 96 69 00 03 10 FF EC"),
    (p.Command.SAM_STATUS, "AA AA AA 96 69 00 03 11 FF ED"),
    (p.Command.SAM_ID, "AA AA AA 96 69 00 03 12 FF EE"),
    (p.Command.FIND_CARD, "AA AA AA 96 69 00 03 20 01 22"),
    (p.Command.SELECT_CARD, "AA AA AA 96 69 00 03 20 02 21"),
    (p.Command.READ_TEXT_PHOTO, "AA AA AA 96 69 00 03 30 01 32"),
    (p.Command.READ_APPENDED_ADDRESS, "AA AA AA 96 69 00 03 30 03 30"),
    (p.Command.READ_WITH_FINGERPRINT, "AA AA AA 96 69 00 03 30 10 23"),
    (p.Command.READ_CHIP_ID, "AA AA AA 96 69 00 03 30 05 36"),
]


@pytest.mark.parametrize("command,frame", REQUESTS)
def test_request_frames_match_the_published_bytes(command, frame):
    assert p.encode_request(command) == H(frame)


def test_set_max_rf_bytes_carries_its_data_byte():
    assert p.encode_request(p.Command.SET_MAX_RF_BYTES, b"\x50") == H("AA AA AA 96 69 00 04 61 FF 50 CA")


RESPONSES = [
    ("AA AA AA 96 69 00 04 00 00 80 84", 0x80, b""),
    ("AA AA AA 96 69 00 08 00 00 9F 00 00 00 00 97", 0x9F, bytes(4)),
    ("AA AA AA 96 69 00 04 00 00 81 85", 0x81, b""),
    ("AA AA AA 96 69 00 0C 00 00 90 00 00 00 00 00 00 00 00 9C", 0x90, bytes(8)),
    ("AA AA AA 96 69 00 04 00 00 41 45", 0x41, b""),
    ("AA AA AA 96 69 00 04 00 00 90 94", 0x90, b""),
    ("AA AA AA 96 69 00 04 00 00 10 14", 0x10, b""),
]


@pytest.mark.parametrize("frame,sw3,data", RESPONSES)
def test_response_frames_decode_and_encode_both_ways(frame, sw3, data):
    decoded = p.decode_frame(H(frame))
    assert decoded.sw3 == sw3 and decoded.data == data
    assert p.encode_response(sw3, data) == H(frame)


@pytest.mark.parametrize("bad,why", [
    (H("AA AA AA 96 69 00 04 00 00 80 85"), "checksum"),
    (H("AA AA AA 96 69 00 04 00 00 80"), "truncated"),
    (H("AA AA AA 96 69 00 04 00 00 80 84 00"), "extra"),
    (H("AA AA AA 96 68 00 04 00 00 80 84"), "preamble"),
    (H("AA AA AA 96 69 FF FF 00 00 80 84"), "length"),
    (H("AA AA AA 96 69 00 02 00 00"), "length"),
    (H("AA AA AA 96"), "truncated header"),
    (b"", "truncated header"),
])
def test_every_malformed_frame_raises_the_one_typed_error(bad, why):
    with pytest.raises(p.FrameError, match=why):
        p.decode_frame(bad)


def test_every_sw3_code_has_a_bilingual_meaning_and_a_device_code_for_failures():
    for sw3 in (0x90, 0x91, 0x9F, 0x10, 0x11, 0x21, 0x23, 0x24, 0x31, 0x32, 0x33, 0x40, 0x41, 0x47, 0x60, 0x66,
                0x80, 0x81):
        info = p.RESULTS[sw3]
        assert info.zh and info.en
        assert (info.device_code is None) == (sw3 in (0x90, 0x91, 0x9F, 0x80))


def test_read_reply_is_1295_bytes_and_splits_into_text_and_photo():
    from devices.idcard.sim import read_reply

    frame = read_reply(IDENTITIES["standard"])
    assert len(frame) == 1295
    assert frame[5:7] == H("05 08")
    text, photo, fp = p.split_read_reply(p.decode_frame(frame).data)
    assert (len(text), len(photo), fp) == (256, 1024, b"")


def test_synthetic_vector_from_devices_md_starts_with_the_published_bytes():
    """张三, sex 1, nation 01, born 19491231, 11010519491231002X, zero photo.

    devices.md also gives CHK 0A for this vector, but does not say what the other fields held; with
    them blank (spaces or zeros) the XOR is DE/FE, so only the prefix is checked here."""
    block = bytearray(" ".encode("utf-16-le") * 128)
    for off, text in ((0, "张三"), (30, "1"), (32, "01"), (36, "19491231"), (122, "11010519491231002X")):
        raw = text.encode("utf-16-le")
        block[off:off + len(raw)] = raw
    frame = p.encode_response(0x90, H("01 00 04 00") + bytes(block) + bytes(1024))
    assert frame.startswith(H("AA AA AA 96 69 05 08 00 00 90 01 00 04 00 20 5F 09 4E 20 00"))
    assert p.decode_frame(frame).data[4:8] == "张三".encode("utf-16-le")


@pytest.mark.parametrize("key", list(IDENTITIES))
def test_text_block_round_trips_for_every_card_type(key):
    card = IDENTITIES[key]
    parsed = parse_text_block(build_text_block(card), card.photo_wlt)
    assert parsed == card


def test_card_types_are_told_apart_by_byte_248():
    kinds = {IDENTITIES[k].card_type for k in IDENTITIES}
    assert kinds >= {CardType.RESIDENT, CardType.GAT_RESIDENCE, CardType.FOREIGN_2023}
    assert build_text_block(IDENTITIES["gat"])[248:250] == b"J\x00"


def test_long_term_validity_is_read_as_none():
    elder = IDENTITIES["elder"]
    block = build_text_block(elder)
    assert block[204:208] == H("7F 95 1F 67")  # 长期
    assert parse_text_block(block).valid_until is None


def test_a_card_whose_number_fails_the_check_digit_is_refused():
    forged = dataclasses.replace(IDENTITIES["standard"], id_number="110105194912310021")
    with pytest.raises(DeviceError) as exc:
        parse_text_block(build_text_block(forged))
    assert exc.value.code == DeviceErrorCode.IDCARD_BAD_NUMBER


@pytest.mark.parametrize("number,valid", [
    ("34052419800101001X", True), ("11010519491231002X", True), ("11010519491231002x", True),
    ("110105194912310021", False), ("11010519491332002X", False), ("1101051949123100", False),
])
def test_gb11643_check_digit(number, valid):
    assert is_valid(number) is valid


def test_check_char_of_the_vectors_that_public_comments_get_wrong():
    assert check_char("88888818880808888") == "0"
    assert check_char("31010819840330008") == "X"


def test_masking_hides_the_middle_of_the_number_and_the_given_name():
    card = IDENTITIES["standard"]
    assert mask(card.id_number) == "110***********002X"
    assert "张三" not in repr(card) and card.id_number not in repr(card)


def test_problem_explains_why_a_number_is_wrong():
    assert "check character" in problem("110105194912310021")
    assert "date" in problem("11010519491332002X")


def test_age_and_expiry():
    card = IDENTITIES["standard"]
    assert card.age(dt.date(2026, 1, 1)) == 76
    assert not card.expired(dt.date(2030, 1, 1))
    assert card.expired(dt.date(2035, 1, 2))


def test_no_synthetic_card_expires_before_2029():
    """The journeys' tests read these cards on whatever day CI runs, and the kiosk refuses an expired card
    (CARD_EXPIRED): the HK/Macao/Taiwan permit valid until 2026-12-31 would have failed them from 2027."""
    assert [name for name, card in IDENTITIES.items() if card.expired(dt.date(2029, 1, 1))] == []


# ----- fingerprint and appended-address replies, deadlines, the simulator's receiver ----------------------
def test_fingerprint_reply_has_three_lengths_and_the_published_frame_length():
    from devices.idcard.sim import read_reply

    card = dataclasses.replace(IDENTITIES["standard"], fingerprint=bytes(range(256)) * 4)
    frame = read_reply(card, fingerprint=True)
    assert frame[5:7] == H("09 0A") and len(frame) == 2321  # devices.md 1.5: LEN 2314, frame 2321 bytes
    assert frame[10:16] == H("01 00 04 00 04 00")
    text, photo, fp = p.split_read_reply(p.decode_frame(frame).data, fingerprint=True)
    assert (len(text), len(photo), fp) == (256, 1024, card.fingerprint)
    assert p.split_read_reply(p.decode_frame(frame).data) == (text, photo, fp)  # told apart by length too


def test_a_30_01_reply_is_not_accepted_as_a_30_10_reply():
    from devices.idcard.sim import read_reply

    data = p.decode_frame(read_reply(IDENTITIES["standard"])).data
    with pytest.raises(p.FrameError, match="lengths"):
        p.split_read_reply(data, fingerprint=True)


def test_appended_address_replies():
    from devices.idcard.sim import appended_address_reply

    assert appended_address_reply(IDENTITIES["standard"]) == H("AA AA AA 96 69 00 04 00 00 91 95")
    moved = dataclasses.replace(IDENTITIES["standard"], appended_address="北京市东城区新址1号")
    assert p.parse_appended_address(p.decode_frame(appended_address_reply(moved)).data) == "北京市东城区新址1号"
    with pytest.raises(p.FrameError, match="odd"):
        p.parse_appended_address(b"\x20")


def test_sam_id_is_formatted_from_its_16_bytes_and_short_data_is_a_frame_error():
    from devices.idcard.sim import SAM_ID_DATA

    assert p.format_sam_id(SAM_ID_DATA) == "05.01-20230101-012345678-087654321"
    with pytest.raises(p.FrameError):
        p.format_sam_id(SAM_ID_DATA[:15])


def test_every_command_has_a_deadline_that_covers_its_wire_time_at_every_baud_rate():
    for command in p.Command:
        for baud in p.BAUD_RATES:
            t = p.TIMINGS[command]
            assert p.deadline_s(command, baud) > t.work_s + p.wire_time_s(t.max_reply, baud)
    assert p.wire_time_s(1295, 115200) == pytest.approx(0.1124, abs=1e-4)
    assert p.TIMINGS[p.Command.READ_TEXT_PHOTO].max_reply == 1295


def test_a_frame_too_long_for_the_length_field_cannot_be_encoded():
    with pytest.raises(p.FrameError):
        p.encode_response(0x90, bytes(p.MAX_LEN))


@pytest.mark.parametrize("request_bytes,reply", [
    (H("AA AA AA 96 69 00 03 20 01 23"), "AA AA AA 96 69 00 04 00 00 10 14"),  # wrong checksum -> 10
    (H("AA AA AA 96 69 00 01 20"), "AA AA AA 96 69 00 04 00 00 11 15"),  # impossible length -> 11
    (H("00 AA 96 AA AA AA 96 69 00 03 11 FF ED"), "AA AA AA 96 69 00 04 00 00 90 94"),  # noise skipped
    (H("AA AA AA 96 69 00 03 7F 01 7D"), "AA AA AA 96 69 00 04 00 00 21 25"),  # unknown command -> 21
])
def test_the_simulator_receives_like_a_module(request_bytes, reply):
    from devices.idcard.simserver import new_simulator

    class Port:
        got = b""

        def feed(self, data):
            self.got += data

    port = Port()
    new_simulator().handle(port, request_bytes)
    assert port.got == H(reply)


def test_every_failure_code_maps_to_a_numbered_error_with_chinese_english_and_a_remedy():
    from devices.errors import error_info

    for sw3, info in p.RESULTS.items():
        if info.device_code is not None:
            e = error_info(info.device_code)
            assert 1000 <= e.code < 1500 and e.zh and e.en and e.remedy, hex(sw3)


def test_a_long_latin_name_split_at_a_space_on_a_2023_card_keeps_the_space():
    name = "VANDERBERGHE-MONTGOMERY ALEXANDRAS JOHANNA"  # 42 characters; the 35th is a space
    assert name[34] == " "
    card = dataclasses.replace(IDENTITIES["foreign_2023"], name_en=name)
    assert parse_text_block(build_text_block(card)).name_en == name
