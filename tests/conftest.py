"""Shared pytest fixtures.

Databases: `db_url` / `engine` run a test on a clean, migrated SQLite file and on PostgreSQL.
PostgreSQL is `TEST_DATABASE_URL` (a server URL; a database is created on it for the run and
dropped afterwards) or else a throwaway server started from the local PostgreSQL binaries.
Without either, PostgreSQL tests are skipped, except under `CI=true`, where they fail.
"""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, make_url, text

from jobcrawler.db import make_engine, migrate
from jobcrawler.fakeats import FakeATS

# --- PostgreSQL ---------------------------------------------------------------------------


def _pg_bindir() -> Path | None:
    """Directory holding initdb/pg_ctl: `pg_config --bindir`, else the newest Debian layout."""
    candidates = []
    if shutil.which("pg_config"):
        result = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if result.stdout.strip():
            candidates.append(Path(result.stdout.strip()))
    versions = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()]
    candidates += sorted(versions, key=lambda p: int(p.parent.name), reverse=True)
    return next((c for c in candidates if (c / "initdb").exists()), None)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _start_pg_server() -> tuple[str, list[str], Path]:
    """initdb + pg_ctl start in a temp dir; returns (server URL, command prefix, temp dir).

    initdb refuses to run as root, so as root everything runs as the `postgres` user.
    """
    bindir = _pg_bindir()
    if bindir is None:
        raise RuntimeError("no PostgreSQL binaries (initdb) found")
    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            raise RuntimeError("running as root and there is no 'postgres' user") from None
        prefix = [shutil.which("runuser") or "/usr/sbin/runuser", "-u", "postgres", "--"]
    tmp = Path(tempfile.mkdtemp(prefix="jobcrawler-pg-"))
    if owner is not None:
        os.chown(tmp, owner.pw_uid, owner.pw_gid)
    port = _free_port()
    options = (
        f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1 "
        "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    )

    def run(*args: str) -> None:
        subprocess.run([*prefix, *args], cwd=tmp, check=True, capture_output=True, timeout=120)

    data, log = str(tmp / "data"), str(tmp / "log")
    try:
        run(str(bindir / "initdb"), "-D", data, "-U", "postgres", "-A", "trust", "--no-sync")
        run(str(bindir / "pg_ctl"), "-D", data, "-l", log, "-o", options, "-w", "start")
    except subprocess.CalledProcessError as exc:
        detail = exc.stderr.decode() + (Path(log).read_text() if Path(log).exists() else "")
        shutil.rmtree(tmp, ignore_errors=True)
        raise RuntimeError(f"could not start PostgreSQL: {detail[-800:]}") from exc
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    stop = [*prefix, str(bindir / "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"]
    return f"postgresql://postgres@127.0.0.1:{port}/postgres", stop, tmp


@pytest.fixture(scope="session")
def pg_server_url() -> Iterator[str]:
    """URL of a PostgreSQL server the tests may create databases on."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        yield url
        return
    try:
        url, stop, tmp = _start_pg_server()
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


def _admin_engine(server_url: str) -> Engine:
    url = make_url(server_url).set(drivername="postgresql+psycopg2", database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT")


def _create_pg_database(server_url: str) -> str:
    """Create an empty database `jobcrawler_test_<pid>_<random>`; return its URL."""
    name = f"jobcrawler_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = _admin_engine(server_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server_url).set(database=name)
    return url.render_as_string(hide_password=False)


def _drop_pg_database(server_url: str, url: str) -> None:
    admin = _admin_engine(server_url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def pg_url(pg_server_url: str) -> Iterator[str]:
    """A migrated PostgreSQL database for this test run (dropped at the end)."""
    url = _create_pg_database(pg_server_url)
    try:
        engine = make_engine(url)
        migrate(engine)
        engine.dispose()
        yield url
    finally:
        _drop_pg_database(pg_server_url, url)


@pytest.fixture
def empty_pg_url(pg_server_url: str) -> Iterator[str]:
    """A fresh, unmigrated PostgreSQL database (for migration tests)."""
    url = _create_pg_database(pg_server_url)
    try:
        yield url
    finally:
        _drop_pg_database(pg_server_url, url)


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
