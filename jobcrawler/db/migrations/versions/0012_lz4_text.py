"""LZ4 for the large text of postings on PostgreSQL: descriptions and the search document.

Descriptions (a few KB each) are stored compressed; PostgreSQL's default, pglz, took
8.5 ms to decompress a thousand of them and LZ4 4.8 ms (the 1,000-event `/changes` page
reads a thousand), and writing 100,000 of them took 3.9 s with pglz and 1.2 s with LZ4
(`make bench` shows the page). Values already stored keep pglz until they are rewritten
(a changed posting); VACUUM FULL does not recompress them. Skipped on a server built
without LZ4 or older than PostgreSQL 14 (no per-column compression). SQLite: nothing to do.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-02
"""

from collections.abc import Sequence

from alembic import op
from sqlalchemy import text

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ("description", "description_html", "search_doc")


def upgrade() -> None:
    _compress("lz4")


def downgrade() -> None:
    _compress("pglz")


def _compress(method: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    offered = bind.execute(
        text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    if not offered or method not in offered:
        return
    changes = ", ".join(f"ALTER COLUMN {name} SET COMPRESSION {method}" for name in COLUMNS)
    op.execute(f"ALTER TABLE job_postings {changes}")
