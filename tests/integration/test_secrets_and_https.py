"""Secrets never on the command line (visible to every user in ps), and https off loopback (issue 16, 10)."""
from __future__ import annotations

import subprocess
import sys

import pytest
import requests

from kiosk.platform.client import PlatformClient
from kiosk.platform.transport import insecure_url_problem
from kiosk.settings import SettingsError, default_files, load_settings
from tests.helpers.central_process import ADMIN_TOKEN, ROOT, CentralProcess


def _cli(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "ui.cli", *args], cwd=ROOT, input=stdin, capture_output=True,
                          text=True, timeout=60, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})


@pytest.mark.parametrize("argv", [
    ["central", "--data-dir", "/tmp/x", "--kiosk", "K-1=0123456789abcdef0123"],
    ["platform", "enrol", "Xq3V8u1Yd2s0aH3k"],
])
def test_a_secret_given_as_an_argument_is_refused(argv):
    r = _cli(*argv)
    assert r.returncode == 2 and "unrecognized arguments" in r.stderr


def test_the_admin_token_comes_from_stdin_and_kiosk_secrets_from_a_file(tmp_path):
    c = CentralProcess(tmp_path)  # --kiosks-file and --admin-token-file (files)
    try:
        assert requests.get(c.url + "/api/v1/admin/reviews", timeout=5,
                            headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).status_code == 200
        assert f"{ADMIN_TOKEN}" not in " ".join(c.proc.args)
    finally:
        c.stop()


def test_enrolment_reads_the_one_time_code_from_stdin(tmp_path):
    from central.server import EmbeddedPlatform

    p = EmbeddedPlatform(tmp_path / "central", kiosks={})
    p.start()
    try:
        from kiosk.platform.admin import AdminClient

        code = AdminClient(p.url, p.admin_token).new_enrolment("K-STDIN-1").code
        cfg = tmp_path / "kiosk.toml"
        cfg.write_text(f'kiosk_id = "K-STDIN-1"\n[platform]\nurl = "{p.url}"\nsecret_file = "{tmp_path}/secret"\n',
                       encoding="utf-8")
        r = _cli("platform", "enrol", "--config", str(cfg), "--data-dir", str(tmp_path / "data"), stdin=code + "\n")
        assert r.returncode == 0, r.stderr
        assert (tmp_path / "secret").read_text().strip()
    finally:
        p.stop()


@pytest.mark.parametrize("url,ok", [
    ("https://zwfw.example.gov.cn", True), ("http://127.0.0.1:8700", True), ("http://localhost:8700", True),
    ("http://[::1]:8700", True), ("http://zwfw.example.gov.cn", False), ("http://10.0.0.5:8700", False),
    ("http://127.0.0.1.evil.example", False), ("ftp://zwfw.example.gov.cn", False), ("https://", False),
])
def test_the_platform_url_must_be_https_off_loopback(url, ok):
    assert (insecure_url_problem(url) is None) == ok
    if not ok:
        with pytest.raises(ValueError, match="3020"):
            PlatformClient(url, kiosk_id="K-1", secret="s")


def test_settings_with_plain_http_to_another_host_are_refused_with_a_numbered_error(tmp_path):
    cfg = tmp_path / "x.toml"
    cfg.write_text('[platform]\nurl = "http://zwfw.example.gov.cn"\n', encoding="utf-8")
    with pytest.raises(SettingsError, match="3020"):
        load_settings(default_files(False, [cfg]), data_dir=tmp_path)
