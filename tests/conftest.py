"""Shared pytest fixtures.

Databases: `db_url` / `engine` run a test on a clean, migrated SQLite file and on PostgreSQL.
PostgreSQL is `TEST_DATABASE_URL` (a server URL; a database is created on it for the run and
dropped afterwards) or else a throwaway server started from the local PostgreSQL binaries.
Without either, PostgreSQL tests are skipped, except under `CI=true`, where they fail.

Tiers: a test is `e2e` when it starts a server or a process: PostgreSQL (the fixtures below,
or the `postgresql` param of `db_url`), the fake ATS over HTTP (`fake_ats`), or, marked by
its module, a crawl process, scrapyd or Chromium. `pytest -m "not e2e"` is the fast tier,
and it stays in process: there a started process or fake ATS server fails the test.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from fakeats import FakeATS
from jobcrawler.db import dispose_shared_engines, make_engine, migrate
from tests.helpers.pgserver import create_database, drop_database, start_pg_server
from tests.helpers.scheduler import Reply, SocketNode

# --- Tiers -------------------------------------------------------------------------------

#: Fixtures that start a server: a test using one (directly or not) is end to end.
E2E_FIXTURES = {"pg_server_url", "fake_ats"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        uses = set(getattr(item, "fixturenames", ()))
        if uses & E2E_FIXTURES or item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.e2e)


def _refuse(what: str) -> Callable[..., None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError(f"a fast-tier test {what}: mark it `pytest.mark.e2e`")

    return refuse


@contextmanager
def _in_process_only(item: pytest.Item) -> Iterator[None]:
    """Keeps the tiers honest: a test not marked e2e, its fixtures included, may start no
    process (a crawl, scrapyd, Chromium...) and no fake ATS server."""
    if item.get_closest_marker("e2e"):
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(subprocess.Popen, "__init__", _refuse("started a process"))
        patch.setattr(FakeATS, "start", _refuse("started the fake ATS server"))
        yield


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item: pytest.Item) -> Iterator[None]:
    with _in_process_only(item):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Iterator[None]:
    with _in_process_only(item):
        return (yield)


# --- PostgreSQL ---------------------------------------------------------------------------


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of a PostgreSQL server the tests may create databases on."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    try:
        url, stop, tmp = start_pg_server()
    except (RuntimeError, OSError, subprocess.SubprocessError) as exc:
        message = f"PostgreSQL unavailable (set TEST_DATABASE_URL or install it): {exc}"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        yield url
    finally:
        subprocess.run(stop, cwd=tmp, capture_output=True)
        shutil.rmtree(tmp, ignore_errors=True)


@pytest.fixture(scope="session")
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A migrated PostgreSQL database for this test run (dropped at the end)."""
    url = create_database(pg_server_url)
    try:
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
    finally:
        drop_database(pg_server_url, url)


@pytest.fixture
def empty_pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, unmigrated PostgreSQL database (for migration tests)."""
    url = create_database(pg_server_url)
    try:
        yield url
    finally:
        drop_database(pg_server_url, url)


def _truncate_pg(url: str) -> None:
    engine = make_engine(url)
    with engine.begin() as conn:
        tables = conn.scalars(
            text(
                "SELECT quote_ident(tablename) FROM pg_tables "
                "WHERE schemaname = current_schema() AND tablename <> 'alembic_version'"
            )
        ).all()
        if tables:
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
    engine.dispose()


# --- SQLite and both-backend fixtures ---------------------------------------------------


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file; tests get copies (cheaper than migrating each time)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "jobcrawler.sqlite3"
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    engine.dispose()  # last connection closed: WAL checkpointed into the main file
    return path


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """URL of a clean, migrated database, once per backend."""
    if request.param == "sqlite":
        path = tmp_path / "jobcrawler.sqlite3"
        shutil.copyfile(request.getfixturevalue("_sqlite_template"), path)
        return f"sqlite:///{path}"
    url: str = request.getfixturevalue("pg_url")
    _truncate_pg(url)
    return url


@pytest.fixture(autouse=True)
def _release_shared_engines() -> Iterator[None]:
    """In-process crawls share one engine per URL (db.shared_engine); each test's database
    is its own, so their connections go with the test."""
    yield
    dispose_shared_engines()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


# --- Fake ATS ----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def fake_ats() -> Iterator[FakeATS]:
    """One fake ATS server for the session; tests add boards with unique tokens."""
    with FakeATS() as server:
        yield server


@pytest.fixture
def serve() -> Iterator[Callable[[Reply], SocketNode]]:
    started: list[SocketNode] = []

    def start(reply: Reply) -> SocketNode:
        started.append(SocketNode(reply))
        return started[-1]

    yield start
    for server in started:
        server.close()


@pytest.fixture
def fresh_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An empty database, once per backend."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        url = request.getfixturevalue("empty_pg_url")
    engine = make_engine(url)
    yield engine
    engine.dispose()
