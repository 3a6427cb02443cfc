"""LZ4 for the large text of postings on PostgreSQL: descriptions and the search document.

Descriptions (a few KB each) are stored compressed. The store's COPY of new postings
already asked for LZ4 per transaction (`default_toast_compression`); as the columns'
own setting it holds for every write: other statements, an operator's SQL, `make bench`'s
generated postings (which were pglz, and made `/changes` look slower than crawled data
reads). PostgreSQL's default, pglz, took 8.5 ms to decompress a thousand descriptions and
LZ4 4.8 ms; writing 100,000 took 3.9 s and 1.2 s. Values already stored keep their
compression until rewritten. Skipped on a server built without LZ4 or older than
PostgreSQL 14 (no per-column compression). SQLite: nothing to do.

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
    _compress("default")  # the server's default_toast_compression, as before


def _compress(method: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    offered = bind.execute(
        text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    if not offered or "lz4" not in offered:
        return
    changes = ", ".join(f"ALTER COLUMN {name} SET COMPRESSION {method}" for name in COLUMNS)
    op.execute(f"ALTER TABLE job_postings {changes}")
