"""Issued results, the SMS outbox and courier events (issue 18), staff accounts to staff actions (issue 21), the
applicant index of 我的办件 (issue 18): 0002_results_sms_staff_mine.sql.

Revision ID: 0002_results_sms_staff_mine
Revises: 0001_initial
"""
from central.store.migrate import run_sql_file

revision = "0002_results_sms_staff_mine"
down_revision = "0001_initial"
branch_labels = None
depends_on = None


def upgrade() -> None:
    run_sql_file("0002_results_sms_staff_mine.sql")
