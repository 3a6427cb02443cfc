"""`make bench` figures for one node: a catalog of small companies crawled as batched scrapyd
jobs through the scheduler, as production runs it.

`COMPANIES` Greenhouse boards of `BOARD_SIZE` postings on the fake ATS, all due now, one real
scrapyd node (max_proc of scheduler/scrapyd.conf), one `python -m scheduler tick` at default
batch size, every setting at its default (the host pace included: the boards share one host,
as Greenhouse's do). While the jobs run, a sampler reads every 0.2 s the node's crawl
processes (/proc: peak RSS) and the database's connections (pg_stat_activity). CPU is
scrapyd's own plus that of the crawl processes it reaped (/proc/PID/stat cutime + cstime)
plus the scheduler's; PostgreSQL's server CPU is not counted.
"""

from __future__ import annotations

import configparser
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from fakeats import FakeATS
from jobcrawler.db import make_engine
from tests.bench_memory import peak_rss, peak_rss_mb
from tests.helpers.crawling import ROOT
from tests.helpers.scrapyd_nodes import PROJECT, deploy, scrapyd_env, start_nodes, stop_nodes

COMPANIES = int(os.environ.get("BENCH_NODE_COMPANIES", "1000"))
BOARD_SIZE = 15
#: Companies of two `scrapy crawl batch` processes whose peak RSS is compared.
BATCH_SIZES = (25, 400)
TIMEOUT = float(os.environ.get("BENCH_NODE_TIMEOUT", "3600"))
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def node_max_proc() -> int:
    """The max_proc a node gets from the shipped scrapyd.conf."""
    config = configparser.ConfigParser()
    config.read(ROOT / "scheduler" / "scrapyd.conf")
    return config.getint("scrapyd", "max_proc")


