"""Crawl-health alerts, read from closed crawl sessions into deliveries.

Each health subscription follows `crawl_sessions` by id. Its cursor moves only over
sessions that are closed and have no running session before them, so a long crawl is
looked at when it ends; closed sessions after a running one are matched at once (a repeat
inserts nothing). The alerts, one per session at most of each kind:

- `failing`: the session is the company's Nth failed crawl in a row (N = `failures`);
  one alert per streak, not one per further failure;
- `withheld`: a complete crawl whose removals the mass-removal guard withheld;
- `board_404`: the listing answered HTTP 404 where the crawl before did not;
- `empty`: a crawl that did not fail listed 0 postings where the crawl before listed some
  (complete, or partial because the postings it missed still exist).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select, update

from jobcrawler.alerts import deliveries
from jobcrawler.alerts.spec import Filters
from jobcrawler.db.models import Company, CrawlSession, Subscription

sessions = CrawlSession.__table__
companies = Company.__table__
subscriptions = Subscription.__table__
WINDOW = 500
WITHHELD = "removals withheld"
NOT_FOUND = "HTTP 404"
#: Listing entries a detail-page platform saw unchanged (no item, no detail request).
SKIPPED = "jobcrawler/details/skipped_unchanged"


def session_start(conn: Connection, since: datetime | None = None) -> tuple[int, int]:
    """A new health subscription's cursor: after every session closed so far, or started
    before `since` (those after the oldest running one are looked at again; alerts are not
    repeated)."""
    running = select(func.min(sessions.c.id)).where(sessions.c.status == "running")
    oldest_running = conn.execute(running).scalar()
    before = select(func.max(sessions.c.id))
    if since is not None:
        before = before.where(sessions.c.started_at < since)
    last = conn.execute(before).scalar() or 0
    return (0, last if oldest_running is None else min(last, oldest_running - 1))


def match(conn: Connection, subscription: Any, search: Any, now: datetime) -> bool:
    """Queue the subscription's alerts of sessions closed since its cursor (a window of
    them) and move it; whether a full window moved it (more may follow at once)."""
    filters = Filters.model_validate(search.filters)
    query = (
        select(
            sessions.c.id, sessions.c.company_id, sessions.c.status, sessions.c.error,
            sessions.c.finished_at, sessions.c.items_scraped, sessions.c.stats,
            companies.c.slug,
        )
        .join(companies, companies.c.id == sessions.c.company_id)
        .where(sessions.c.id > subscription.cursor_id)
        .order_by(sessions.c.id)
        .limit(WINDOW)
    )  # fmt: skip
    rows = conn.execute(query).all()
    settled = subscription.cursor_id
    for row in rows:
        if row.status == "running":
            break
        settled = row.id
    wanted = set(filters.companies())
    found = []
    for row in rows:
        if row.status == "running" or (wanted and row.slug not in wanted):
            continue
        history = _history(conn, row, search.failures or 3)
        for alert, message in _alerts(row, history, search.failures or 3):
            if alert in search.notify:
                found.append((f"health:{alert}:{row.id}", _payload(search, row, alert, message)))
    deliveries.add(conn, subscription.id, found, now)
    conn.execute(
        update(subscriptions).where(subscriptions.c.id == subscription.id).values(cursor_id=settled)
    )
    return len(rows) == WINDOW and settled != subscription.cursor_id


def _history(conn: Connection, row: Any, failures: int) -> Sequence[Any]:
    """The company's closed sessions up to `row`, newest first (enough for a streak)."""
    query = (
        select(sessions.c.status, sessions.c.error, sessions.c.items_scraped, sessions.c.stats)
        .where(
            sessions.c.company_id == row.company_id,
            sessions.c.id <= row.id,
            sessions.c.status != "running",
        )
        .order_by(sessions.c.id.desc())
        .limit(max(failures, 1) + 1)
    )
    return conn.execute(query).all()


def _alerts(row: Any, history: Sequence[Any], failures: int) -> Iterator[tuple[str, str]]:
    """The (alert, message) pairs session `row` raises; `history[0]` is `row` itself."""
    before = history[1] if len(history) > 1 else None
    error = row.error or ""
    streak = history[:failures]
    if (
        len(streak) == failures
        and all(s.status == "failed" for s in streak)
        and (len(history) <= failures or history[failures].status != "failed")
    ):
        yield "failing", f"{row.slug}: {failures} crawls in a row failed; last: {error}"
    if row.status == "succeeded" and error.startswith(WITHHELD):
        yield "withheld", f"{row.slug}: {error}"
    if NOT_FOUND in error and (before is None or NOT_FOUND not in (before.error or "")):
        yield "board_404", f"{row.slug}: the board answers 404: {error}"
    if row.status != "failed" and _listed(row) == 0 and before is not None and _listed(before):
        yield "empty", f"{row.slug}: the board lists 0 postings (before: {_listed(before)})"


def _listed(session: Any) -> int:
    """How many postings the session's listing showed: items, plus entries whose detail
    page was skipped as unchanged (postings it only verified do not count)."""
    skipped = (session.stats or {}).get(SKIPPED, 0)
    return session.items_scraped + (skipped if isinstance(skipped, int) else 0)


def _payload(search: Any, row: Any, alert: str, message: str) -> dict[str, Any]:
    return {
        "search": {"id": search.id, "name": search.name},
        "alert": alert,
        "message": message,
        "company": row.slug,
        "session": {
            "id": row.id,
            "status": row.status,
            "error": row.error,
            "finished_at": row.finished_at,
        },
    }
