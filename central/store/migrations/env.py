"""Alembic's environment for the platform's PostgreSQL schema (central/store/migrate.py runs it)."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import context

MIGRATION_LOCK = 4_230_001  # pg_advisory_xact_lock key: one migrating process at a time


def run_migrations_online() -> None:
    engine = sa.create_engine(context.config.attributes["url"], poolclass=sa.pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, transactional_ddl=True)
        with context.begin_transaction():
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATION_LOCK})")
            context.run_migrations()
    engine.dispose()


run_migrations_online()
