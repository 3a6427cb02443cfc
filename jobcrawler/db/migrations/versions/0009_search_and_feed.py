"""Full-text search over postings and a commit-ordered events feed.

Search: PostgreSQL gets a GIN index over `to_tsvector('simple', title || ' ' || description)`
(an expression index, so the store's COPY path writes postings unchanged); SQLite gets an
FTS5 table over the same columns, kept in sync by triggers and filled from the stored
postings. `description` is the plain-text (Markdown) body; `description_html` would index
tags. The 'simple' configuration does not stem: postings come in many languages, and
SQLite's FTS5 tokenizer does not stem either, so both backends match the same words.

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
    PG_DOCUMENT,
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
    if postgres:
        op.alter_column(
            "job_events",
            "txid",
            server_default=sa.text("(pg_current_xact_id()::text)::bigint"),
        )
        op.execute(f"CREATE INDEX {FTS_INDEX} ON job_postings USING gin ({PG_DOCUMENT})")
        return
    op.execute(SQLITE_FTS_TABLE)
    for trigger in SQLITE_FTS_TRIGGERS:
        op.execute(trigger)
    op.execute("INSERT INTO job_postings_fts (job_postings_fts) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP INDEX {FTS_INDEX}")
    else:
        for name in ("ai", "ad", "au"):
            op.execute(f"DROP TRIGGER job_postings_fts_{name}")
        op.execute("DROP TABLE job_postings_fts")
    op.drop_index("ix_job_events_txid_id", table_name="job_events")
    with op.batch_alter_table("job_events") as table:  # SQLite rebuilds the table
        table.drop_column("txid")
