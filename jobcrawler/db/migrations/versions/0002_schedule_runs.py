"""schedule_runs: the scheduler's claims on due crawls.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in jobcrawler/db/schedule.py as of this revision.
big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
timestamp = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "schedule_runs",
        sa.Column("id", big_id, nullable=False),
        sa.Column("company_id", big_id, nullable=False),
        sa.Column("due_at", timestamp, nullable=False),
        sa.Column("attempt", sa.Integer(), server_default=sa.text("0"), nullable=False),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("job_id", sa.String(100), nullable=False),
        sa.Column("node", sa.Text(), nullable=True),
        sa.Column("scheduled_at", timestamp, nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name="fk_schedule_runs_company_id_companies",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_schedule_runs"),
        sa.UniqueConstraint(
            "company_id", "due_at", "attempt", name="uq_schedule_runs_company_id_due_at_attempt"
        ),
        sa.UniqueConstraint("job_id", name="uq_schedule_runs_job_id"),
    )
    op.create_index("ix_schedule_runs_scheduled_at", "schedule_runs", ["scheduled_at"])


def downgrade() -> None:
    op.drop_table("schedule_runs")
