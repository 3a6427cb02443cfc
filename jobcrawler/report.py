"""`python -m jobcrawler report`: per company, postings now and what the last crawl found."""

from __future__ import annotations

import sys
from typing import Any, TextIO

from sqlalchemy import text
from sqlalchemy.engine import Engine

from jobcrawler.db.access import NO_CRAWLS, read_engine
from jobcrawler.db.sessions import close_dead_sessions
from jobcrawler.output import Column, render

#: The table: a long slug or error is cut short, the figures stay whole.
COLUMNS = (
    Column("company", shrink=True),
    Column("ats"),
    Column("postings"),
    Column("last_status", "last crawl"),
    Column("new"),
    Column("updated"),
    Column("removed"),
    Column("reopened"),
    Column("error", "note", shrink=True),
)

_QUERY = text(
    """
    SELECT c.slug AS company, c.ats,
           (SELECT count(*) FROM job_postings p WHERE p.company_id = c.id AND p.status = 'active')
             AS postings,
           s.status AS last_status, s.new_count AS new, s.updated_count AS updated,
           s.removed_count AS removed, s.reopened_count AS reopened, s.error
    FROM companies c
    LEFT JOIN crawl_sessions s ON s.id = (
        SELECT max(id) FROM crawl_sessions WHERE company_id = c.id
    )
    ORDER BY c.slug
    """
)


def company_rows(engine: Engine) -> list[dict[str, Any]]:
    with engine.connect() as conn:
        return [dict(row) for row in conn.execute(_QUERY).mappings()]


def print_report(
    engine: Engine | None = None, fmt: str = "table", out: TextIO | None = None
) -> None:
    """Print the report of `engine` (default: DATABASE_URL, read only; nothing on a fresh
    database but the "no crawls yet" line on stderr). Raises DatabaseProblem."""
    engine = engine or read_engine()
    rows = []
    if engine is not None:
        close_dead_sessions(engine)  # a killed crawl's session shows as failed, not running
        rows = company_rows(engine)
    render(rows, fmt, out or sys.stdout, COLUMNS, empty=NO_CRAWLS if engine else "")
