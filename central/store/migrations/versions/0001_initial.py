"""The platform's tables as of issue 20 (applications, kiosks, anchor, citizens, help, ratings): 0001_initial.sql.

Revision ID: 0001_initial
Revises:
"""
from central.store.migrate import run_sql_file

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql_file("0001_initial.sql")
