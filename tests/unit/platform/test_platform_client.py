"""The client's transport: what is retried and what is not, and where the secret and TLS settings come from."""
from __future__ import annotations

import logging
import os

import pytest

from kiosk.platform.client import PlatformClient, PlatformError, RetryPolicy
from kiosk.platform.schema import Heartbeat
from kiosk.platform.transport import classify
from kiosk.runtime import build_client, read_secret
from kiosk.settings import default_files, load_settings
from tests.helpers.servers import FakeFailingPlatform


def test_a_safe_request_is_retried_with_backoff_and_an_unsafe_one_is_not():
    pauses = []
    with FakeFailingPlatform() as bad:
        c = PlatformClient(bad.url, kiosk_id="K", secret="s" * 20, retry=RetryPolicy(attempts=3, backoff_s=0.1),
                           sleep=pauses.append)
        with pytest.raises(PlatformError) as exc:
            c.heartbeat(Heartbeat(at="2026-01-01T00:00:00+08:00"))  # deduplicated: safe to repeat
        assert exc.value.kind == "server" and exc.value.code == 5000 and exc.value.retryable
        assert len(bad.hits) == 3 and len(pauses) == 2
        assert 0.05 <= pauses[0] <= 0.1 and 0.1 <= pauses[1] <= 0.2  # doubling, with jitter
        with pytest.raises(PlatformError):
            c.enrol("one-time-code-123")  # a one-time code is never sent twice
        assert len(bad.hits) == 4


@pytest.mark.parametrize("status,code,kind,retryable", [
    (500, 5000, "server", True), (503, None, "server", True), (429, None, "throttled", True),
    (401, 4012, "auth", True), (404, 4040, "not_found", False), (422, 4005, "invalid", False),
    (409, 4009, "conflict", True), (409, 4091, "conflict", False), (413, 4004, "invalid", False)])
def test_errors_are_classified_for_the_outbox(status, code, kind, retryable):
    assert classify(status, code) == (kind, retryable)


def test_the_secret_comes_from_the_settings_or_a_private_file(tmp_path, caplog):
    secret_file = tmp_path / "secret"
    secret_file.write_text("file-secret-0123456789\n", encoding="utf-8")
    os.chmod(secret_file, 0o644)
    s = load_settings(default_files(False), data_dir=tmp_path,
                      overrides={"platform": {"secret": "", "secret_file": str(secret_file)}})
    with caplog.at_level(logging.WARNING):
        assert read_secret(s) == "file-secret-0123456789"
    assert "readable by others" in caplog.text
    missing = s.model_copy(update={"platform": s.platform.model_copy(update={"secret_file": str(tmp_path / "no")})})
    assert read_secret(missing) is None
    inline = s.model_copy(update={"platform": s.platform.model_copy(update={"secret": "inline-secret"})})
    assert read_secret(inline) == "inline-secret"


def test_tls_is_verified_by_default_with_an_optional_private_ca(tmp_path, caplog):
    s = load_settings(default_files(False), data_dir=tmp_path, overrides={"platform": {"secret": "x"}})
    assert build_client(s).t.verify_tls is True
    ca = s.model_copy(update={"platform": s.platform.model_copy(update={"ca_file": "/etc/kiosk/ca.pem"})})
    assert build_client(ca).t.verify_tls == "/etc/kiosk/ca.pem"
    lab = s.model_copy(update={"platform": s.platform.model_copy(update={"verify_tls": False})})
    with caplog.at_level(logging.WARNING):
        assert build_client(lab).t.verify_tls is False
    assert "TLS verification of the platform is OFF" in caplog.text
