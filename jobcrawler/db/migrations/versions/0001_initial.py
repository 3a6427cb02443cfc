"""Initial schema: companies, job_postings, crawl_sessions, job_events.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copies of the column types in models.py as of this revision.
big_id = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
json_type = sa.JSON(none_as_null=True).with_variant(
    postgresql.JSONB(none_as_null=True), "postgresql"
)
timestamp = sa.DateTime(timezone=True)
money = sa.Numeric(14, 2, asdecimal=False)
zero = sa.text("0")


def upgrade() -> None:
    op.create_table(
        "companies",
        sa.Column("id", big_id, nullable=False),
        sa.Column("slug", sa.String(200), nullable=False),
        sa.Column("name", sa.Text(), nullable=False),
        sa.Column("ats", sa.String(50), nullable=False),
        sa.Column("board", sa.Text(), nullable=True),
        sa.Column("active", sa.Boolean(), server_default=sa.text("true"), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_companies"),
        sa.UniqueConstraint("slug", name="uq_companies_slug"),
    )
    op.create_table(
        "job_postings",
        sa.Column("id", big_id, nullable=False),
        sa.Column("company_id", big_id, nullable=False),
        sa.Column("external_id", sa.Text(), nullable=False),
        sa.Column("title", sa.Text(), nullable=True),
        sa.Column("url", sa.Text(), nullable=True),
        sa.Column("apply_url", sa.Text(), nullable=True),
        sa.Column("location", sa.Text(), nullable=True),
        sa.Column("city", sa.Text(), nullable=True),
        sa.Column("region", sa.Text(), nullable=True),
        sa.Column("country", sa.String(2), nullable=True),
        sa.Column("remote_type", sa.Text(), nullable=True),
        sa.Column("employment_type", sa.Text(), nullable=True),
        sa.Column("department", sa.Text(), nullable=True),
        sa.Column("team", sa.Text(), nullable=True),
        sa.Column("salary_min", money, nullable=True),
        sa.Column("salary_max", money, nullable=True),
        sa.Column("salary_currency", sa.String(3), nullable=True),
        sa.Column("salary_period", sa.Text(), nullable=True),
        sa.Column("posted_at", timestamp, nullable=True),
        sa.Column("description_html", sa.Text(), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), server_default=sa.text("'active'"), nullable=False),
        sa.Column("first_seen_at", timestamp, nullable=False),
        sa.Column("last_seen_at", timestamp, nullable=False),
        sa.Column("removed_at", timestamp, nullable=True),
        sa.Column("missing_since", timestamp, nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name="fk_job_postings_company_id_companies",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_job_postings"),
        sa.UniqueConstraint(
            "company_id", "external_id", name="uq_job_postings_company_id_external_id"
        ),
    )
    op.create_index("ix_job_postings_company_id_status", "job_postings", ["company_id", "status"])
    op.create_table(
        "crawl_sessions",
        sa.Column("id", big_id, nullable=False),
        sa.Column("company_id", big_id, nullable=False),
        sa.Column("spider", sa.String(100), nullable=False),
        sa.Column("job_id", sa.String(100), nullable=True),
        sa.Column("trigger", sa.String(16), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("finish_reason", sa.Text(), nullable=True),
        sa.Column("started_at", timestamp, nullable=False),
        sa.Column("finished_at", timestamp, nullable=True),
        sa.Column("items_scraped", sa.Integer(), server_default=zero, nullable=False),
        sa.Column("new_count", sa.Integer(), server_default=zero, nullable=False),
        sa.Column("updated_count", sa.Integer(), server_default=zero, nullable=False),
        sa.Column("unchanged_count", sa.Integer(), server_default=zero, nullable=False),
        sa.Column("removed_count", sa.Integer(), server_default=zero, nullable=False),
        sa.Column("reopened_count", sa.Integer(), server_default=zero, nullable=False),
        sa.Column("error_count", sa.Integer(), server_default=zero, nullable=False),
        sa.Column("stats", json_type, nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["company_id"],
            ["companies.id"],
            name="fk_crawl_sessions_company_id_companies",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_crawl_sessions"),
    )
    op.create_index(
        "ix_crawl_sessions_company_id_started_at", "crawl_sessions", ["company_id", "started_at"]
    )
    op.create_index("ix_crawl_sessions_job_id", "crawl_sessions", ["job_id"])
    op.create_table(
        "job_events",
        sa.Column("id", big_id, nullable=False),
        sa.Column("posting_id", big_id, nullable=False),
        sa.Column("session_id", big_id, nullable=True),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("at", timestamp, nullable=False),
        sa.Column("changes", json_type, nullable=True),
        sa.ForeignKeyConstraint(
            ["posting_id"],
            ["job_postings.id"],
            name="fk_job_events_posting_id_job_postings",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["crawl_sessions.id"],
            name="fk_job_events_session_id_crawl_sessions",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_job_events"),
    )
    op.create_index("ix_job_events_posting_id", "job_events", ["posting_id"])
    op.create_index("ix_job_events_at", "job_events", ["at"])


def downgrade() -> None:
    op.drop_table("job_events")
    op.drop_table("crawl_sessions")
    op.drop_table("job_postings")
    op.drop_table("companies")
