"""`maintain`, `status`, `stats` and `new` on a database filled by hand with known rows."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, insert, select

from jobcrawler.catalog import Company as CatalogCompany
from jobcrawler.db.models import Company, CrawlSession, JobEvent, JobPosting
from jobcrawler.db.schedule import ScheduleRun
from scheduler import reports
from scheduler.cli import main

companies = Company.__table__
sessions = CrawlSession.__table__
postings = JobPosting.__table__
events = JobEvent.__table__
runs = ScheduleRun.__table__

NOW = datetime.now(UTC).replace(microsecond=0)


def ago(**delta: float) -> datetime:
    return NOW - timedelta(**delta)


def add(engine: Engine, table: Any, **values: Any) -> int:
    with engine.begin() as conn:
        return conn.execute(insert(table).values(**values).returning(table.c.id)).scalar_one()


def company(engine: Engine, slug: str) -> int:
    return add(engine, companies, slug=slug, name=slug.title(), ats="greenhouse", board=slug)


def session(
    engine: Engine,
    company_id: int,
    started: datetime,
    status: str,
    seconds: float | None,
    counts: tuple[int, int, int] = (0, 0, 0),
) -> int:
    new, updated, removed = counts
    return add(
        engine,
        sessions,
        company_id=company_id,
        spider="x",
        trigger="schedule",
        status=status,
        started_at=started,
        finished_at=None if seconds is None else started + timedelta(seconds=seconds),
        new_count=new,
        updated_count=updated,
        removed_count=removed,
    )


def posting(engine: Engine, company_id: int, external_id: str, **values: Any) -> int:
    values.setdefault("first_seen_at", ago(days=100))
    values.setdefault("last_seen_at", NOW)
    return add(
        engine,
        postings,
        company_id=company_id,
        external_id=external_id,
        content_hash="0" * 64,
        **values,
    )


def test_maintain_deletes_old_sessions_keeps_postings_and_marks_stale(engine: Engine) -> None:
    acme = company(engine, "acme")
    old = session(engine, acme, ago(days=91), "succeeded", 5)
    recent = session(engine, acme, ago(days=89), "succeeded", 5)
    unseen = posting(engine, acme, "unseen", last_seen_at=ago(days=61))
    seen = posting(engine, acme, "seen", last_seen_at=ago(days=59))
    gone = posting(engine, acme, "gone", last_seen_at=ago(days=200), status="removed")
    old_event = add(
        engine, events, posting_id=seen, session_id=old, kind="created", at=ago(days=91)
    )
    new_event = add(engine, events, posting_id=seen, session_id=recent, kind="updated", at=NOW)
    for days, job in ((91, "acme-old"), (1, "acme-new")):
        add(
            engine,
            runs,
            company_id=acme,
            due_at=ago(days=days),
            attempt=0,
            trigger="schedule",
            job_id=job,
            node="http://n1",
            scheduled_at=ago(days=days),
            status="scheduled",
        )

    done = reports.maintain(engine, NOW, sessions_days=90, stale_days=60)

    assert done == reports.Maintenance(sessions_deleted=1, runs_deleted=1, postings_staled=1)
    with engine.connect() as conn:
        assert conn.scalars(select(sessions.c.id)).all() == [recent]
        assert conn.scalars(select(runs.c.job_id)).all() == ["acme-new"]
        status = dict(conn.execute(select(postings.c.id, postings.c.status)).all())
        assert status == {unseen: "stale", seen: "active", gone: "removed"}
        kept = dict(conn.execute(select(events.c.id, events.c.session_id)).all())
        stale_events = conn.execute(
            select(events.c.posting_id, events.c.session_id, events.c.at).where(
                events.c.kind == "stale"
            )
        ).all()
    assert kept[old_event] is None and kept[new_event] == recent
    assert [tuple(e) for e in stale_events] == [(unseen, None, NOW)]
    assert reports.maintain(engine, NOW) == reports.Maintenance(0, 0, 0)


def test_company_status_last_crawl_and_next_due(engine: Engine) -> None:
    """next_due is the schedule's next time, or the current one while no tick placed it."""
    acme, globex = company(engine, "acme"), company(engine, "globex")
    add(  # acme's 07:00 run is placed; initech's (no row yet) is overdue
        engine,
        runs,
        company_id=acme,
        due_at=datetime(2026, 11, 22, 7, 0, tzinfo=UTC),
        attempt=0,
        trigger="schedule",
        job_id="acme-20261122T0700",
        node="http://n1",
        scheduled_at=datetime(2026, 11, 22, 7, 1, tzinfo=UTC),
        status="scheduled",
    )
    session(engine, acme, ago(hours=30), "succeeded", 5)
    session(engine, acme, ago(hours=2), "failed", 5)
    session(engine, globex, ago(hours=1), "running", None)
    catalog = [
        CatalogCompany(
            name="Initech", slug="initech", ats="lever", board="i", schedule="0 7 * * *"
        ),
        CatalogCompany(
            name="Acme", slug="acme", ats="greenhouse", board="a", schedule="*/5 * * * *"
        ),
        CatalogCompany(name="Globex", slug="globex", ats="greenhouse", board="g", active=False),
    ]
    now = datetime(2026, 11, 22, 7, 3, tzinfo=UTC)

    rows = reports.company_status(engine, catalog, now)

    assert rows == [
        {
            "company": "acme",
            "schedule": "*/5 * * * *",
            "last_crawl": ago(hours=2),
            "last_status": "failed",
            "next_due": datetime(2026, 11, 22, 7, 5, tzinfo=UTC),
            "active": True,
        },
        {
            "company": "globex",
            "schedule": "0 7 * * *",
            "last_crawl": ago(hours=1),
            "last_status": "running",
            "next_due": None,
            "active": False,
        },
        {
            "company": "initech",
            "schedule": "0 7 * * *",
            "last_crawl": None,
            "last_status": None,
            "next_due": datetime(2026, 11, 22, 7, 0, tzinfo=UTC),  # due 3 minutes ago
            "active": True,
        },
    ]


