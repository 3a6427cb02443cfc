"""job_postings.list_hash: detail pages are fetched only when the list entry changed.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("job_postings") as batch:
        batch.add_column(sa.Column("list_hash", sa.String(64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("job_postings") as batch:
        batch.drop_column("list_hash")
