"""`kiosk devices read-id`, card files and the simulator's control lines."""
from __future__ import annotations

import dataclasses
import json

import pytest

from devices import sim
from devices.idcard.cardfile import CardFileError, card_from_dict, card_to_dict, load_card_file
from devices.idcard.simserver import SamServer, new_simulator
from devices.idcard.synthetic import IDENTITIES
from ui.cli import main
from ui.commands.devices_cmds import read_id


def run(capsys, *args):
    code = main(["devices", "read-id", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_read_id_prints_the_card_masked_by_default(capsys):
    code, out, err = run(capsys, "--url", "sim://idcard?card=graduate")
    card = IDENTITIES["graduate"]
    assert code == read_id.EXIT_OK
    assert "李**" in out and "440***********" in out and "resident" in out
    assert card.name not in out and card.id_number not in out and card.address not in out
    assert "not_decodable" in out  # the photo state, said plainly
    assert "WARNING" not in err


def test_read_id_reveal_prints_every_field_and_warns_on_stderr(capsys):
    code, out, err = run(capsys, "--url", "sim://idcard?card=graduate", "--reveal")
    card = IDENTITIES["graduate"]
    assert code == 0
    assert card.name in out and card.id_number in out and card.address in out
    assert "WARNING" in err and "personal data" in err


def test_read_id_json_reveal_is_a_card_file_again(capsys, tmp_path):
    code, out, _ = run(capsys, "--url", "sim://idcard?card=gat", "--json", "--reveal")
    assert code == 0
    path = tmp_path / "card.json"
    path.write_text(out, encoding="utf-8")
    card, knobs = load_card_file(path)
    assert card == IDENTITIES["gat"] and knobs == {}


def test_read_id_json_is_masked_without_reveal(capsys):
    code, out, _ = run(capsys, "--url", "sim://idcard?card=elder", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["name"] == "王**" and data["id_number"].count("*") == 11 and data["valid_until"] == "长期"
    assert data["birth_date"] == "1951-**-**" and "photo_wlt_hex" not in data


def test_read_id_without_a_card_says_so_with_its_own_exit_code(capsys):
    code, _, err = run(capsys, "--url", "sim://idcard", "--wait", "0.3")
    assert code == read_id.EXIT_NO_CARD and "no card" in err


def test_read_id_without_a_reader_names_the_error_and_the_remedy(capsys, tmp_path):
    code, _, err = run(capsys, "--url", f"serial://{tmp_path}/ttyNONE", "--wait", "5")
    assert code == read_id.EXIT_NO_READER
    assert "[1001]" in err and "remedy:" in err


def test_read_id_with_a_bad_baud_rate_is_a_usage_error(capsys):
    code, _, err = run(capsys, "--url", "sim://idcard?card=graduate&baudrate=12345", "--wait", "5")
    assert code == read_id.EXIT_USAGE and "12345" in err


def test_read_id_refuses_a_card_whose_number_fails_its_check_character(capsys):
    url = "sim://idcard?name=forged"
    sim.get_hardware(url).place_card(dataclasses.replace(IDENTITIES["standard"], id_number="110105194912310021"))
    code, out, err = run(capsys, "--url", url, "--wait", "5")
    assert code == read_id.EXIT_CARD_REFUSED and "[1103]" in err and "110105194912310021" not in out + err


def test_read_id_with_a_silent_reader_reports_no_reader(capsys):
    code, _, err = run(capsys, "--url", "sim://idcard?fault=silence", "--option", "command_timeout_s=0.05",
                       "--wait", "5")
    assert code == read_id.EXIT_NO_READER and "[1003]" in err


def test_card_files_name_the_bad_key():
    with pytest.raises(CardFileError, match="birth_date"):
        card_from_dict({"identity": "graduate", "birth_date": "2002-13-01"})
    with pytest.raises(CardFileError, match="colour"):
        card_from_dict({"identity": "graduate", "colour": "blue"})
    with pytest.raises(CardFileError, match="missing"):
        card_from_dict({"name": "张三"})


@pytest.mark.parametrize("key", list(IDENTITIES))
def test_every_identity_survives_a_card_file_round_trip(key):
    d = card_to_dict(IDENTITIES[key], reveal=True)
    assert card_from_dict(json.loads(json.dumps(d))) == IDENTITIES[key]


def test_control_lines_turn_the_same_knobs_as_the_in_process_simulator(tmp_path):
    hw = new_simulator()
    server = SamServer(hw)
    try:
        assert server.control("place elder").startswith("ok card=resident:王*")
        assert server.control("fault silence").split()[2] == "fault=silence"
        assert server.control("fault nonsense").startswith("error unknown fault")
        path = tmp_path / "c.json"
        path.write_text(json.dumps({"identity": "hui", "sim": {"fault": "garbage"}}), encoding="utf-8")
        assert "fault=garbage" in server.control(f"place {path}") and hw.card.nation == "回"
        assert server.control("remove").startswith("ok card=none")
        assert server.control("unplug") and hw.unplugged
        assert server.control("frobnicate").startswith("error")
    finally:
        server.stop()
