"""Property-based fuzz of the whole API from its own OpenAPI document (schemathesis): no server error.

Every generated request is signed by a small ASGI shim (and admin requests carry the token), so the
fuzz reaches the handlers behind the signature check instead of bouncing off it with 401s.
"""
from __future__ import annotations

import atexit
import hashlib
import os
import secrets
import shutil
import tempfile
import time
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig

from central.app import create_app
from central.config import PlatformConfig
from kiosk.platform.schema import (API_PREFIX, H_BODY_SHA256, H_KIOSK, H_NONCE, H_SIGNATURE, H_SIGNATURE_VERSION,
                                   H_TIMESTAMP, sign_v2)

KIOSK, SECRET, ADMIN = "K-FUZZ", "fuzz-secret-0123456789", "fuzz-admin-token"
_DATA = Path(tempfile.mkdtemp(prefix="central-fuzz-"))
APP = create_app(PlatformConfig(data_dir=_DATA, kiosks={KIOSK: SECRET}, admin_token=ADMIN))


def _remove_data() -> None:
    """Made at import (every worker collects this module), so removed at exit: a run leaves nothing in /tmp. The SMS
    notifier's thread (woken by a fuzzed submission) is stopped first: writing while the directory was removed, it
    left the directory behind once (rmtree's last rmdir found a new file)."""
    platform = APP.state.platform
    if platform.notifier is not None:
        platform.notifier.stop()
    APP.state.store.close()
    shutil.rmtree(_DATA, ignore_errors=True)


atexit.register(_remove_data)


class SigningShim:
    """What a kiosk (or the administrator) adds to each request, applied to whatever the fuzzer sends."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or not scope["path"].startswith(API_PREFIX):
            return await self.app(scope, receive, send)
        chunks = []
        while True:
            message = await receive()
            chunks.append(message.get("body", b""))
            if not message.get("more_body"):
                break
        body = b"".join(chunks)
        headers = [(k, v) for k, v in scope["headers"] if k.lower() not in (b"authorization",)]
        if scope["path"].startswith(f"{API_PREFIX}/admin/"):
            headers.append((b"authorization", f"Bearer {ADMIN}".encode()))
        else:
            path = (scope.get("raw_path") or scope["path"].encode()).decode("latin-1")
            if scope.get("query_string"):
                path += "?" + scope["query_string"].decode("latin-1")
            ts, nonce, digest = str(int(time.time())), secrets.token_urlsafe(18), hashlib.sha256(body).hexdigest()
            covered = {k.decode("latin-1"): v.decode("latin-1") for k, v in headers}  # Idempotency-Key, Upload-Offset
            signature = sign_v2(SECRET, KIOSK, scope["method"], path, ts, nonce, digest, covered)
            for name, value in ((H_KIOSK, KIOSK), (H_TIMESTAMP, ts), (H_NONCE, nonce), (H_BODY_SHA256, digest),
                                (H_SIGNATURE_VERSION, "2"), (H_SIGNATURE, signature)):
                headers.append((name.lower().encode(), value.encode()))
        sent = False

        async def replay():
            nonlocal sent
            if not sent:
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        return await self.app(dict(scope, headers=headers), replay, send)


# The coverage phase (boundary values of every keyword) is left to long runs: FUZZ_COVERAGE=1.
_CONFIG = SchemathesisConfig.from_dict({"phases": {"coverage": {"enabled": bool(os.environ.get("FUZZ_COVERAGE"))},
                                                   "stateful": {"enabled": False}}})
schema = schemathesis.openapi.from_asgi("/openapi.json", SigningShim(APP), config=_CONFIG)

pytestmark = pytest.mark.slow


@schema.parametrize()
# 12 examples per operation keep the suite fast; FUZZ_EXAMPLES=500 for a long run before a release.
@settings(max_examples=int(os.environ.get("FUZZ_EXAMPLES", "12")), deadline=None, suppress_health_check=list(HealthCheck), database=None)
def test_no_request_the_schema_allows_makes_the_platform_fail(case):
    case.call_and_validate(checks=[not_a_server_error])
