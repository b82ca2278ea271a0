"""`kiosk devices scan`: prints what a scanner or the camera reads, classified, cut short and masked."""
from __future__ import annotations

import pytest

from ui.cli import main
from ui.commands.devices_cmds.scan import mask_digits, shown


def test_serial_scan_is_printed_with_its_kind_and_the_exit_code_says_one_was_read(tmp_path, capsys) -> None:
    rc = main(["devices", "scan", "--url", "sim://barcode?model=gm&trigger=1", "--seconds", "20", "--count", "1",
               "--sim-scan", "https://zwfw.example.gov.cn/t/SZ20261127000001", "--data-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 0
    assert "receipt: https://zwfw.example.gov.cn/t/SZ20261127000001" in out and "1 code(s) read" in out


def test_camera_scan_masks_an_id_number_shown_on_a_phone(tmp_path, capsys) -> None:
    rc = main(["devices", "scan", "--url", "sim://camera", "--seconds", "20", "--count", "1",
               "--sim-scan", "张三 110101199003074514", "--data-dir", str(tmp_path)])
    out = capsys.readouterr().out
    assert rc == 0 and "camera QRCode" in out and "text: 张三 110***********4514" in out
    assert "110101199003074514" not in out


def test_nothing_read_is_exit_code_1_and_a_bad_url_is_2(tmp_path, capsys) -> None:
    assert main(["devices", "scan", "--url", "sim://barcode", "--seconds", "0.3", "--data-dir", str(tmp_path)]) == 1
    assert main(["devices", "scan", "--url", "sim://barcode?suffix=semicolon", "--seconds", "1",
                 "--data-dir", str(tmp_path)]) == 2
    assert "suffix must be one of" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "expected"), [
    ("6222021234567890123", "622************0123"),  # bank card
    ("户号 0100123456", "户号 0100123456"),  # short numbers stay
])
def test_long_digit_runs_are_masked(text: str, expected: str) -> None:
    assert mask_digits(text) == expected


def test_shown_text_is_sanitised_and_cut() -> None:
    assert shown("a\x00b\u202ec" + "x" * 100) == "abc" + "x" * 57 + "…"
