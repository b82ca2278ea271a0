"""pytest fixtures for running the platform's contract tests on both stores (a plugin of tests/conftest.py).

``central_db`` is module-scoped and parametrized: ``None`` (SQLite in the platform's data dir) and the URL of a
fresh database in the session's throwaway PostgreSQL cluster (tests/helpers/pg_cluster.py). A test module's
platform fixture passes it on: ``EmbeddedPlatform(..., db_url=central_db)``.
"""
from __future__ import annotations

import pytest

from .pg_cluster import PgCluster, pg_bin

NO_POSTGRES = ("PostgreSQL server binaries not found (/usr/lib/postgresql/*/bin/postgres): tools/system-deps.sh "
               "installs Debian's postgresql package (make test runs it)")


@pytest.fixture(scope="session")
def pg_cluster():
    bin_dir = pg_bin()
    if bin_dir is None:
        pytest.skip(NO_POSTGRES)
    cluster = PgCluster(bin_dir)
    try:
        cluster.start()
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def pg_url(pg_cluster) -> str:
    """A fresh empty PostgreSQL database for one test."""
    return pg_cluster.database()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def central_db(request) -> str | None:
    if request.param == "sqlite":
        return None
    return request.getfixturevalue("pg_cluster").database()
