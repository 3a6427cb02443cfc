"""Migration content_hash_by_name: stored hashes move to the new definition, so a recrawl of an
unchanged board after the upgrade records no update, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime
from types import ModuleType
from typing import Any

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from jobcrawler.db import migrate
from jobcrawler.db import store as db_store
from jobcrawler.db.content import content_hash
from jobcrawler.db.engine import alembic_config, migrations_dir
from tests.helpers.migrations import alembic, stored_hashes
from tests.helpers.store import captured_sql, crawl, events, posting

POSTINGS = [
    posting(1),
    posting(2, salary_min=None, salary_max=None, team=None, posted_at=None),
    posting(3, country="de", salary_min="61000.505", title="Ingénieur · Zürich"),
    posting(4, posted_at=datetime(2026, 11, 3, 7, 5, 9, 123456, tzinfo=UTC), description=""),
    *(posting(i) for i in range(5, 1105)),  # past the migration's 1,000 rows per batch
]


def the_migration() -> ModuleType:
    """Found by file name: the integrator may renumber its revision."""
    with migrations_dir() as location:
        scripts = ScriptDirectory.from_config(alembic_config(location))
        for script in scripts.walk_revisions():
            if script.path.endswith("_content_hash_by_name.py"):
                return script.module
    raise LookupError("content_hash_by_name migration not found")


def by_id(hash_of: Any) -> dict[str, str]:
    return {p["external_id"]: hash_of(p) for p in POSTINGS}


@pytest.mark.parametrize(
    "fresh_engine",
    ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)],
    indirect=True,
)
def test_upgrade_rehashes_so_a_recrawl_updates_nothing(
    fresh_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    engine = fresh_engine
    migration = the_migration()
    alembic(engine, "upgrade", migration.down_revision)
    with monkeypatch.context() as patch:  # a crawl by the code before the migration
        patch.setattr(db_store, "hash_clean", migration._tuple_hash)
        patch.setattr(db_store.bulk, "write_places", lambda *args, **kwargs: None)  # no table
        assert crawl(engine, POSTINGS, batch=400).new_count == len(POSTINGS)
    old = stored_hashes(engine)
    assert old == by_id(migration._tuple_hash)
    assert not set(old.values()) & set(by_id(content_hash).values())

    migrate(engine)
    assert stored_hashes(engine) == by_id(content_hash)
    with captured_sql(engine) as statements:
        again = crawl(engine, POSTINGS, batch=400)
    assert (again.updated_count, again.unchanged_count) == (0, len(POSTINGS))
    assert {e.kind for e in events(engine)} == {"created"}
    assert not [s for s in statements if "INSERT INTO job_postings" in s or "COPY" in s]

    alembic(engine, "downgrade", migration.down_revision)
    assert stored_hashes(engine) == old