def process_cpu(pid: int) -> float:
    """CPU seconds of `pid` and of the children it has waited for."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    # after the command: state is fields[0]; utime, stime, cutime, cstime are fields 11..14
    return sum(int(value) for value in fields[11:15]) / CLOCK_TICKS


def children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in path.read_text().split()] if path.exists() else []


class Sampler(threading.Thread):
    """Peak RSS of any crawl process of the node and peak connections to the database."""

    def __init__(self, scrapyd_pid: int, db_url: str) -> None:
        super().__init__(daemon=True)
        self.scrapyd_pid, self.engine = scrapyd_pid, make_engine(db_url)
        self.rss: dict[int, float] = {}
        self.connections = 0
        self.stopped = threading.Event()

    def run(self) -> None:
        with self.engine.connect() as conn:
            while not self.stopped.is_set():
                for pid in children(self.scrapyd_pid):
                    self.rss[pid] = max(self.rss.get(pid, 0.0), peak_rss_mb(pid))
                count = conn.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity"
                        " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                    )
                )
                conn.commit()  # pg_stat_activity is a snapshot per transaction
                self.connections = max(self.connections, count)
                time.sleep(0.2)
        self.engine.dispose()


def write_catalog(fake: FakeATS, folder: Path) -> str:
    """One YAML file per company, every one due two minutes ago; returns the schedule."""
    due = datetime.now(UTC) - timedelta(minutes=2)
    schedule = f"{due.minute} {due.hour} * * *"
    for index in range(COMPANIES):
        slug = f"node{index}"
        fake.add_board("greenhouse", slug, size=BOARD_SIZE, seed=index)
        (folder / f"{slug}.yaml").write_text(
            f"name: Node {index}\nslug: {slug}\nats: greenhouse\nboard: {slug}\n"
            f"base_url: {fake.base_url('greenhouse', slug)}\nschedule: '{schedule}'\n"
        )
    return schedule


def sessions(db_url: str) -> dict[str, int]:
    """{status: sessions} of the companies' crawls, and `companies`: how many have one, and
    `wrong counts`: succeeded sessions that did not find every posting new."""
    engine = make_engine(db_url)
    try:
        with engine.connect() as conn:
            counts = dict(
                conn.execute(text("SELECT status, count(*) FROM crawl_sessions GROUP BY status"))
                .tuples()
                .all()
            )
            counts["companies"] = conn.scalar(
                text("SELECT count(DISTINCT company_id) FROM crawl_sessions")
            )
            counts["wrong counts"] = conn.scalar(
                text(
                    "SELECT count(*) FROM crawl_sessions"
                    " WHERE status = 'succeeded' AND new_count <> :size"
                ),
                {"size": BOARD_SIZE},
            )
            return counts
    finally:
        engine.dispose()


def wait_for_sessions(db_url: str, deadline: float) -> dict[str, int]:
    while time.monotonic() < deadline:
        counts = sessions(db_url)
        ended = sum(
            v for k, v in counts.items() if k not in ("running", "companies", "wrong counts")
        )
        if ended >= COMPANIES:
            return counts
        time.sleep(2)
    raise SystemExit(f"node benchmark: sessions after {TIMEOUT:.0f} s: {sessions(db_url)}")


def batch_rss(db_url: str, catalog: Path, counts: tuple[int, ...]) -> list[float]:
    """Peak RSS (MB) of one `scrapy crawl batch` process per count of companies (recrawls)."""
    env = {**os.environ, "JOBCRAWLER_COMPANIES_DIR": str(catalog), "DATABASE_URL": db_url}
    command = [sys.executable, "-m", "scrapy", "crawl", "batch", "-s", "LOG_LEVEL=WARNING"]
    return [
        peak_rss([*command, "-a", "companies=" + ",".join(f"node{i}" for i in range(count))], env)[
            0
        ]
        for count in counts
    ]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def figures(fake: FakeATS, db_url: str) -> list[str]:
    """The node lines `make bench` prints."""
    max_proc = node_max_proc()
    with tempfile.TemporaryDirectory() as scratch:
        catalog = Path(scratch, "companies")
        catalog.mkdir()
        write_catalog(fake, catalog)
        env = scrapyd_env(db_url, catalog)
        nodes = start_nodes(1, Path(scratch, "nodes"), env=env, max_proc=max_proc)
        try:
            deploy(nodes)
            pid = nodes[0].process.pid
            sampler = Sampler(pid, db_url)
            sampler.start()
            env = {
                **{k: v for k, v in os.environ.items() if not k.startswith("SCRAPYD_")},
                "SCRAPYD_URLS": nodes[0].url,
                "DATABASE_URL": db_url,
                "JOBCRAWLER_COMPANIES_DIR": str(catalog),
            }
            started, cpu_before, scheduler_before = (
                time.monotonic(),
                process_cpu(pid),
                children_cpu(),
            )
            tick = subprocess.run(
                [sys.executable, "-m", "scheduler", "tick", "--jitter", "0"],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
            )
            if tick.returncode != 0:
                raise SystemExit(f"node benchmark: tick failed\n{tick.stderr[-3000:]}")
            scheduler_cpu = children_cpu() - scheduler_before
            counts = wait_for_sessions(db_url, started + TIMEOUT)
            while children(pid):  # the last jobs close their sessions, then exit
                time.sleep(0.5)
            wall = time.monotonic() - started
            node_cpu = process_cpu(pid) - cpu_before
            jobs = len(nodes[0].get("listjobs.json", project=PROJECT)["finished"])
        finally:
            sampler.stopped.set()
            stop_nodes(nodes)
        sizes = (BATCH_SIZES[0], min(BATCH_SIZES[1], COMPANIES))
        rss = batch_rss(db_url, catalog, sizes)
    per_company = (node_cpu + scheduler_cpu) / COMPANIES
    per_day = 86_400 / wall * COMPANIES
    return [
        f"one scrapyd node (max_proc {max_proc}), {COMPANIES:,} companies of {BOARD_SIZE}"
        f" postings, one scheduler tick at default batch size: {jobs} jobs in {wall:.0f} s;"
        f" sessions {counts}",
        f"  CPU per company, all included (scrapyd, crawl processes, scheduler):"
        f" {per_company:.3f} s (scheduler {scheduler_cpu:.1f} s in all)",
        f"  peak RSS of a crawl process {max(sampler.rss.values(), default=0):.0f} MB;"
        f" peak PostgreSQL connections {sampler.connections}",
        f"  one `scrapy crawl batch` process (recrawl) of {sizes[0]} companies: peak RSS"
        f" {rss[0]:.0f} MB; of {sizes[1]} companies: {rss[1]:.0f} MB",
        f"  at this pace one node crawls {per_day:,.0f} such companies a day (bounded by the"
        f" shared host pace when they share an ATS host)",
    ]
