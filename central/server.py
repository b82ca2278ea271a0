"""Run the reference platform: in-process on a free port (demo mode, tests) or alone (``kiosk central``).

Served by hypercorn, not uvicorn: uvicorn has no read timeout for request headers, so a connection that
sends half a request line stays open for ever. hypercorn closes a connection that has not sent complete
headers within ``header_timeout_s`` (its idle timer runs from accept until a request starts), limits the
header size (``h11_max_incomplete_size``) and times out every read (``read_timeout``); the body deadline
and the refusal of unsigned bodies are ``central.auth``'s.
"""
from __future__ import annotations

import asyncio
import logging
import os
import secrets
import socket
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .config import PlatformConfig, demo_kiosks

if TYPE_CHECKING:
    from hypercorn.config import Config as HypercornConfig

# hypercorn, FastAPI and the platform's routers (central.app) are imported when the platform is built, not on
# import of this module: a kiosk binds its embedded platform's port at once and builds the platform after its
# first frame is on screen (ui.cli.Composition, issue 22).

log = logging.getLogger(__name__)


class EmbeddedPlatform:
    """The platform on 127.0.0.1 in a background thread; ``url`` is known once ``start`` returns.

    ``kiosks`` (id -> secret) are enrolled at start; by default the demo kiosk of config/demo.toml.
    ``admin_token`` defaults to a fresh random token (``self.admin_token``) for the demo and tests.
    ``db_url``: the records on PostgreSQL (tests of both stores); default SQLite in ``data_dir``.
    ``lazy``: only bind the port now; the application is built by ``start``/``start_background`` (or on first
    use of ``app``), so a kiosk can show its first frame before paying for FastAPI and the routers.
    """

    def __init__(self, data_dir: Path, catalog_dir: Path | None = None, host: str = "127.0.0.1", port: int = 0, *,
                 kiosks: dict[str, str] | None = None, admin_token: str | None = None,
                 config: PlatformConfig | None = None, db_url: str | None = None, lazy: bool = False) -> None:
        if config is None:
            config = PlatformConfig(data_dir=Path(data_dir), db_url=db_url)
            if catalog_dir is not None:
                config.catalog_dir = Path(catalog_dir)
            config.kiosks = demo_kiosks() if kiosks is None else dict(kiosks)
            config.admin_token = admin_token or secrets.token_urlsafe(16)
            config.demo = True  # the embedded platform is the demo's and the tests': the simulated payer is on
        self.config = config
        self.admin_token = config.admin_token
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._sock.bind((host, port))
        self._sock.listen(128)  # connections queue from now on, so ``url`` works before the server answers
        self.host, self.port = self._sock.getsockname()[:2]
        self._app: Any = None
        self._build_lock = threading.Lock()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self.failed: BaseException | None = None  # why a background start failed
        self._closed = False
        if not lazy:
            self._build()

    @property
    def app(self) -> Any:
        """The ASGI application (FastAPI); built on first use when the platform was made ``lazy``."""
        return self._build()

    @property
    def built(self) -> bool:
        return self._app is not None

    @property
    def serving(self) -> bool:
        """True once the server answers on ``url`` (requests sent earlier wait in the socket's queue)."""
        return self._ready.is_set()

    def _build(self) -> Any:
        with self._build_lock:
            if self._app is None:
                from .app import create_app  # noqa: PLC0415 - FastAPI and every router: about 0.7 s

                app = create_app(self.config)
                # Issued results' QR codes point here unless a public URL is configured (central.results.issue).
                app.state.platform.results_base = self.url
                self._app = app
            return self._app

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def store(self):
        return self.app.state.store

    def start(self, timeout_s: float = 10.0) -> None:
        self._build()
        self.start_background()
        if not self._ready.wait(timeout_s):
            raise RuntimeError("the embedded platform did not start") from self.failed

    def start_background(self) -> None:
        """Build (if not yet built) and serve in a background thread; returns at once. Requests sent before
        the server is up wait in the listening socket's queue."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="central", daemon=True)
        self._thread.start()

    def wait_serving(self, timeout_s: float = 10.0) -> bool:
        return self._ready.wait(timeout_s)

    def _run(self) -> None:
        from hypercorn.asyncio import serve as hypercorn_serve  # noqa: PLC0415

        try:
            self._build()
        except BaseException as exc:  # noqa: BLE001 - reported to whoever waits, and logged
            self.failed = exc
            log.exception("the embedded platform could not be built")
            return
        if self._closed:
            return  # stopped while it was being built

        async def main() -> None:
            self._loop = asyncio.get_running_loop()
            self._stop = asyncio.Event()
            self._ready.set()
            log.info("reference platform serving on %s", self.url)
            hc = server_config(self.config, [f"fd://{os.dup(self._sock.fileno())}"], quiet=True)
            await hypercorn_serve(self.app, hc, shutdown_trigger=self._stop.wait, mode="asgi")

        asyncio.run(main())

    def stop(self) -> None:
        self._closed = True
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        if self._thread is not None:
            self._thread.join(5)
            self._thread = None
        self._sock.close()
        with self._build_lock:
            app = self._app
        if app is None:
            return  # never built (a kiosk closed before its first frame): nothing was opened
        if app.state.platform.notifier is not None:
            app.state.platform.notifier.stop()  # its thread ends before the store closes under it
        app.state.store.close()


def server_config(config: PlatformConfig, bind: list[str], *, quiet: bool = False) -> HypercornConfig:
    """hypercorn's settings from the platform's limits: header time and size, read time, keep-alive."""
    from hypercorn.config import Config as HypercornConfig  # noqa: PLC0415

    hc = HypercornConfig()
    hc.bind = bind
    hc.keep_alive_timeout = config.header_timeout_s  # from accept (and between requests) to complete headers
    hc.read_timeout = int(max(1, config.header_timeout_s))  # any single read, headers or body
    hc.h11_max_incomplete_size = 16 * 1024  # request line and headers
    hc.backlog = 128
    hc.graceful_timeout = 2.0
    hc.accesslog = None
    hc.errorlog = logging.getLogger("central.server")
    hc.loglevel = "WARNING" if quiet else "INFO"
    return hc


def serve(host: str, port: int, config: PlatformConfig, workers: int = 1) -> int:
    """Run the platform in the foreground until SIGINT/SIGTERM; ``workers`` > 1: that many processes on one
    listening socket (hypercorn's workers), each with its own connection pool to the same database."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    app_base = None
    if config.public_url is None:  # issued results' QR codes need an absolute URL (central/results/issue.py)
        shown = socket.getfqdn() if host in ("0.0.0.0", "::", "") else host
        app_base = f"http://[{shown}]:{port}" if ":" in shown else f"http://{shown}:{port}"
        log.warning("no --public-url: issued results' QR codes point at %s, which a phone may not reach", app_base)
    if workers <= 1:
        from hypercorn.asyncio import serve as hypercorn_serve  # noqa: PLC0415

        from .app import create_app  # noqa: PLC0415

        app = create_app(config)
        if app_base is not None:
            app.state.platform.results_base = app_base
        asyncio.run(hypercorn_serve(app, server_config(config, [bind]), mode="asgi"))
        return 0
    from hypercorn.run import run as hypercorn_run  # noqa: PLC0415

    from .asgi import ENV, RESULTS_BASE_ENV, config_to_env  # noqa: PLC0415
    from .store import default_url, open_store  # noqa: PLC0415

    open_store(config.db_url or default_url(config.data_dir)).close()  # migrate once, before the workers start
    from .results.keys import ensure  # noqa: PLC0415

    ensure(config.data_dir)  # the results' signing key, made once here: workers racing to make it would differ
    os.environ[ENV] = config_to_env(config)  # inherited by the spawned workers
    if app_base is not None:
        os.environ[RESULTS_BASE_ENV] = app_base
    hc = server_config(config, [bind])
    hc.application_path = "central.asgi:worker_app()"
    hc.workers = workers
    return hypercorn_run(hc)
