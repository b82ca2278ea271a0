"""The platform as an application path, for ``kiosk central --workers N`` (hypercorn's worker processes).

Each worker is a fresh process (multiprocessing "spawn") that calls ``central.asgi:worker_app()``; the parent hands it
the platform's settings in the environment variable ``KIOSK_CENTRAL_WORKER_CONFIG`` (pickled; the administrator's
token with them: a process's environment is readable by its own user only, unlike its command line). Every
worker opens its own connection pool to the same PostgreSQL database and the same files directory: nothing one
worker needs is held in another's memory (docs/deployment.md lists what was checked).
"""
from __future__ import annotations

import base64
import pickle
import os
from typing import Any

from .config import PlatformConfig

ENV = "KIOSK_CENTRAL_WORKER_CONFIG"
RESULTS_BASE_ENV = "KIOSK_CENTRAL_RESULTS_BASE"  # without --public-url: the base URL of issued results' QR codes
def config_to_env(config: PlatformConfig) -> str:
    """The whole configuration (nested settings included), pickled: it goes from the parent to its own
    workers only, through their environment, never through a file or the network."""
    return base64.b64encode(pickle.dumps(config)).decode("ascii")


def config_from_env() -> PlatformConfig:
    raw = os.environ.get(ENV)
    if not raw:
        raise RuntimeError(f"central.asgi:worker_app() is started by `kiosk central --workers N` (${ENV} is not set)")
    config = pickle.loads(base64.b64decode(raw))  # noqa: S301 (written by our own parent process, see above)
    if not isinstance(config, PlatformConfig):
        raise RuntimeError(f"${ENV} does not hold a PlatformConfig")
    return config


def worker_app() -> Any:
    """The app of one worker (hypercorn's application path ``central.asgi:worker_app()``): built in the worker,
    never on import."""
    from .app import create_app  # noqa: PLC0415

    app = create_app(config_from_env())
    if os.environ.get(RESULTS_BASE_ENV):
        app.state.platform.results_base = os.environ[RESULTS_BASE_ENV]
    return app
