"""Both stores answer the same calls: a table added to the SQLite store (a mixin) without its PostgreSQL twin
fails here, before a deployment on PostgreSQL finds out (docs/deployment.md: how a later table is ported)."""
from __future__ import annotations

import inspect

from central.store.pg import PgStore
from central.store.sqlite import SqliteStore


def _public(cls: type) -> dict[str, inspect.Signature]:
    return {n: inspect.signature(f) for n, f in inspect.getmembers(cls, inspect.isfunction) if not n.startswith("_")}


def test_the_postgresql_store_has_every_method_of_the_sqlite_store_with_the_same_parameters():
    sqlite, pg = _public(SqliteStore), _public(PgStore)
    assert sorted(set(sqlite) - set(pg)) == []
    differ = {n: (str(sqlite[n]), str(pg[n])) for n in sqlite
              if n != "lock" and list(sqlite[n].parameters) != list(pg[n].parameters)}
    assert differ == {}
