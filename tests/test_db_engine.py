"""Engine construction, URL selection and migrations (including from a zipped egg)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import warnings
import zipfile
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

import jobcrawler
from jobcrawler.db import engine as db_engine
from jobcrawler.db import make_engine, migrate
from jobcrawler.db.engine import copy_tree, database_url
from jobcrawler.db.models import Base
from jobcrawler.db.search import SEARCH_OBJECTS

TABLES = {
    "companies",
    "job_postings",
    "job_events",
    "crawl_sessions",
    "posting_locations",
    "saved_searches",
    "subscriptions",
    "deliveries",
    "alembic_version",
}


@pytest.fixture
def no_db_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("DATABASE_URL", "JOBCRAWLER_DATA_DIR", "SCRAPY_SETTINGS_MODULE"):
        monkeypatch.delenv(name, raising=False)


def test_database_url_env_wins(no_db_env: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://u:p@db:5432/jobs")
    monkeypatch.setenv("JOBCRAWLER_DATA_DIR", "/nowhere")
    assert database_url() == "postgresql://u:p@db:5432/jobs"


def test_database_url_data_dir_env_is_made_absolute(
    no_db_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JOBCRAWLER_DATA_DIR", "data")
    expected = tmp_path.resolve() / "data" / "jobcrawler.sqlite3"
    assert database_url() == f"sqlite:///{expected}"
    assert expected.parent.is_dir()


@pytest.mark.parametrize("in_project", [True, False])
def test_database_url_defaults_to_scrapy_data_dir(
    no_db_env: None, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, in_project: bool
) -> None:
    workdir = tmp_path / "sub"
    workdir.mkdir()
    if in_project:  # the project's .scrapy/ sits next to scrapy.cfg, wherever we run from
        (tmp_path / "scrapy.cfg").write_text("[settings]\ndefault = jobcrawler.settings\n")
    monkeypatch.chdir(workdir)
    base = tmp_path if in_project else workdir
    expected = base.resolve() / ".scrapy" / "jobcrawler.sqlite3"
    url = database_url()
    assert url == f"sqlite:///{expected}"
    assert Path(url.removeprefix("sqlite:///")).is_absolute()
    assert expected.parent.is_dir()


@pytest.mark.parametrize(
    ("url", "driver"),
    [
        ("postgres://u:s3cret@db:5432/jobs", "postgresql+psycopg2"),
        ("postgresql://u:s3cret@db:5432/jobs", "postgresql+psycopg2"),
        ("postgresql+psycopg2://u:s3cret@db/jobs", "postgresql+psycopg2"),
        ("sqlite:////tmp/x.sqlite3", "sqlite+pysqlite"),
    ],
)
def test_make_engine_picks_driver(url: str, driver: str) -> None:
    engine = make_engine(url)
    assert engine.url.drivername == driver
    if driver.startswith("postgresql"):
        assert engine.url.password == "s3cret"
        assert engine.pool._pre_ping
    engine.dispose()


def test_make_engine_rejects_other_databases() -> None:
    with pytest.raises(ValueError, match="unsupported database"):
        make_engine("mysql://u@db/jobs")


def test_sqlite_pragmas(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'x.sqlite3'}")
    with engine.connect() as conn:
        pragmas = {
            name: conn.exec_driver_sql(f"PRAGMA {name}").scalar()
            for name in ("journal_mode", "busy_timeout", "foreign_keys")
        }
    engine.dispose()
    assert pragmas == {"journal_mode": "wal", "busy_timeout": 30000, "foreign_keys": 1}


#: The newest migration; bump when adding one.
HEAD = "0012"


def _assert_at_head(engine: Engine) -> None:
    with engine.connect() as conn:
        assert set(inspect(conn).get_table_names()) >= TABLES
        assert MigrationContext.configure(conn).get_current_revision() == HEAD
        # the hand-written migration creates exactly what the models declare (SQLite can't
        # reflect the lower(city) index, PostgreSQL compares it)
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", ".*expression-based index")
            context = MigrationContext.configure(conn, opts={"include_name": _not_search})
            assert compare_metadata(context, Base.metadata) == []


def _not_search(name: str | None, type_: str, parents: object) -> bool:
    """Full-text search objects are backend-specific, made by migration 0009 only."""
    return not (name or "").startswith(SEARCH_OBJECTS)


def test_migration_matches_models(engine: Engine) -> None:
    _assert_at_head(engine)


def test_migrate_at_head_is_cheap_and_idempotent(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_upgrade(*args: object, **kwargs: object) -> None:
        raise AssertionError("migrate() ran an upgrade although the schema is at head")

    monkeypatch.setattr(db_engine, "upgrade", no_upgrade)
    started = time.perf_counter()
    for _ in range(3):
        migrate(engine)
    assert (time.perf_counter() - started) / 3 < 0.5
    _assert_at_head(engine)


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_concurrent_migrations_dont_race(
    backend: str, request: pytest.FixtureRequest, tmp_path: Path
) -> None:
    """Crawls starting together on a fresh database all migrate it without errors."""
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        url = request.getfixturevalue("empty_pg_url")
    engines = [make_engine(url) for _ in range(4)]
    barrier = threading.Barrier(len(engines))
    errors: list[BaseException] = []

    def run(engine: Engine) -> None:
        barrier.wait()
        try:
            migrate(engine)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(engine,)) for engine in engines]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    _assert_at_head(engines[0])
    for engine in engines:
        engine.dispose()


def _zip_package(zip_path: Path) -> Path:
    """Zip the real `jobcrawler` package the way an egg holds it (no bytecode caches)."""
    package_dir = Path(jobcrawler.__file__).parent
    with zipfile.ZipFile(zip_path, "w") as archive:
        for path in sorted(package_dir.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                archive.write(path, Path("jobcrawler") / path.relative_to(package_dir))
    return zip_path


def test_copy_tree_from_zip(tmp_path: Path) -> None:
    archive = _zip_package(tmp_path / "jobcrawler.egg")
    source = zipfile.Path(archive, "jobcrawler/db/migrations/")
    copy_tree(source, tmp_path / "out")
    real = Path(jobcrawler.__file__).parent / "db" / "migrations"
    for name in ("env.py", "script.py.mako", "versions/0001_initial.py"):
        assert (tmp_path / "out" / name).read_bytes() == (real / name).read_bytes()


ZIPPED_MIGRATE = """
import json
import sys
from importlib.resources import files
from pathlib import Path
sys.path.insert(0, sys.argv[1])
import jobcrawler.db
from jobcrawler.db import make_engine, migrate
from sqlalchemy import inspect
assert jobcrawler.db.__file__.startswith(sys.argv[1]), jobcrawler.db.__file__
assert not isinstance(files("jobcrawler.db") / "migrations", Path)
engine = make_engine(sys.argv[2])
migrate(engine)
migrate(engine)
print(json.dumps(inspect(engine).get_table_names()))
"""


@pytest.mark.e2e
def test_migrate_from_zipped_package(tmp_path: Path) -> None:
    """scrapyd runs the project from a zipped egg: alembic must still find its scripts."""
    archive = _zip_package(tmp_path / "jobcrawler.egg")
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONPATH")}
    result = subprocess.run(
        [sys.executable, "-c", ZIPPED_MIGRATE, str(archive), f"sqlite:///{tmp_path / 'z.db'}"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) >= TABLES
