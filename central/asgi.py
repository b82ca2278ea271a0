"""The platform as an application path, for ``kiosk central --workers N`` (hypercorn's worker processes).

Each worker is a fresh process (multiprocessing "spawn") that calls ``central.asgi:worker_app()``; the parent hands it
the platform's settings in the environment variable ``KIOSK_CENTRAL_WORKER_CONFIG`` (JSON; the administrator's
token with them: a process's environment is readable by its own user only, unlike its command line). Every
worker opens its own connection pool to the same PostgreSQL database and the same files directory: nothing one
worker needs is held in another's memory (docs/deployment.md lists what was checked).
"""
from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from .config import PlatformConfig

ENV = "KIOSK_CENTRAL_WORKER_CONFIG"
_FIELDS = ("data_dir", "db_url", "db_timeout_s", "db_pool_size", "catalog_dir", "shared_data_file", "kiosks",
           "admin_token", "max_skew_s",
           "max_body_bytes", "max_public_body_bytes", "header_timeout_s", "body_timeout_s", "min_body_rate_bps",
           "max_inflight", "signature_v1_until", "demo", "max_file_bytes", "max_upload_bytes", "chunk_bytes",
           "payment_ttl_s", "enrolment_ttl_s", "citizen_session_ttl_s", "sessions_per_kiosk_per_minute",
           "lookups_per_kiosk_per_minute", "lookups_per_session", "public_url")
_PATHS = {"data_dir", "catalog_dir", "shared_data_file"}


def config_to_env(config: PlatformConfig) -> str:
    return json.dumps({f: (str(getattr(config, f)) if f in _PATHS else getattr(config, f)) for f in _FIELDS})


def config_from_env() -> PlatformConfig:
    raw = os.environ.get(ENV)
    if not raw:
        raise RuntimeError(f"central.asgi:worker_app() is started by `kiosk central --workers N` (${ENV} is not set)")
    values: dict[str, Any] = json.loads(raw)
    for f in _PATHS:
        values[f] = Path(values[f])
    return PlatformConfig(**values)


def worker_app() -> Any:
    """The app of one worker (hypercorn's application path ``central.asgi:worker_app()``): built in the worker,
    never on import."""
    from .app import create_app  # noqa: PLC0415

    return create_app(config_from_env())
