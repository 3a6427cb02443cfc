"""Statistics for search on PostgreSQL: the API's case-insensitive filters.

Statistics on lower(remote_type), lower(employment_type), lower(department) and status: an
expression has no statistics of its own, so the planner took 0.5% of rows to match any of
them and chose to sort every match rather than walk the sort index (figures in
`jobcrawler/db/search.py`). Narrower rows (`toast_tuple_target` 128) were tried as well
and dropped: a small heap made walking the sort index look cheap to the planner, which does
not cost reading search_doc from TOAST, and a rare word then took 650 ms instead of 20.
SQLite: nothing to do (FTS5 has its own table).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from jobcrawler.db.search import (
    PG_FILTER_EXPRESSIONS,
    PG_FILTER_STATISTICS,
)

revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE STATISTICS {PG_FILTER_STATISTICS} ON {PG_FILTER_EXPRESSIONS} FROM job_postings"
    )
    op.execute("ANALYZE job_postings")  # the new statistics, at once


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"DROP STATISTICS {PG_FILTER_STATISTICS}")
