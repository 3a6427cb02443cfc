"""A per-company table: postings now, and what the last crawl found."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Engine

from jobcrawler.db import make_engine, migrate
from jobcrawler.db.sessions import close_dead_sessions

COLUMNS = (
    "company",
    "ats",
    "postings",
    "last crawl",
    "new",
    "updated",
    "removed",
    "reopened",
    "note",
)

_QUERY = text(
    """
    SELECT c.slug, c.ats,
           (SELECT count(*) FROM job_postings p WHERE p.company_id = c.id AND p.status = 'active'),
           s.status, s.new_count, s.updated_count, s.removed_count, s.reopened_count, s.error
    FROM companies c
    LEFT JOIN crawl_sessions s ON s.id = (
        SELECT max(id) FROM crawl_sessions WHERE company_id = c.id
    )
    ORDER BY c.slug
    """
)


def company_rows(engine: Engine) -> list[tuple[Any, ...]]:
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(_QUERY)]


def format_table(header: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    cells = [[("" if v is None else str(v)) for v in row] for row in [header, *rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = [
        "  ".join(v.ljust(w) for v, w in zip(row, widths, strict=True)).rstrip() for row in cells
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def print_report(engine: Engine | None = None) -> None:
    engine = engine or make_engine()
    migrate(engine)
    close_dead_sessions(engine)  # a killed crawl's session shows as failed, not running
    rows = company_rows(engine)
    print(format_table(COLUMNS, [(*row[:-1], _note(row[-1])) for row in rows]))


def _note(error: str | None, width: int = 60) -> str:
    return error if not error or len(error) <= width else error[: width - 1] + "…"
