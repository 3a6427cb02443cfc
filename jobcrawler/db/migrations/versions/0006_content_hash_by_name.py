"""job_postings.content_hash over field names and non-null values, not a field tuple.

A field added to the model later then leaves existing hashes unchanged. Every stored row is
rehashed from its own columns, which hold cleaned values, with the running code's
`content_hash`, so the next crawl of an unchanged posting computes the same hash and records
no update. Downgrade restores the old definition the same way.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

import hashlib
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

from jobcrawler.db.content import clean_posting, content_hash, utc

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Frozen copy of the content columns as of this revision, in the old hash's order.
FIELDS = (
    "title", "url", "apply_url", "location", "city", "region", "country", "remote_type",
    "employment_type", "department", "team", "salary_min", "salary_max", "salary_currency",
    "salary_period", "posted_at", "description_html", "description",
)  # fmt: skip
TYPES = {
    "id": sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
    "salary_min": sa.Numeric(14, 2, asdecimal=False),
    "salary_max": sa.Numeric(14, 2, asdecimal=False),
    "posted_at": sa.DateTime(timezone=True),
}
BATCH = 1000  # rows read and rewritten per statement

postings = sa.table(
    "job_postings",
    *(sa.column(name, TYPES.get(name)) for name in ("id", *FIELDS, "content_hash")),
)


def upgrade() -> None:
    _rehash(content_hash)


def downgrade() -> None:
    _rehash(_tuple_hash)


def _tuple_hash(row: Mapping[str, Any]) -> str:
    """The definition before this revision: FIELDS in order, None as "-"."""
    values = clean_posting(row)
    digest = hashlib.sha256()
    for field in FIELDS:
        value = values[field]
        if value is None:
            digest.update(b"-")
            continue
        if isinstance(value, datetime):
            value = utc(value).isoformat()
        data = (value if isinstance(value, str) else repr(value)).encode()
        digest.update(b"%d:" % len(data))
        digest.update(data)
    return digest.hexdigest()


def _rehash(hash_row: Callable[[Mapping[str, Any]], str]) -> None:
    """Rewrite the rows whose hash differs, paging by id so memory stays flat."""
    conn = op.get_bind()
    columns = [postings.c[name] for name in ("id", *FIELDS, "content_hash")]
    rewrite = (
        sa.update(postings)
        .where(postings.c.id == sa.bindparam("pid"))
        .values(content_hash=sa.bindparam("hash"))
    )
    last = 0
    while True:
        query = sa.select(*columns).where(postings.c.id > last).order_by(postings.c.id)
        rows = conn.execute(query.limit(BATCH)).mappings().all()
        if not rows:
            return
        changes = []
        for row in rows:
            new = hash_row(row)
            if new != row["content_hash"]:
                changes.append({"pid": row["id"], "hash": new})
        if changes:
            conn.execute(rewrite, changes)
        last = rows[-1]["id"]
