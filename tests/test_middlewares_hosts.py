"""Requests to one ATS host are spaced across every crawl process on the database."""

from __future__ import annotations

import asyncio
import itertools
import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, inspect, select

from jobcrawler.db import make_engine, pace
from jobcrawler.db.models import HostPace
from jobcrawler.middlewares import hosts
from jobcrawler.middlewares.hosts import SharedHostThrottle, pace_key

ROOT = Path(__file__).resolve().parent.parent
#: Takes or holds slots from its own process: `take KEY DELAY N` or `hold KEY SECONDS`.
PACE_PROCESS = """
import json, sys
from jobcrawler.db import make_engine, pace
url, action, key, value, *count = sys.argv[1:]
engine = make_engine(url)
engine.connect().close()
print("ready", flush=True)
sys.stdin.readline()  # start together with the other process
if action == "take":
    print(json.dumps([pace.take_slot(engine, key, float(value)).at for _ in range(int(count[0]))]))
else:
    print(json.dumps(pace.hold(engine, key, float(value))))
"""


@pytest.fixture(autouse=True)
def fresh_process_holds(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts as a fresh process would: no holds remembered in memory."""
    monkeypatch.setattr(SharedHostThrottle, "_held", {})


@pytest.fixture
def slots(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, pace.Slot]]:
    """The slots the database grants the middlewares, in order (the real queries run)."""
    granted: list[tuple[str, pace.Slot]] = []
    real = pace.take_slot

    def take_slot(engine: Engine, key: str, delay: float) -> pace.Slot:
        slot = real(engine, key, delay)
        granted.append((key, slot))
        return slot

    monkeypatch.setattr(pace, "take_slot", take_slot)
    return granted


def throttle(db_url: str | None, delay: float) -> SharedHostThrottle:
    """A throttle as one crawl builds it, with its own engine."""
    crawler = get_crawler(
        settings_dict={"HOST_DELAY": delay, "DATABASE_URL": db_url, "JOBCRAWLER_RECORD": True}
    )
    return SharedHostThrottle.from_crawler(crawler)


async def run_requests(pairs: list[tuple[SharedHostThrottle, str]]) -> float:
    """Seconds until every request was let through."""
    began = time.monotonic()
    await asyncio.gather(*(t.process_request(Request(url)) for t, url in pairs))
    return time.monotonic() - began


def spawn(db_url: str, *args: object) -> subprocess.Popen[str]:
    command = [sys.executable, "-c", PACE_PROCESS, db_url, *map(str, args)]
    return subprocess.Popen(
        command, cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )


def outputs(processes: list[subprocess.Popen[str]]) -> list[object]:
    """What each process printed, having let them all go at once when they were connected."""
    for process in processes:
        assert process.stdout is not None and process.stdout.readline() == "ready\n"
    for process in processes:
        assert process.stdin is not None
        process.stdin.write("go\n")
        process.stdin.flush()
    results = []
    for process in processes:
        out, _ = process.communicate(timeout=120)
        assert process.returncode == 0
        results.append(json.loads(out))
    return results


def spaced(times: list[float], delay: float) -> bool:
    """No two slots closer than `delay` (beyond float rounding)."""
    ordered = sorted(times)
    return all(later - earlier >= delay - 1e-3 for earlier, later in itertools.pairwise(ordered))


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://boards-api.greenhouse.io/v1/boards/acme/jobs", "boards-api.greenhouse.io"),
        ("https://acme.recruitee.com/api/offers/", "recruitee.com"),
        ("https://Globex.Recruitee.com/api/offers/", "recruitee.com"),
        ("https://acme.wd5.myworkdayjobs.com/wday/cxs/acme/External/jobs", "wd5.myworkdayjobs.com"),
        ("https://acme.wd1.myworkdayjobs.com/wday/cxs/acme/External/jobs", "wd1.myworkdayjobs.com"),
        ("https://wd5.myworkdaysite.com/recruiting/acme/External", "wd5.myworkdaysite.com"),
        ("https://acme.bamboohr.com/careers/list", "bamboohr.com"),
        ("https://acme.breezy.hr/json", "breezy.hr"),
        ("https://acme.jobs.personio.de/xml", "jobs.personio.de"),
        ("https://acme.jobs.personio.com/xml", "jobs.personio.com"),
        ("https://acme.teamtailor.com/jobs.rss", "teamtailor.com"),
        ("https://jobs.acme.com/api/offers/", "jobs.acme.com"),  # a custom careers domain
        ("http://127.0.0.1:8089/recruitee/acme/api/offers", "127.0.0.1:8089"),
    ],
)
def test_pace_key_groups_tenant_hosts(url: str, key: str) -> None:
    assert pace_key(url) == key


@pytest.mark.e2e
def test_separate_processes_get_slots_spaced_by_the_delay(db_url: str) -> None:
    # slots are reserved, not waited for: a long delay makes the spacing unmistakable
    first, second = outputs([spawn(db_url, "take", "recruitee.com", 10, 5) for _ in range(2)])
    assert spaced(first + second, 10)


@pytest.mark.e2e
def test_a_hold_from_another_process_is_respected(db_url: str) -> None:
    [held_until] = outputs([spawn(db_url, "hold", "api.lever.co", 60)])
    engine = make_engine(db_url)
    slot = pace.take_slot(engine, "api.lever.co", 0.25)
    engine.dispose()
    assert slot.at >= held_until and slot.wait > 30


def test_two_crawls_of_one_ats_share_a_pace(db_url: str, slots: list) -> None:
    a, b = throttle(db_url, 0.2), throttle(db_url, 0.2)  # two crawls of one process
    urls = ["https://acme.recruitee.com/api/offers/", "https://globex.recruitee.com/api/offers/"]
    elapsed = asyncio.run(run_requests([(a, urls[0]), (b, urls[1])] * 2))
    a.close()
    b.close()
    assert [key for key, _ in slots] == ["recruitee.com"] * 4
    assert spaced([slot.at for _, slot in slots], 0.2)
    assert elapsed >= 0.5  # the last of four slots is 0.6 s after the first


def test_other_hosts_have_their_own_pace(db_url: str, slots: list) -> None:
    a = throttle(db_url, 30.0)
    urls = ["https://api.lever.co/v0/postings/acme", "https://api.ashbyhq.com/posting-api/x"]
    asyncio.run(run_requests([(a, url) for url in urls]))
    a.close()
    assert {key for key, _ in slots} == {"api.lever.co", "api.ashbyhq.com"}
    assert all(slot.wait == 0 for _, slot in slots)


def test_a_hold_through_one_crawl_delays_another(db_url: str, slots: list, monkeypatch) -> None:
    a, b = throttle(db_url, 0.1), throttle(db_url, 0.1)
    url = "https://api.lever.co/v0/postings/acme"

    async def scenario() -> None:
        await a.hold(url, 60)
        monkeypatch.setattr(SharedHostThrottle, "_held", {})  # b knows only the database
        with pytest.raises(TimeoutError):  # b sleeps on its slot; no need to wait a minute
            await asyncio.wait_for(b.process_request(Request(url)), 1)

    asyncio.run(scenario())
    a.close()
    b.close()
    [(_, slot)] = slots
    assert slot.wait > 50


def test_the_middleware_creates_the_table_if_it_runs_first(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    a = throttle(db_url, 0.1)
    asyncio.run(run_requests([(a, "https://api.lever.co/v0/postings/acme")]))
    a.close()
    engine = make_engine(db_url)
    assert "host_pace" in inspect(engine).get_table_names()
    with engine.connect() as conn:
        assert conn.scalars(select(HostPace.host)).all() == ["api.lever.co"]
    engine.dispose()


def test_zero_delay_makes_no_database_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_engine(url: str | None = None) -> Engine:
        pytest.fail("HOST_DELAY=0 must not touch the database")

    monkeypatch.setattr(hosts, "shared_engine", no_engine)
    a, b = throttle(None, 0.0), throttle(None, 0.0)
    url = "https://api.lever.co/v0/postings/acme"

    async def scenario() -> float:
        await a.hold(url, 0.3)
        return await run_requests([(b, url)])

    assert asyncio.run(scenario()) >= 0.25  # the hold still holds within the process


def test_a_database_failure_lets_requests_through(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    a = throttle(f"sqlite:///{tmp_path / 'missing' / 'x.sqlite3'}", 0.1)
    asyncio.run(run_requests([(a, "https://api.lever.co/v0/postings/acme")]))
    assert "Host pace for api.lever.co unavailable" in caplog.text


def test_a_crawl_that_does_not_record_paces_in_memory(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_engine(url: str | None = None) -> Engine:
        pytest.fail("a crawl without JOBCRAWLER_RECORD must not touch the database")

    monkeypatch.setattr(hosts, "shared_engine", no_engine)
    crawler = get_crawler(settings_dict={"HOST_DELAY": 0.2, "JOBCRAWLER_RECORD": False})
    a = SharedHostThrottle.from_crawler(crawler)
    url = "https://api.lever.co/v0/postings/acme"

    async def scenario() -> float:
        await a.hold(url, 0.1)
        return await run_requests([(a, url)] * 3)

    assert asyncio.run(scenario()) >= 0.5  # the hold, then three slots 0.2 s apart