def fill_stats(engine: Engine) -> None:
    acme, globex = company(engine, "acme"), company(engine, "globex")
    company(engine, "initech")  # never crawled
    session(engine, acme, ago(days=1), "succeeded", 60, (10, 2, 1))
    session(engine, acme, ago(days=2), "succeeded", 30, (1, 0, 0))
    session(engine, acme, ago(days=3), "failed", 10)
    session(engine, acme, ago(hours=1), "running", None, (4, 0, 0))
    session(engine, acme, ago(days=8), "succeeded", 500, (100, 100, 100))  # outside the window
    session(engine, globex, ago(days=6), "partial", 40, (5, 1, 0))


EXPECTED_STATS = [
    {
        "company": "acme",
        "crawls": 4,
        "succeeded": 2,
        "success_rate": 0.6667,  # of the 3 finished crawls: the running one has no outcome
        "new": 15,
        "updated": 2,
        "removed": 1,
        "avg_duration_s": 33.3,
    },
    {
        "company": "globex",
        "crawls": 1,
        "succeeded": 0,
        "success_rate": 0.0,
        "new": 5,
        "updated": 1,
        "removed": 0,
        "avg_duration_s": 40.0,
    },
    {
        "company": "initech",
        "crawls": 0,
        "succeeded": 0,
        "success_rate": None,
        "new": 0,
        "updated": 0,
        "removed": 0,
        "avg_duration_s": None,
    },
    {
        "company": "TOTAL",
        "crawls": 5,
        "succeeded": 2,
        "success_rate": 0.5,
        "new": 20,
        "updated": 3,
        "removed": 1,
        "avg_duration_s": 35.0,
    },
]


def test_stats_per_company_and_totals(engine: Engine) -> None:
    fill_stats(engine)
    assert reports.stats(engine, NOW, 7) == EXPECTED_STATS


def fill_new(engine: Engine) -> None:
    acme = company(engine, "acme")
    values = {
        "title": "Data Engineer",
        "url": "https://acme.example/jobs/1",
        "location": "Berlin, Germany",
        "remote_type": "hybrid",
        "salary_min": 70000,
        "salary_max": 90000,
        "salary_currency": "EUR",
        "salary_period": "year",
    }
    posting(engine, acme, "1", first_seen_at=ago(hours=2), **values)
    posting(engine, acme, "2", first_seen_at=ago(hours=1), title="Designer")
    posting(engine, acme, "old", first_seen_at=ago(hours=25), title="Old")


