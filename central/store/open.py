"""Which store a platform runs on, from a URL: ``sqlite:////DIR/central.sqlite`` or ``postgresql://...``.

``default_url(data_dir)`` is ``sqlite:////DATA_DIR/central.sqlite`` (SQLAlchemy's spelling of an absolute path).
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


def sqlite_path(url: str) -> Path:
    """The file of ``sqlite:////abs/dir/central.sqlite`` (SQLAlchemy's form: three slashes, then the path)."""
    return Path(url[len("sqlite:///"):])


def check_url(url: str) -> str:
    """``url`` if the platform can use it; else BadStoreUrl saying why (never echoing a password)."""
    scheme = url.partition("://")[0].split("+", 1)[0]
    if scheme == "sqlite":
        if not url.startswith("sqlite:///") or not sqlite_path(url).is_absolute() \
                or sqlite_path(url).name != SQLITE_NAME:
            raise BadStoreUrl(f"a SQLite URL names the store's file by its absolute path: "
                              f"sqlite:////DIR/{SQLITE_NAME}")
        return url
    if scheme in ("postgresql", "postgres"):
        if urlsplit(url).password is not None or "password=" in url:
            raise BadStoreUrl("the PostgreSQL URL carries a password: put it in PGPASSFILE (or ~/.pgpass) or "
                              "PGPASSWORD, never on the command line")
        return url
    raise BadStoreUrl(f"unknown database URL scheme {scheme!r}: sqlite:///... or postgresql://...")


def open_store(url: str, *, timeout_s: float = 10.0, pool_size: int = 8) -> Store:
    """The store ``url`` names; ``timeout_s`` and ``pool_size`` are PostgreSQL's (``PlatformConfig.db_*``)."""
    check_url(url)
    if url.startswith("sqlite:"):
        from .sqlite import SqliteStore  # noqa: PLC0415

        return SqliteStore(sqlite_path(url).parent)
    from .pg import PgStore  # noqa: PLC0415 (psycopg is loaded only for a PostgreSQL deployment)

    return PgStore(url, timeout_s=timeout_s, pool_size=pool_size)
