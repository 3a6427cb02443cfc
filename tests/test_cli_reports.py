"""Both command lines' reports, in process: the same formats everywhere, fresh databases
read without creating anything, another schema version named with its fix."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import text

from jobcrawler.cli import main as jobcrawler_main
from jobcrawler.db import make_engine, migrate
from jobcrawler.db.access import EXIT_SCHEMA, DatabaseProblem, read_engine
from jobcrawler.demo import DEMO_SQLITE, demo_database_url
from scheduler.cli import main as scheduler_main


@pytest.fixture
def fresh(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """DATABASE_URL is a SQLite file that does not exist yet; no node answers."""
    path = tmp_path / "fresh.sqlite3"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("SCRAPYD_URLS", "http://127.0.0.1:9/")
    return path


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "jsonl"])
def test_reports_on_a_fresh_database_create_nothing(fresh: Path, fmt: str, capsys) -> None:
    assert jobcrawler_main(["report", "--format", fmt]) == 0
    assert scheduler_main(["stats", "--format", fmt]) == 0
    assert scheduler_main(["new", "--format", fmt]) == 0
    out, err = capsys.readouterr()
    assert err.count("no crawls yet: the database at sqlite:///") == 3
    assert not fresh.exists()
    if fmt == "json":
        assert out.split() == ["[]"] * 3
    if fmt in ("table", "jsonl"):
        assert out == ""


def test_status_on_a_fresh_database_lists_the_catalog(fresh: Path, capsys) -> None:
    assert scheduler_main(["status", "--format", "csv"]) == 1  # no node answers
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [r["kind"] for r in rows[:2]] == ["node", "company"]
    assert rows[0]["node"] == "http://127.0.0.1:9" and "unreachable" in rows[0]["health"]
    stripe = next(r for r in rows if r["company"] == "stripe")
    assert stripe["last_crawl"] == "" and stripe["next_due"]
    assert not fresh.exists()

    assert scheduler_main(["status", "--format", "jsonl"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines[0]["kind"] == "node" and "company" not in lines[0]
    assert {line["kind"] for line in lines[1:]} == {"company"}


def test_reports_on_an_empty_migrated_database(fresh: Path, capsys) -> None:
    migrate(make_engine())
    assert jobcrawler_main(["report"]) == 0
    assert scheduler_main(["new", "--hours", "2"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines() == ["no crawls yet", "no postings first seen in the last 2 hours"]
    assert err == ""


def test_a_schema_of_another_version_is_one_line_naming_the_fix(fresh: Path, capsys) -> None:
    engine = make_engine()
    migrate(engine)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with pytest.raises(DatabaseProblem, match=r"schema 0001, .*python -m jobcrawler db upgrade"):
        read_engine()
    assert jobcrawler_main(["report"]) == EXIT_SCHEMA
    assert scheduler_main(["stats"]) == EXIT_SCHEMA
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and all(line.startswith("error: the database at ") for line in err)


def test_demo_uses_its_own_database_unless_told(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.setenv("JOBCRAWLER_DATA_DIR", str(tmp_path))
    assert demo_database_url() == f"sqlite:///{tmp_path.resolve() / DEMO_SQLITE}"
    monkeypatch.setenv("DATABASE_URL", "postgresql://u@db/jobs")
    assert demo_database_url() == "postgresql://u@db/jobs"
