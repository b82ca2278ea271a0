"""A test that sets the root logger up as a command would leaves no handler behind for the next test (conftest's
_root_logging_as_before). The two tests run in this order in one process (one file goes to one worker)."""
from __future__ import annotations

import logging
import sys
import threading


def test_a_command_sets_the_root_logger_up_on_its_captured_stderr(capsys, tmp_path):
    from ui.cli import setup_logging
    from kiosk.settings import Settings

    setup_logging(Settings(data_dir=tmp_path), verbose=True)
    logging.getLogger("devices").info("printer: printer -> idle")
    assert "printer -> idle" in capsys.readouterr().err
    assert any(isinstance(h, logging.StreamHandler) and h.stream is sys.stderr for h in logging.getLogger().handlers)


def test_the_next_tests_log_lines_reach_no_closed_stream(capsys):
    root = logging.getLogger()
    assert not [h for h in root.handlers if not type(h).__module__.startswith("_pytest")]
    # a device thread's state change, as the leaked printer thread logged it
    t = threading.Thread(target=lambda: logging.getLogger("devices").warning("printer: printer -> idle"))
    t.start()
    t.join()
    assert "Logging error" not in capsys.readouterr().err
