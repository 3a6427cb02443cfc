"""schedule_runs: a job id is unique per company, not alone.

One scrapyd job may crawl a batch of companies; each keeps its own run row under the
batch's job id, and crawl sessions link back to their run by (job_id, company).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("schedule_runs") as table:  # SQLite rebuilds the table
        table.drop_constraint("uq_schedule_runs_job_id", type_="unique")
        table.create_unique_constraint(
            "uq_schedule_runs_job_id_company_id", ["job_id", "company_id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("schedule_runs") as table:
        table.drop_constraint("uq_schedule_runs_job_id_company_id", type_="unique")
        table.create_unique_constraint("uq_schedule_runs_job_id", ["job_id"])
