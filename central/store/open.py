"""Which store a platform runs on, from a URL: ``sqlite:///PATH/central.sqlite`` or ``postgresql://...``.

A password never goes in the URL (``ps`` and shell histories show command lines): libpq reads it from
``PGPASSFILE`` (or ~/.pgpass) or ``PGPASSWORD``, and the platform refuses a URL that carries one.
"""
from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

from .base import Store

SQLITE_NAME = "central.sqlite"


class BadStoreUrl(ValueError):
    pass


def default_url(data_dir: Path) -> str:
    return f"sqlite:///{Path(data_dir).resolve() / SQLITE_NAME}"


def check_url(url: str) -> str:
    """``url`` if the platform can use it; else BadStoreUrl saying why (never echoing a password)."""
    scheme = url.partition("://")[0].split("+", 1)[0]
    if scheme == "sqlite":
        path = url.partition("://")[2]
        if not path.startswith("/") or not path.endswith(f"/{SQLITE_NAME}"):
            raise BadStoreUrl(f"a SQLite URL names the store's file: sqlite:///DIR/{SQLITE_NAME}")
        return url
    if scheme in ("postgresql", "postgres"):
        if urlsplit(url).password is not None or "password=" in url:
            raise BadStoreUrl("the PostgreSQL URL carries a password: put it in PGPASSFILE (or ~/.pgpass) or "
                              "PGPASSWORD, never on the command line")
        return url
    raise BadStoreUrl(f"unknown database URL scheme {scheme!r}: sqlite:///... or postgresql://...")


def open_store(url: str) -> Store:
    check_url(url)
    if url.startswith("sqlite:"):
        from .sqlite import SqliteStore  # noqa: PLC0415

        return SqliteStore(Path(url.partition("://")[2]).parent)
    from .pg import PgStore  # noqa: PLC0415 (psycopg is loaded only for a PostgreSQL deployment)

    return PgStore(url)
