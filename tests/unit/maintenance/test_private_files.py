"""Outside systemd (a technician's command, the demo) the kiosk's data is still its own: dirs 0700, files 0600."""
from __future__ import annotations

import os
import stat

import pytest

from kiosk.maintenance.local_settings import LocalSettings
from kiosk.printing.receipt import PrintJournal
from kiosk.runtime import build_runtime
from kiosk.settings import default_files, load_settings


@pytest.fixture
def loose_umask():
    old = os.umask(0o022)  # what a login shell gives: 0755 directories, 0644 files
    yield
    os.umask(old)


def modes(root):
    out = {}
    for p in [root, *root.rglob("*")]:
        out[str(p.relative_to(root.parent))] = stat.S_IMODE(p.lstat().st_mode)
    return out


def test_the_kiosk_command_runs_with_a_private_umask(tmp_path, loose_umask):
    from ui.cli import main

    assert main(["outbox", "list", "--data-dir", str(tmp_path / "data")]) == 0
    assert os.umask(0o022) == 0o077


def test_everything_the_kiosk_creates_under_a_new_data_dir_is_private_whatever_the_umask(tmp_path, loose_umask):
    data = tmp_path / "var" / "lib" / "kiosk"  # parents missing too
    settings = load_settings(default_files(True), data_dir=data)
    rt = build_runtime(settings, "http://127.0.0.1:9")
    rt.start()
    rt.outbox.enqueue("app-00000001", "920000008000", {"application_id": "app-00000001"}, {"a.pdf": b"%PDF"})
    PrintJournal(settings.path("printer") / "journal.jsonl")
    LocalSettings(settings.data_dir, demo=True).update({"ui.lang": "en_US"})
    rt.catalog.save(settings.path("catalog") / "catalog.json")
    rt.stop()
    # kiosk/audit/* writes its own files (audit.head is its owner's to make 0600); the CLI's umask covers it
    found = {p: m for p, m in modes(data).items() if not p.startswith("kiosk/audit/")}
    open_dirs = {p: oct(m) for p, m in found.items() if (data.parent / p).is_dir() and m != 0o700}
    open_files = {p: oct(m) for p, m in found.items() if (data.parent / p).is_file() and m != 0o600}
    assert open_dirs == {} and open_files == {}
    assert len(found) > 8
    assert "kiosk/outbox/outbox.sqlite" in found and "kiosk/settings.local.toml" in found  # outbox, audit, logs, printer, catalog, settings.local.toml, ...
    assert stat.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700  # the parents it had to make as well
