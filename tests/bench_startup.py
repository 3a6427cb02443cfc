"""`make bench` figures for start-up and the normalize stage (see tests/benchmark.py).

CPU seconds (user + sys of the crawl process), not wall time: a busy machine stretches wall
time but barely moves CPU time. Each figure is the best of `RUNS`.
"""

from __future__ import annotations

import os
import pickle
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from itemadapter import ItemAdapter

from fakeats import FakeATS
from jobcrawler.items import JobPosting
from jobcrawler.pipelines.normalize import normalize
from tests.helpers import make_spider, response
from tests.helpers.crawling import FAST, ROOT

RUNS = 3
#: Companies crawled by one `python -m jobcrawler crawl` (each 15 postings).
COMPANIES = int(os.environ.get("BENCH_COMPANIES", "20"))
#: Inactive entries beside them, so the catalog is a realistic folder of files.
FILLER_COMPANIES = 1_000
BOARD_SIZE = 15


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _cpu_of(command: list[str], env: dict[str, str]) -> float:
    """CPU seconds of one process run to its end (it must succeed)."""
    before = _children_cpu()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"benchmark command failed: {command}\n{result.stderr[-3000:]}")
    return _children_cpu() - before


def company_cpu(fake: FakeATS, db_url: str) -> tuple[float, float]:
    """(CPU s of one `scrapy crawl SLUG` process, CPU s per company of one process crawling
    `COMPANIES`), against a catalog folder of one file per company."""
    settings = [arg for setting in FAST for arg in ("-s", setting)]
    with tempfile.TemporaryDirectory() as catalog:
        slugs = [f"startup{i}" for i in range(COMPANIES)]
        for slug in slugs:
            fake.add_board("greenhouse", slug, size=BOARD_SIZE, seed=5)
            Path(catalog, f"{slug}.yaml").write_text(
                f"name: {slug}\nats: greenhouse\nboard: {slug}\n"
                f"base_url: {fake.base_url('greenhouse', slug)}\n"
            )
        for i in range(FILLER_COMPANIES):
            Path(catalog, f"filler{i}.yaml").write_text(
                f"name: Filler {i}\nats: greenhouse\nboard: f{i}\nactive: false\n"
            )
        env = {**os.environ, "JOBCRAWLER_COMPANIES_DIR": catalog, "DATABASE_URL": db_url}
        one = [sys.executable, "-m", "scrapy", "crawl", slugs[0], *settings]
        many = [sys.executable, "-m", "jobcrawler", "crawl", *slugs, *settings]
        single = min(_cpu_of(one, env) for _ in range(RUNS))
        batch = min(_cpu_of(many, env) for _ in range(RUNS))
    return single, batch / COMPANIES


def normalize_rate(board_url: str) -> tuple[int, float]:
    """(postings, postings/s) of the normalize stage alone, in-process, over a Greenhouse board."""
    with urllib.request.urlopen(board_url) as reply:
        body = reply.read()
    spider = make_spider("greenhouse", "bench")
    parsed = spider.parse_board(response(board_url, body))
    raw = pickle.dumps([dict(item) for item in parsed if isinstance(item, JobPosting)])
    best = float("inf")
    for _ in range(RUNS):
        postings = [ItemAdapter(JobPosting(**fields)) for fields in pickle.loads(raw)]
        started = time.process_time()
        for posting in postings:
            normalize(posting)
        best = min(best, time.process_time() - started)
    return len(postings), len(postings) / best


def figures(fake: FakeATS, db_url: str, board_url: str) -> list[str]:
    """The start-up and normalize lines `make bench` prints (later runs are recrawls)."""
    single, per_company = company_cpu(fake, db_url)
    count, rate = normalize_rate(board_url)
    return [
        f"one `scrapy crawl SLUG` process, {BOARD_SIZE}-posting board, catalog of"
        f" {COMPANIES + FILLER_COMPANIES:,} files: {single:.2f} s CPU (start-up included)",
        f"`python -m jobcrawler crawl` of {COMPANIES} such companies in one process:"
        f" {per_company:.3f} s CPU per company",
        f"normalize stage: {rate:,.0f} postings/s on one core ({count:,} Greenhouse postings)",
    ]
