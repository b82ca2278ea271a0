"""Schema migrations of the PostgreSQL store with Alembic (``kiosk central migrate``).

The revisions live in central/store/migrations/versions: plain SQL files run in order, each with a small
Python file naming its revision and the one before it. Alembic keeps the applied revision in the database
(``alembic_version``) and runs the rest in one transaction (PostgreSQL's DDL is transactional), under an
advisory lock, so several workers starting at once apply a revision once. SQLAlchemy is used only as Alembic's
connection to the database (driver psycopg 3), never by the store.
"""
from __future__ import annotations

from pathlib import Path

from .pg_base import conninfo

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def sqlalchemy_url(url: str) -> str:
    return "postgresql+psycopg://" + conninfo(url).partition("://")[2]


def _config(url: str):
    from alembic.config import Config  # noqa: PLC0415

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["url"] = sqlalchemy_url(url)
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    from alembic import command  # noqa: PLC0415

    command.upgrade(_config(url), revision)


def current(url: str) -> str | None:
    """The revision the database is at (None: never migrated)."""
    import sqlalchemy as sa  # noqa: PLC0415
    from alembic.runtime.migration import MigrationContext  # noqa: PLC0415

    engine = sa.create_engine(sqlalchemy_url(url), poolclass=sa.pool.NullPool)
    try:
        with engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()
    finally:
        engine.dispose()


def head() -> str:
    from alembic.script import ScriptDirectory  # noqa: PLC0415

    return str(ScriptDirectory.from_config(_config("postgresql:///x")).get_current_head())


def run_sql_file(name: str) -> None:
    """Run one revision's SQL file (called from the revision's ``upgrade``)."""
    from alembic import op  # noqa: PLC0415

    op.get_bind().exec_driver_sql((MIGRATIONS / "versions" / name).read_text(encoding="utf-8"))
