"""Full-text search over postings and a commit-ordered events feed.

Search: PostgreSQL gets a stored generated column `search_doc` =
`to_tsvector('simple', title || ' ' || description)` with a GIN index: the server fills it
on every write, COPY included, so the store's writes are unchanged and need no trigger. (A
bare expression index was tried first: matching rows had to re-parse each description, and
without column statistics the planner walked the sort index instead: 16 s for a rare word
on 100,000 postings.) SQLite gets an FTS5 table over the same columns, kept in sync by
triggers and filled from the stored postings. `description` is the plain-text (Markdown) body; `description_html` would index
tags. The 'simple' configuration does not stem: postings come in many languages, and
SQLite's FTS5 tokenizer does not stem either, so both backends match the same words.

Sorting: indexes on (first_seen_at, id) and (coalesce(posted_at, first_seen_at), id) serve
the API's keyset pages.

Feed: `job_events.txid` is the writing transaction's id on PostgreSQL (a column default,
so COPY fills it too), 0 on SQLite, whose writers commit one at a time. `/changes` reads
events in (txid, id) order, only below the oldest running transaction: see
`jobcrawler/api/changes.py`. Events stored before this revision get 0: they are committed.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from jobcrawler.db.search import (
    FTS_INDEX,
    PG_COLUMN,
    PG_DOCUMENT,
    POSTED_INDEX,
    POSTED_KEY,
    SQLITE_FTS_TABLE,
    SQLITE_FTS_TRIGGERS,
)

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    # Constant default first: existing rows get 0 without a table rewrite.
    op.add_column(
        "job_events", sa.Column("txid", sa.BigInteger(), nullable=False, server_default="0")
    )
    op.create_index("ix_job_events_txid_id", "job_events", ["txid", "id"])
    op.create_index("ix_job_postings_first_seen_at_id", "job_postings", ["first_seen_at", "id"])
    op.execute(f"CREATE INDEX {POSTED_INDEX} ON job_postings ({POSTED_KEY}, id)")
    if postgres:
        op.alter_column(
            "job_events",
            "txid",
            server_default=sa.text("(pg_current_xact_id()::text)::bigint"),
        )
        op.execute(
            f"ALTER TABLE job_postings ADD COLUMN {PG_COLUMN} tsvector "
            f"GENERATED ALWAYS AS ({PG_DOCUMENT}) STORED"
        )
        op.execute(f"CREATE INDEX {FTS_INDEX} ON job_postings USING gin ({PG_COLUMN})")
        return
    op.execute(SQLITE_FTS_TABLE)
    for trigger in SQLITE_FTS_TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO job_postings_fts (job_postings_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX {FTS_INDEX}")
        op.execute(f"ALTER TABLE job_postings DROP COLUMN {PG_COLUMN}")
    else:
        for name in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER job_postings_fts_{name}")
        op.execute("DROP TABLE job_postings_fts")
    op.drop_index(POSTED_INDEX, table_name="job_postings")
    op.drop_index("ix_job_postings_first_seen_at_id", table_name="job_postings")
    op.drop_index("ix_job_events_txid_id", table_name="job_events")
    with op.batch_alter_table("job_events") as table:  # SQLite rebuilds the table
        table.drop_column("txid")
