"""PostgreSQL for tests and the benchmark: a throwaway server, and databases on a server."""

from __future__ import annotations

import os
import pwd
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

from sqlalchemy import Engine, create_engine, make_url, text


def pg_bindir() -> Path | None:
    """Directory holding initdb/pg_ctl: `pg_config --bindir`, else the newest Debian layout."""
    candidates = []
    if shutil.which("pg_config"):
        result = subprocess.run(["pg_config", "--bindir"], capture_output=True, text=True)
        if result.stdout.strip():
            candidates.append(Path(result.stdout.strip()))
    versions = [p for p in Path("/usr/lib/postgresql").glob("*/bin") if p.parent.name.isdigit()]
    candidates += sorted(versions, key=lambda p: int(p.parent.name), reverse=True)
    return next((c for c in candidates if (c / "initdb").exists()), None)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_pg_server() -> tuple[str, list[str], Path]:
    """initdb + pg_ctl start in a temp dir; returns (server URL, command prefix, temp dir).

    initdb refuses to run as root, so as root everything runs as the `postgres` user.
    """
    bindir = pg_bindir()
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
    port = free_port()
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


def admin_engine(server_url: str) -> Engine:
    url = make_url(server_url).set(drivername="postgresql+psycopg2", database="postgres")
    return create_engine(url, isolation_level="AUTOCOMMIT")


def create_database(server_url: str) -> str:
    """Create an empty database `jobcrawler_test_<pid>_<random>`; return its URL."""
    name = f"jobcrawler_test_{os.getpid()}_{secrets.token_hex(4)}"
    admin = admin_engine(server_url)
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    url = make_url(server_url).set(database=name)
    return url.render_as_string(hide_password=False)


def drop_database(server_url: str, url: str) -> None:
    admin = admin_engine(server_url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()
