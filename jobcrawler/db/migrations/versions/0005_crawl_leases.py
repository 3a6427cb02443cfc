"""crawl_leases: one crawl per company at a time, and a record of who holds it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# Frozen copies of the column types in models.py as of this revision.
big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
timestamp = sa.DateTime(timezone=True)

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "crawl_leases",
        sa.Column("company_id", big_id, nullable=False),
        sa.Column("session_id", big_id, nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("acquired_at", timestamp, nullable=False),
        sa.Column("expires_at", timestamp, nullable=False),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name="fk_crawl_leases_company_id_companies",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["crawl_sessions.id"],
            name="fk_crawl_leases_session_id_crawl_sessions",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("company_id", name="pk_crawl_leases"),
    )


def downgrade() -> None:
    op.drop_table("crawl_leases")
