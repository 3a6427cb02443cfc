"""`crawl --wait`: follow placed jobs to their end, one line per state change per job.

A job's state comes from scrapyd (pending, running, finished) and, once the crawl has
recorded it, from its crawl session, which has the final word (succeeded, partial, failed).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import TextIO

from sqlalchemy import Engine, select

from jobcrawler.db.models import CrawlSession
from scheduler.reconcile import finished_without_close
from scheduler.runs import Run
from scheduler.scrapyd import Node, ScrapydError

sessions = CrawlSession.__table__


def _session(engine: Engine, run: Run) -> dict | None:
    """The company's latest session in the run's job (a batch job has one per company)."""
    query = (
        select(sessions)
        .where(sessions.c.job_id == run.job_id, sessions.c.company_id == run.company_id)
        .order_by(sessions.c.id.desc())
        .limit(1)
    )
    with engine.connect() as conn:
        row = conn.execute(query).mappings().first()
    return dict(row) if row else None


def job_state(engine: Engine, node: Node, run: Run) -> tuple[str, str | None]:
    """(label, final status or None while the run's job goes on)."""
    job_id = run.job_id
    try:
        current = node.job_state(job_id)  # scrapyd first: "finished" implies a final session
    except ScrapydError as exc:
        return f"unknown: {exc}", None
    session = _session(engine, run)
    if session and session["status"] != "running":
        status = session["status"]
        counts = (
            f"new {session['new_count']}, updated {session['updated_count']}, "
            f"removed {session['removed_count']}"
        )
        error = f": {session['error']}" if session["error"] else ""
        return f"{status} ({counts}){error}", status
    if current in ("finished", None):
        return f"failed: {finished_without_close(job_id)}", "failed"
    return (current if session is None else "running"), None


def wait(
    engine: Engine,
    placed: Sequence[tuple[Run, Node]],
    *,
    poll: float = 5.0,
    timeout: float = 3600.0,
    out: TextIO | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> int:
    """Poll until every job ended; 0 when all sessions succeeded, 1 otherwise or on timeout."""
    out = out or sys.stdout
    labels: dict[str, str] = {}
    finals: dict[str, str] = {}
    deadline = time.monotonic() + timeout
    while True:
        for run, node in placed:
            if run.slug in finals:  # by company: the runs of a batch share their job id
                continue
            label, final = job_state(engine, node, run)
            if labels.get(run.slug) != label:
                labels[run.slug] = label
                print(f"{datetime.now(UTC):%H:%M:%S} {run.slug} {run.job_id}: {label}", file=out)
            if final:
                finals[run.slug] = final
        if len(finals) == len(placed):
            return 0 if all(s == "succeeded" for s in finals.values()) else 1
        if time.monotonic() >= deadline:
            left = [r.slug for r, _ in placed if r.slug not in finals]
            print(f"timed out after {timeout:g}s waiting for {', '.join(left)}", file=out)
            return 1
        sleep(poll)
