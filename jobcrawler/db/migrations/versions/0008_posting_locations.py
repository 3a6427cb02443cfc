"""posting_locations: every place of a posting, so a filter on country or city matches any.

Stored postings get their primary place (their own city/region/country, `location` as the
raw text) at position 0; a posting listed in several places gets the others the next time
a crawl sees it (its content hash then covers them, so it is recorded as updated once).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "posting_locations",
        sa.Column("posting_id", BigId, nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("region", sa.Text(), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("raw", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["job_postings.id"],
            name="fk_posting_locations_posting_id_job_postings",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("posting_id", "position", name="pk_posting_locations"),
    )
    op.create_index("ix_posting_locations_country", "posting_locations", ["country"])
    op.create_index(
        "ix_posting_locations_city_lower", "posting_locations", [sa.text("lower(city)")]
    )
    op.execute(
        "INSERT INTO posting_locations (posting_id, position, city, region, country, raw) "
        "SELECT id, 0, city, region, country, location FROM job_postings "
        "WHERE city IS NOT NULL OR region IS NOT NULL OR country IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_index("ix_posting_locations_city_lower", table_name="posting_locations")
    op.drop_index("ix_posting_locations_country", table_name="posting_locations")
    op.drop_table("posting_locations")
