"""Planning aids for search on PostgreSQL: filter statistics and narrow posting rows.

Statistics on lower(remote_type), lower(employment_type), lower(department) and status
(the API's case-insensitive filters): an expression has no statistics of its own, so the
planner took 0.5% of rows to match any of them and chose to sort every match rather than
walk the sort index. And `toast_tuple_target` 128: descriptions, their HTML and search_doc
go to TOAST, so a row is ~300 bytes instead of ~2 KB, and a search that must read all its
matches' rows (the planner's choice when it underestimates correlated words) reads a
sixth of the pages. Both figures are in `jobcrawler/db/search.py`.

Existing rows narrow when next written (a recrawl moves every row's last_seen_at); VACUUM
FULL job_postings narrows them at once. SQLite: nothing to do (FTS5 has its own table).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op

from jobcrawler.db.search import (
    PG_FILTER_EXPRESSIONS,
    PG_FILTER_STATISTICS,
    PG_TOAST_TUPLE_TARGET,
)

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        f"CREATE STATISTICS {PG_FILTER_STATISTICS} ON {PG_FILTER_EXPRESSIONS} FROM job_postings"
    )
    op.execute(f"ALTER TABLE job_postings SET (toast_tuple_target = {PG_TOAST_TUPLE_TARGET})")
    op.execute("ANALYZE job_postings")  # the new statistics, at once


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("ALTER TABLE job_postings RESET (toast_tuple_target)")
    op.execute(f"DROP STATISTICS {PG_FILTER_STATISTICS}")
