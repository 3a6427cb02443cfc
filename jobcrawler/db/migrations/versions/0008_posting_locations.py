"""posting_locations: every place of a posting, so a filter on country or city matches any.

Stored postings get the places their own columns name, as the running code's normalize
stage reads them (the `location` text, the stored city/region/country first), and a
posting in several places gets the hash that now covers them: the next crawl of an
unchanged board records no update. (Where a platform lists places its `location` text
does not name, as Greenhouse offices, that crawl records the places as an update.)
Downgrade restores the hashes without places.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

from jobcrawler.db.content import content_hash
from jobcrawler.normalize.location import Location, posting_places

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BigId = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
# Frozen copy of the content columns as of this revision.
FIELDS = (
    "title", "url", "apply_url", "location", "city", "region", "country", "remote_type",
    "employment_type", "department", "team", "salary_min", "salary_max", "salary_currency",
    "salary_period", "posted_at", "description_html", "description",
)  # fmt: skip
TYPES = {
    "id": BigId,
    "salary_min": sa.Numeric(14, 2, asdecimal=False),
    "salary_max": sa.Numeric(14, 2, asdecimal=False),
    "posted_at": sa.DateTime(timezone=True),
}
BATCH = 1000  # postings read and written per statement

postings = sa.table(
    "job_postings",
    *(sa.column(name, TYPES.get(name)) for name in ("id", *FIELDS, "content_hash")),
)
places = sa.table(
    "posting_locations",
    *(sa.column(name) for name in ("posting_id", "position", "city", "region", "country", "raw")),
)


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
    _each_batch(_place)


def downgrade() -> None:
    _each_batch(lambda row: (content_hash(row), []))  # without `locations`: the old hash
    op.drop_index("ix_posting_locations_city_lower", table_name="posting_locations")
    op.drop_index("ix_posting_locations_country", table_name="posting_locations")
    op.drop_table("posting_locations")


def _place(row: Mapping[str, Any]) -> tuple[str, list[dict[str, Any]]]:
    """(new hash, place rows) of a stored posting."""
    given = Location(row["city"], row["region"], row["country"])
    _, found = posting_places(row["location"], (), given)
    located = [place.fields() for place in found]
    rows = [{"posting_id": row["id"], "position": n, **p} for n, p in enumerate(located)]
    return content_hash({**row, "locations": located}), rows


def _each_batch(
    work: Callable[[Mapping[str, Any]], tuple[str, list[dict[str, Any]]]],
) -> None:
    """Run `work` on every stored posting, BATCH at a time; store the new hashes that
    differ and the place rows it returns."""
    conn = op.get_bind()
    rehash = (
        sa.update(postings)
        .where(postings.c.id == sa.bindparam("pid"))
        .values(content_hash=sa.bindparam("new_hash"))
    )
    last = None
    while True:
        query = sa.select(postings).order_by(postings.c.id).limit(BATCH)
        if last is not None:
            query = query.where(postings.c.id > last)
        rows = conn.execute(query).mappings().all()
        if not rows:
            return
        last = rows[-1]["id"]
        hashes, located = [], []
        for row in rows:
            new_hash, place_rows = work(row)
            located += place_rows
            if new_hash != row["content_hash"]:
                hashes.append({"pid": row["id"], "new_hash": new_hash})
        if hashes:
            conn.execute(rehash, hashes)
        if located:
            conn.execute(sa.insert(places), located)
