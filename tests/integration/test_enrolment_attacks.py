"""Issue 16, weakness 5: enrolment, attacked over HTTP against a running platform.

- A one-time code used for an id that is already enrolled must not replace the live kiosk's secret (before:
  the genuine kiosk got 401 on everything); only an administrator's re-key grant, recorded, lets it.
- ``kiosk platform enrol`` must save the secret before it spends the code (before: a failed save lost both).
"""
from __future__ import annotations

import stat

import pytest

from central.server import EmbeddedPlatform
from kiosk.platform.admin import AdminClient
from kiosk.platform.client import PlatformClient, PlatformError
from kiosk.platform.schema import Heartbeat
from kiosk.settings import CONFIG_DIR

SECRET = "live-kiosk-secret-0123456789"
HB = Heartbeat(at="2026-11-27T09:00:00+08:00")


@pytest.fixture(scope="module")
def platform(tmp_path_factory, central_db):
    p = EmbeddedPlatform(tmp_path_factory.mktemp("central"), CONFIG_DIR / "catalog", kiosks={"K-LIVE": SECRET},
                         db_url=central_db)
    p.start()
    yield p
    p.stop()


@pytest.fixture
def admin(platform):
    return AdminClient(platform.url, platform.admin_token, timeout_s=5)


def test_re_enrolling_a_live_kiosk_is_refused_and_the_genuine_kiosk_keeps_working(platform, admin):
    genuine = PlatformClient(platform.url, kiosk_id="K-LIVE", secret=SECRET, timeout_s=5, sleep=lambda s: None)
    thief = PlatformClient(platform.url, kiosk_id="K-LIVE", timeout_s=5, sleep=lambda s: None)
    codes = [admin.new_enrolment("K-LIVE").code for _ in range(5)]
    refused = 0
    for code in codes:  # 5 tries, each with a valid code for the id
        with pytest.raises(PlatformError) as exc:
            thief.enrol(code)
        refused += exc.value.status == 409 and exc.value.code == 4018
        assert genuine.heartbeat(HB).catalog_version  # still signs with its secret
    assert refused == 5
    assert [a.action for a in admin.actions() if a.kiosk_id == "K-LIVE"] == ["enrol_refused_live"] * 5
    # The explicit, recorded re-key: the next code (still unspent) replaces the secret once.
    admin.grant_rekey("K-LIVE", "wang", "mainboard replaced, ticket 88")
    new = thief.enrol(codes[0]).secret
    with pytest.raises(PlatformError) as old:
        genuine.heartbeat(HB)
    assert old.value.status == 401
    assert PlatformClient(platform.url, kiosk_id="K-LIVE", secret=new, timeout_s=5).heartbeat(HB).catalog_version
    acts = [(a.action, a.operator) for a in admin.actions() if a.kiosk_id == "K-LIVE"][-2:]
    assert acts == [("rekey_granted", "wang"), ("rekeyed", "wang")]
    with pytest.raises(PlatformError) as again:  # the grant worked once
        thief.enrol(codes[1])
    assert again.value.code == 4018


def test_enrol_brings_its_own_secret_and_refuses_odd_ones(platform, admin):
    import requests

    code = admin.new_enrolment("K-OWN").code
    for secret in ("short", "x" * 200, "bad bytes \u202e\x00" + "x" * 40):
        r = requests.post(f"{platform.url}/api/v1/kiosks/enrol",
                          json={"kiosk_id": "K-OWN", "code": code, "secret": secret}, timeout=5)
        assert r.status_code == 422
    mine = "A" * 43
    got = PlatformClient(platform.url, kiosk_id="K-OWN", timeout_s=5).enrol(code, secret=mine).secret
    assert got == mine
    assert PlatformClient(platform.url, kiosk_id="K-OWN", secret=mine, timeout_s=5).heartbeat(HB).catalog_version


def test_a_failing_save_during_enrol_does_not_spend_the_code(platform, admin, tmp_path, capsys):
    from ui.cli import main

    code = admin.new_enrolment("K-SAVE").code
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the secret's directory should be")

    def enrol(secret_file) -> int:
        cfg = tmp_path / "k.toml"
        cfg.write_text(f'kiosk_id = "K-SAVE"\n[platform]\nurl = "{platform.url}"\nsecret_file = "{secret_file}"\n',
                       encoding="utf-8")
        code_file = tmp_path / "code"
        code_file.write_text(code + "\n", encoding="utf-8")  # never an argument (visible in ps)
        return main(["platform", "enrol", "--code-file", str(code_file), "--config", str(cfg),
                     "--data-dir", str(tmp_path / "data")])

    assert enrol(blocker / "secret") == 1
    assert "NOT used" in capsys.readouterr().err
    good = tmp_path / "etc" / "secret"
    assert enrol(good) == 0  # the same code still works
    secret = good.read_text().strip()
    assert stat.S_IMODE(good.stat().st_mode) == 0o600 and not good.with_name("secret.pending").exists()
    assert PlatformClient(platform.url, kiosk_id="K-SAVE", secret=secret, timeout_s=5).heartbeat(HB).catalog_version