def test_new_postings_window(engine: Engine) -> None:
    fill_new(engine)
    rows = reports.new_postings(engine, NOW, 24)
    assert [r["external_id"] for r in rows] == ["2", "1"]
    assert rows[1] == {
        "company": "acme",
        "external_id": "1",
        "title": "Data Engineer",
        "url": "https://acme.example/jobs/1",
        "location": "Berlin, Germany",
        "remote_type": "hybrid",
        "salary_min": 70000.0,
        "salary_max": 90000.0,
        "salary_currency": "EUR",
        "salary_period": "year",
        "first_seen_at": ago(hours=2),
    }
    assert reports.salary(rows[1]) == "70,000-90,000 EUR/year"
    assert reports.new_postings(engine, NOW, 0.5) == []


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    """Run `python -m scheduler ...` in-process on the test database; returns (status, out)."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("SCRAPYD_URLS", "http://127.0.0.1:9/")  # nothing listens on port 9

    def run(*args: str) -> tuple[int, str, str]:
        status = main(list(args))
        captured = capsys.readouterr()
        return status, captured.out, captured.err

    return run


def test_stats_formats(engine: Engine, cli) -> None:
    fill_stats(engine)
    status, out, _ = cli("stats", "--days", "7", "--format", "json")
    assert status == 0
    assert json.loads(out) == EXPECTED_STATS

    status, out, _ = cli("stats", "--days", "7", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert [r["company"] for r in table] == ["acme", "globex", "initech", "TOTAL"]
    assert table[0]["success_rate"] == "0.6667" and table[2]["success_rate"] == ""
    assert table[3]["avg_duration_s"] == "35.0"

    status, out, _ = cli("stats", "--days", "7")
    lines = out.splitlines()
    assert lines[0].split() == [
        "company", "crawls", "succeeded", "success_rate", "new", "updated", "removed",
        "avg_duration_s",
    ]  # fmt: skip
    assert lines[2].split() == ["acme", "4", "2", "67%", "15", "2", "1", "33.3"]
    assert lines[-1].split() == ["TOTAL", "5", "2", "50%", "20", "3", "1", "35.0"]
    assert len({len(line.rstrip()) for line in lines[:2]}) == 1  # header and rule align


def test_new_formats(engine: Engine, cli) -> None:
    fill_new(engine)
    status, out, _ = cli("new", "--hours", "24", "--format", "jsonl")
    assert status == 0
    objects = [json.loads(line) for line in out.splitlines()]
    assert [o["external_id"] for o in objects] == ["2", "1"]
    assert objects[1]["company"] == "acme"
    assert objects[1]["salary_min"] == 70000.0
    assert datetime.fromisoformat(objects[1]["first_seen_at"]) == ago(hours=2)

    status, out, _ = cli("new", "--hours", "24")
    assert "Data Engineer" in out and "70,000-90,000 EUR/year" in out and "Old" not in out

    header = ",".join(reports.NEW_ROW)
    status, out, _ = cli("new", "--hours", "24", "--format", "csv")
    assert out.splitlines()[0] == header and len(out.splitlines()) == 3
    status, out, _ = cli("new", "--hours", "0.1", "--format", "csv")
    assert out.splitlines() == [header]  # the same header without rows


def test_maintain_and_status_commands(engine: Engine, cli) -> None:
    acme = company(engine, "acme")
    session(engine, acme, ago(days=100), "succeeded", 5)
    posting(engine, acme, "unseen", last_seen_at=ago(days=70))

    status, out, _ = cli("maintain")
    assert status == 0
    assert "deleted 1 crawl sessions older than 90 days" in out
    assert "marked 1 postings stale (unseen for 60 days)" in out

    status, out, _ = cli("status", "--format", "json")
    assert status == 1  # no node answers
    data = json.loads(out)
    [node] = data["nodes"]
    assert node["node"] == "http://127.0.0.1:9" and "unreachable" in node["health"]
    assert {c["company"] for c in data["companies"]} >= {"stripe"}  # the packaged catalog
