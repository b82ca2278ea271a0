"""电子监察 (issue 21, Deliver 3): staff contacts for 督办 notices, the 督办 records, the rating follow-ups'
steps: 0003_watch.sql.

Revision ID: 0003_watch
Revises: 0002_results_sms_staff_mine
"""
from central.store.migrate import run_sql_file

revision = "0003_watch"
down_revision = "0002_results_sms_staff_mine"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql_file("0003_watch.sql")
