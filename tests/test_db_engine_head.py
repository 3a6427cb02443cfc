"""`migrate()` finds the head without Alembic, and imports Alembic only to upgrade."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import text

from jobcrawler.db import make_engine, migrate
from jobcrawler.db.engine import alembic_config, head_revisions, migrations_dir

# Migrates twice (the second time the schema is current, in a fresh process) and tells
# whether that second process imported Alembic.
MIGRATE_AND_REPORT = """
import sys
from jobcrawler.db import make_engine, migrate
migrate(make_engine(sys.argv[1]))
print("alembic" in sys.modules)
"""


def test_head_from_file_names_is_alembics_head() -> None:
    with migrations_dir() as location:
        heads = set(ScriptDirectory.from_config(alembic_config(location)).get_heads())
    assert head_revisions() == heads


def _imports_alembic(url: str) -> bool:
    result = subprocess.run(
        [sys.executable, "-c", MIGRATE_AND_REPORT, url],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.strip() == "True"


@pytest.mark.e2e
def test_current_schema_needs_no_alembic_import(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    assert _imports_alembic(url)  # a fresh database is upgraded
    assert not _imports_alembic(url)  # then it is at head: a plain read suffices


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_older_revision_is_upgraded(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """A database one migration behind is noticed and brought to head."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    else:
        url = request.getfixturevalue("empty_pg_url")
    engine = make_engine(url)
    (head,) = head_revisions()
    older = f"{int(head) - 1:04d}"
    with migrations_dir() as location, engine.begin() as conn:
        config = alembic_config(location)
        config.attributes["connection"] = conn
        command.upgrade(config, older)
    migrate(engine)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == head
    engine.dispose()
