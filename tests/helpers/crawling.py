"""Run real `scrapy crawl` processes against the fake ATS, with a throwaway catalog."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from sqlalchemy import text

from fakeats import Board, FakeATS
from jobcrawler.db import make_engine
from jobcrawler.outcome import EXIT_CODES
from jobcrawler.platforms import PLATFORMS

ROOT = Path(__file__).resolve().parents[2]
#: Settings that make test crawls fast; politeness is tested on its own.
FAST = (
    "DOWNLOAD_DELAY=0",
    "HOST_DELAY=0",
    "AUTOTHROTTLE_ENABLED=False",
    "RETRY_AFTER_MAX=5",
    "LOG_LEVEL=INFO",
)
_tokens = itertools.count()


class Crawl:
    """Companies on the (shared, session-wide) fake ATS, crawled into one test database."""

    def __init__(self, fake: FakeATS, db_url: str, tmp_path: Path) -> None:
        self.fake = fake
        self.db_url = db_url
        self.catalog = tmp_path / "companies"
        self.catalog.mkdir()
        self.companies: dict[str, tuple[str, str]] = {}

    def board(self, ats: str, slug: str, *, size: int, seed: int = 1, **options: Any) -> Board:
        """A fresh board (unique token per test) crawled as company `slug`."""
        token = f"{slug}{next(_tokens)}x{os.getpid()}"
        board = self.fake.add_board(ats, token, size=size, seed=seed, **options)
        self.companies[slug] = (ats, token)
        return board

    def listed_ids(self, board: Board) -> list[str]:
        return board.listed_ids() if hasattr(board, "listed_ids") else board.ids()

    def write_company(self, slug: str, **extra: Any) -> None:
        ats, token = self.companies[slug]
        base_url = self.fake.base_url(ats, token)
        lines = [f"name: {slug}", f"ats: {ats}", f"base_url: {base_url}"]
        if "board" in PLATFORMS[ats].keys.model_fields:  # not a key of careers_url platforms
            lines.append(f"board: {token}")
        lines += [f"{key}: {value}" for key, value in extra.items()]
        (self.catalog / f"{slug}.yaml").write_text("\n".join(lines) + "\n")

    def env(self) -> dict[str, str]:
        return {
            **os.environ,
            "JOBCRAWLER_COMPANIES_DIR": str(self.catalog),
            "DATABASE_URL": self.db_url,
        }

    def command(self, slug: str, *args: str, **company: Any) -> list[str]:
        self.write_company(slug, **company)
        settings = [arg for setting in FAST for arg in ("-s", setting)]
        return [sys.executable, "-m", "scrapy", "crawl", slug, *settings, *args]

    def run(self, slug: str, *args: str, **company: Any) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            self.command(slug, *args, **company),
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=300,
        )

    def check_exit(self, result: subprocess.CompletedProcess[str], slug: str) -> None:
        """The crawl exited with the status its last recorded session calls for."""
        engine = make_engine(self.db_url)
        try:
            with engine.connect() as conn:
                status = conn.execute(
                    text(
                        "SELECT s.status FROM crawl_sessions s JOIN companies c "
                        "ON c.id = s.company_id WHERE c.slug = :slug ORDER BY s.id DESC LIMIT 1"
                    ),
                    {"slug": slug},
                ).scalar_one()
        finally:
            engine.dispose()
        assert result.returncode == EXIT_CODES[status], (status, result.stderr[-3000:])

    def start(self, slug: str, *args: str, **company: Any) -> subprocess.Popen[str]:
        """A crawl running in the background (stdout and stderr piped)."""
        return subprocess.Popen(
            self.command(slug, *args, **company),
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )


def rows(engine, sql: str, **params):
    with engine.connect() as conn:
        return [tuple(r) for r in conn.execute(text(sql), params)]


def session(engine):
    [row] = rows(
        engine,
        "SELECT status, new_count, updated_count, unchanged_count, removed_count, reopened_count,"
        " items_scraped, error, finish_reason, trigger, job_id"
        " FROM crawl_sessions ORDER BY id DESC LIMIT 1",
    )
    keys = "status new updated unchanged removed reopened items error finish_reason trigger job_id"
    return dict(zip(keys.split(), row, strict=True))


def events(engine, kind: str | None = None) -> int:
    if kind is None:
        return rows(engine, "SELECT count(*) FROM job_events")[0][0]
    return rows(engine, "SELECT count(*) FROM job_events WHERE kind = :k", k=kind)[0][0]


def statuses(engine) -> dict[str, int]:
    return dict(rows(engine, "SELECT status, count(*) FROM job_postings GROUP BY status"))


def run(crawl: Crawl, board: Board, *args: str) -> subprocess.CompletedProcess[str]:
    """Crawl company "acme"; Workday companies also need their career site URL."""
    company = {"careers_url": careers_url(board)} if board.platform == "workday" else {}
    result = crawl.run("acme", *PARALLEL, *args, **company)
    crawl.check_exit(result, "acme")
    return result


#: Detail requests run in parallel; the fake ATS is local.
PARALLEL = ("-s", "CONCURRENT_REQUESTS_PER_DOMAIN=8")


def careers_url(board: Board) -> str:
    return f"https://{board.token}.wd5.myworkdayjobs.com/en-US/External"
