"""Run the reference platform: in-process on a free port (demo mode, tests) or alone (``kiosk central``)."""
from __future__ import annotations

import logging
import secrets
import socket
import threading
import time
from pathlib import Path

import uvicorn

from .app import create_app
from .config import PlatformConfig, demo_kiosks

log = logging.getLogger(__name__)


class EmbeddedPlatform:
    """The platform on 127.0.0.1 in a background thread; ``url`` is known once ``start`` returns.

    ``kiosks`` (id -> secret) are enrolled at start; by default the demo kiosk of config/demo.toml.
    ``admin_token`` defaults to a fresh random token (``self.admin_token``) for the demo and tests.
    """

    def __init__(self, data_dir: Path, catalog_dir: Path | None = None, host: str = "127.0.0.1", port: int = 0, *,
                 kiosks: dict[str, str] | None = None, admin_token: str | None = None,
                 config: PlatformConfig | None = None) -> None:
        if config is None:
            config = PlatformConfig(data_dir=Path(data_dir))
            if catalog_dir is not None:
                config.catalog_dir = Path(catalog_dir)
            config.kiosks = demo_kiosks() if kiosks is None else dict(kiosks)
            config.admin_token = admin_token or secrets.token_urlsafe(16)
        self.config = config
        self.admin_token = config.admin_token
        self.app = create_app(config)
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self.host, self.port = self._sock.getsockname()[:2]
        uv = uvicorn.Config(self.app, log_level="warning", access_log=False, lifespan="off")
        self._server = uvicorn.Server(uv)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def store(self):
        return self.app.state.store

    def start(self, timeout_s: float = 10.0) -> None:
        self._thread = threading.Thread(target=self._server.run, kwargs={"sockets": [self._sock]},
                                        name="central", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + timeout_s
        while not self._server.started:  # uvicorn offers no event for this; poll its flag briefly
            if time.monotonic() > deadline or not self._thread.is_alive():
                raise RuntimeError("the embedded platform did not start")
            time.sleep(0.01)
        log.info("reference platform on %s", self.url)

    def stop(self) -> None:
        self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._sock.close()
        self.app.state.store.close()


def serve(host: str, port: int, config: PlatformConfig) -> None:
    """Run the platform in the foreground until interrupted."""
    uvicorn.run(create_app(config), host=host, port=port, log_level="info")
