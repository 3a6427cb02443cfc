"""The real commands as a user runs them: `| head`, a fresh file, a server that is down,
cron logs, the demo's database and `make deploy COMPANIES_DIR=...`."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from jobcrawler.clitools import EXIT_BROKEN_PIPE
from jobcrawler.db.access import EXIT_UNREACHABLE
from jobcrawler.demo import DEMO_SQLITE
from tests.helpers.api import serve_process
from tests.helpers.scheduler import STAMP

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[1]
DOWN = "postgresql://someone:s3cret@127.0.0.1:1/x"  # nothing listens on port 1


def env(tmp_path: Path, **extra: str) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SCRAPYD_URLS")}
    return {
        **base,
        "JOBCRAWLER_DATA_DIR": str(tmp_path / "data"),
        "SCRAPYD_URLS": "http://127.0.0.1:9/",
        **extra,
    }


def command(tmp_path: Path, *args: str, **extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env(tmp_path, **extra),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_head_closing_the_pipe_ends_quietly_with_141(tmp_path: Path) -> None:
    """The table (3,000 companies) is far larger than the pipe's buffer: `head` closes the
    pipe while status still writes, whatever the timing."""
    catalog = tmp_path / "companies"
    catalog.mkdir()
    (catalog / "many.yaml").write_text(
        "".join(f"- name: Company {i}\n  ats: lever\n  board: board{i}\n" for i in range(3000))
    )
    pipeline = f"set -o pipefail; {sys.executable} -m scheduler status | head -n 2"
    result = subprocess.run(
        ["bash", "-c", pipeline],
        cwd=ROOT,
        env=env(tmp_path, JOBCRAWLER_COMPANIES_DIR=str(catalog)),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == EXIT_BROKEN_PIPE, result.stderr
    assert result.stdout.splitlines()[0].split()[:2] == ["node", "health"]
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr


@pytest.mark.parametrize(
    "args",
    [("scheduler", "status", "--format", "jsonl"), ("jobcrawler", "report", "--format", "csv")],
)
def test_stdout_closed_before_the_first_line(tmp_path: Path, args: tuple[str, ...]) -> None:
    db = tmp_path / "full.sqlite3"
    migrated = command(tmp_path, "jobcrawler", "db", "upgrade", DATABASE_URL=f"sqlite:///{db}")
    assert migrated.returncode == 0, migrated.stderr
    with sqlite3.connect(db) as conn:
        conn.executemany(
            "INSERT INTO companies (slug, name, ats, board) VALUES (?, ?, 'lever', ?)",
            [(f"company_{i}", f"Company {i}", f"board{i}") for i in range(2000)],
        )
    process = subprocess.Popen(
        [sys.executable, "-m", *args],
        cwd=ROOT,
        env=env(tmp_path, DATABASE_URL=f"sqlite:///{db}"),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    process.stdout.close()  # the reader is gone before the command writes
    err = process.stderr.read()
    assert process.wait(timeout=120) == EXIT_BROKEN_PIPE, err
    assert err == ""


def test_fresh_sqlite_file_reports_no_crawls_and_stays_absent(tmp_path: Path) -> None:
    db = tmp_path / "never.sqlite3"
    url = f"sqlite:///{db}"
    for args in (("jobcrawler", "report"), ("scheduler", "stats", "--format", "json")):
        result = command(tmp_path, *args, DATABASE_URL=url)
        assert result.returncode == 0, result.stderr
        assert result.stderr == f"no crawls yet: the database at {url} has no tables\n"
    assert result.stdout == "[]\n"
    assert not db.exists()


@pytest.mark.parametrize(
    "args",
    [
        ("jobcrawler", "report"),
        ("jobcrawler", "db", "upgrade"),
        ("scheduler", "new", "--format", "jsonl"),
        ("scheduler", "status"),
        ("scheduler", "tick"),
    ],
)
def test_unreachable_postgresql_is_one_line_and_exit_5(tmp_path: Path, args) -> None:
    result = command(tmp_path, *args, DATABASE_URL=DOWN)
    assert result.returncode == EXIT_UNREACHABLE
    [line] = result.stderr.splitlines()
    line = STAMP.sub("", line)  # tick stamps its lines
    assert line.startswith("error: cannot reach the database at postgresql://someone:***@")
    assert "Connection refused" in line and "s3cret" not in line
    assert result.stdout == ""


def test_cron_commands_stamp_every_line_on_stdout_and_stderr(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cron.sqlite3'}"
    maintain = command(tmp_path, "scheduler", "maintain", DATABASE_URL=url)
    assert maintain.returncode == 0, maintain.stderr
    tick = command(tmp_path, "scheduler", "tick", "--jitter", "0", DATABASE_URL=url)
    assert tick.returncode == 1  # no node is reachable
    lines = [*maintain.stdout.splitlines(), *tick.stdout.splitlines(), *tick.stderr.splitlines()]
    assert len(maintain.stdout.splitlines()) == 3 and tick.stderr
    assert all(STAMP.match(line) for line in lines), lines
    assert "error: no scrapyd node is reachable" in tick.stderr

    status = command(tmp_path, "scheduler", "stats", DATABASE_URL=url)
    assert not STAMP.match(status.stdout)  # reports are not logs


def test_demo_writes_its_own_database_not_the_default(tmp_path: Path) -> None:
    result = command(tmp_path, "jobcrawler", "demo")
    assert result.returncode == 0, result.stderr
    data = tmp_path / "data"
    assert sorted(p.name for p in data.glob("*.sqlite3")) == [DEMO_SQLITE]
    with sqlite3.connect(data / DEMO_SQLITE) as conn:
        slugs = [s for (s,) in conn.execute("SELECT slug FROM companies ORDER BY slug")]
    assert slugs and all(s.startswith("demo_") for s in slugs)
    assert f"database sqlite:///{data.resolve() / DEMO_SQLITE}" in result.stdout
    assert "serve --demo" in result.stdout  # the next step

    with serve_process(None, tmp_path, "--demo", env=env(tmp_path)) as base:
        served = httpx.get(f"{base}/companies").json()["companies"]
    assert sorted(c["slug"] for c in served) == slugs
    assert sorted(p.name for p in data.glob("*.sqlite3")) == [DEMO_SQLITE]  # no other file


def test_make_deploy_passes_the_catalog(tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / ".installed").touch()  # `install` is up to date: make -n prints only the deploy
    catalog = tmp_path / "my catalog"
    dry = ["make", "-n", "deploy", f"VENV={venv}"]
    with_dir = subprocess.run([*dry, f"COMPANIES_DIR={catalog}"], cwd=ROOT, capture_output=True)
    without = subprocess.run(dry, cwd=ROOT, capture_output=True)
    assert f'-m scheduler.deploy  --companies-dir "{catalog}"' in with_dir.stdout.decode()
    assert "--companies-dir" not in without.stdout.decode()
