"""Migration tests' databases and Alembic calls."""

from __future__ import annotations

from alembic import command
from sqlalchemy import Engine

from jobcrawler.db.engine import alembic_config, migrations_dir
from tests.helpers.store import postings_by_id


def alembic(engine: Engine, action: str, revision: str) -> None:
    with migrations_dir() as location, engine.begin() as conn:
        config = alembic_config(location)
        config.attributes["connection"] = conn
        getattr(command, action)(config, revision)


def stored_hashes(engine: Engine) -> dict[str, str]:
    return {ext: row.content_hash for ext, row in postings_by_id(engine).items()}
