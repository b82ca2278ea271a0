"""The PostgreSQL store's plumbing: a connection pool, rows as dicts, errors as the ``Store`` raises them.

Every method of ``PgStore`` is one statement on a pooled connection in autocommit, or one explicit
transaction (``self._tx()``) where the SQLite store took its process lock around several statements. Nothing a
second worker needs lives in this object: the pool is per process, the data and its rules are in the database.
"""
from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool, PoolTimeout

from .base import Duplicate, Row, StoreUnavailable

JSON_COLS = {"decision", "manifest", "response", "last_heartbeat", "data", "note"}


def conninfo(url: str) -> str:
    """libpq's URI from ``postgresql://`` or SQLAlchemy's ``postgresql+psycopg://`` (same thing after the +)."""
    scheme, sep, rest = url.partition("://")
    if not sep or scheme.split("+", 1)[0] not in ("postgresql", "postgres"):
        raise ValueError(f"not a PostgreSQL URL: {scheme}://...")
    return "postgresql://" + rest


class PgBase:
    def __init__(self, url: str, *, pool_size: int = 8, timeout_s: float = 10.0) -> None:
        """``pool_size``: connections this process may hold (each platform worker has its own pool).
        ``timeout_s``: how long a request waits for a connection or the server before ``StoreUnavailable``."""
        self.url = url
        self._timeout_s = timeout_s
        # check: a connection is tried before it is handed out, so one cut by a server restart or a failover
        # is replaced instead of failing a request (one round trip on a local socket)
        self._pool = ConnectionPool(conninfo(url), min_size=1, max_size=pool_size, timeout=timeout_s, open=False,
                                    check=ConnectionPool.check_connection,
                                    kwargs={"autocommit": True, "row_factory": dict_row,
                                            "connect_timeout": max(1, int(timeout_s))},
                                    name="central")
        try:
            self._pool.open(wait=True, timeout=timeout_s)
        except PoolTimeout as exc:
            self._pool.close()
            raise StoreUnavailable(f"cannot reach PostgreSQL at {redacted(url)}: {exc}") from None

    # ----- connections and transactions --------------------------------------------------------------------
    @contextlib.contextmanager
    def _conn(self) -> Iterator[psycopg.Connection]:
        try:
            with self._pool.connection() as conn:
                yield conn
        except psycopg.errors.UniqueViolation as exc:
            raise Duplicate(str(exc).splitlines()[0]) from None
        except (psycopg.OperationalError, PoolTimeout) as exc:
            raise StoreUnavailable(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None

    @contextlib.contextmanager
    def _tx(self) -> Iterator[psycopg.Connection]:
        """One transaction on one connection: all of it or none of it, whatever the other workers do."""
        with self._conn() as conn, conn.transaction():
            yield conn

    def lock(self, name: str) -> "AdvisoryLock":
        """A lock every worker of the platform shares: a PostgreSQL session advisory lock on its own
        connection, released when the block ends or, if the worker dies, when its connection does."""
        return AdvisoryLock(self, name)

    # ----- rows --------------------------------------------------------------------------------------------
    @staticmethod
    def _decode(row: dict[str, Any]) -> Row:
        row.pop("row_no", None)
        for k in JSON_COLS & row.keys():
            if isinstance(row[k], str):
                row[k] = json.loads(row[k])
        return row

    def _all(self, sql: str, args: tuple = ()) -> list[Row]:
        if _has_nul(args):  # PostgreSQL text never holds NUL (SQLite's may): nothing can match, as on SQLite
            return []
        with self._conn() as conn:
            rows = conn.execute(sql, args).fetchall()
        return [self._decode(dict(r)) for r in rows]

    def _one(self, sql: str, args: tuple = ()) -> Row | None:
        rows = self._all(sql, args)
        return rows[0] if rows else None

    def _exec(self, sql: str, args: tuple = ()) -> int:
        """Run one statement; the number of rows it touched."""
        with self._conn() as conn:
            return conn.execute(sql, args).rowcount

    def _scalar(self, sql: str, args: tuple = ()) -> Any:
        if _has_nul(args):
            return None
        with self._conn() as conn:
            row = conn.execute(sql, args).fetchone()
        return None if row is None else next(iter(row.values()))

    @staticmethod
    def _j(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def close(self) -> None:
        self._pool.close()


def _has_nul(args: tuple) -> bool:
    return any(isinstance(a, str) and "\x00" in a for a in args)


def redacted(url: str) -> str:
    """The URL without a password (for logs and messages)."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, hostpart = rest.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    return f"{scheme}{sep}{userinfo.split(':', 1)[0]}:***@{hostpart}"


class AdvisoryLock:
    """``with store.lock("submit"):`` across workers. Not re-entrant (like ``threading.Lock``).

    Threads of one worker queue on a thread lock first, so at most one of them holds a pooled connection
    while it waits for the database's lock: waiting threads never take the connections the holder needs
    (a pool of 8 would otherwise run dry under a burst and time out)."""

    def __init__(self, store: PgBase, name: str) -> None:
        self._store = store
        self._key = "central:" + name
        self._here = threading.Lock()
        self._cm: contextlib.AbstractContextManager | None = None
        self._conn: psycopg.Connection | None = None

    def __enter__(self) -> None:
        self._here.acquire()
        try:
            cm = self._store._conn()
            conn = cm.__enter__()
            try:
                conn.execute("SELECT pg_advisory_lock(hashtext(%s))", (self._key,))
            except BaseException as exc:
                cm.__exit__(type(exc), exc, exc.__traceback__)
                raise
        except BaseException:
            self._here.release()
            raise
        self._cm, self._conn = cm, conn

    def __exit__(self, *exc: object) -> None:
        cm, conn = self._cm, self._conn
        self._cm = self._conn = None
        try:
            assert cm is not None and conn is not None
            try:
                conn.execute("SELECT pg_advisory_unlock(hashtext(%s))", (self._key,))
            finally:
                cm.__exit__(None, None, None)
        finally:
            self._here.release()
