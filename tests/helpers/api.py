"""API helpers: a `serve` process, and a downstream mirror that follows `/changes`."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import Engine, func, select

from jobcrawler.db.models import JobEvent, JobPosting
from tests.helpers.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]


@contextmanager
def serve_process(
    db_url: str | None, tmp_path: Path, *args: str, env: dict[str, str] | None = None
) -> Iterator[str]:
    """`python -m jobcrawler serve ARGS` on `db_url` (None: as `env` has it) and a free port,
    in environment `env` (default ours); yields its base URL."""
    port = free_port()
    env = {**(os.environ if env is None else env), "PYTHONPATH": str(ROOT)}
    if db_url is not None:
        env["DATABASE_URL"] = db_url
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "jobcrawler", "serve", "--port", str(port), *args],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert process.poll() is None, (tmp_path / "serve.log").read_text()
            assert time.monotonic() < deadline, "serve did not answer within 60 s"
            time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()


class Mirror:
    """What a downstream system keeps: postings by id, built only from the feed."""

    def __init__(self) -> None:
        self.postings: dict[int, dict[str, Any]] = {}
        self.cursor: str | None = None
        self.seen: list[int] = []  # event ids, in feed order

    def follow(self, get: Any, limit: int = 7) -> None:
        """Read `/changes` until it has nothing new (`get(path)` returns the JSON)."""
        while True:
            after = f"&after={self.cursor}" if self.cursor else ""
            page = get(f"/changes?limit={limit}{after}")
            for event in page["events"]:
                self.apply(event)
            self.cursor = page["next"]
            if not page["more"]:
                return

    def catch_up(self, get: Any, events: int, timeout: float = 60, limit: int = 7) -> None:
        """Follow until `events` events came. On PostgreSQL the feed holds events back while
        an older transaction runs anywhere on the server (the CI run shares it)."""
        deadline = time.monotonic() + timeout
        self.follow(get, limit)
        while len(self.seen) < events:
            assert time.monotonic() < deadline, f"{len(self.seen)} of {events} events came"
            time.sleep(0.1)
            self.follow(get, limit)

    def apply(self, event: dict[str, Any]) -> None:
        self.seen.append(event["id"])
        kind, posting_id = event["kind"], event["posting_id"]
        if kind in ("created", "reopened"):
            self.postings[posting_id] = dict(event["posting"])
        elif kind == "updated":
            for field, change in (event["changes"] or {}).items():
                self.postings[posting_id][field] = change["new"]
        elif kind in ("removed", "stale"):  # a stale posting may be removed later
            self.postings.pop(posting_id, None)


def event_count(engine: Engine) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(JobEvent)).scalar_one()


def active_titles(engine: Engine) -> dict[int, str | None]:
    query = select(JobPosting.id, JobPosting.title).where(JobPosting.status == "active")
    with engine.connect() as conn:
        return dict(conn.execute(query).all())
