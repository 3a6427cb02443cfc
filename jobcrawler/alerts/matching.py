"""Posting events of closed crawl sessions, matched against saved searches into deliveries.

Each subscription follows the events feed in the `/changes` order and horizon
(`api.changes.settled_after`), so an event committed late is never behind its cursor. An
event is matched only once its crawl session is closed: a crawl's postings arrive together
after it ends, never piecemeal and never from a crawl that may still roll back. The
cursor moves over the leading events whose sessions are closed and stops at the first
event of a running session; closed sessions' events after it are matched at once and
again on later passes, where the deliveries' unique key makes the repeat a no-op.

The search's filters apply to the posting as it is when matched, whatever its status
(a `removed` event's posting is removed).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, or_, select, tuple_, update

from jobcrawler.alerts import deliveries
from jobcrawler.alerts.spec import Filters
from jobcrawler.api.changes import settled_after
from jobcrawler.api.queries import LIST_COLUMNS
from jobcrawler.db.filters import filtered
from jobcrawler.db.models import Company, CrawlSession, JobEvent, JobPosting, Subscription

events = JobEvent.__table__
postings = JobPosting.__table__
companies = Company.__table__
sessions = CrawlSession.__table__
subscriptions = Subscription.__table__
#: Events looked at per subscription and pass.
WINDOW = 1000
#: The event kinds each notice stands for.
KINDS = {"created": ("created", "reopened"), "removed": ("removed",)}
CLOSED = or_(sessions.c.status.is_(None), sessions.c.status != "running")


def match(conn: Connection, subscription: Any, search: Any, now: datetime) -> bool:
    """Queue the subscription's matching events of closed sessions (a window of them) and
    move its cursor; whether a full window moved it (more may follow at once)."""
    position = (subscription.cursor_txid, subscription.cursor_id)
    window = select(events.c.txid, events.c.id, CLOSED.label("closed")).outerjoin(
        sessions, sessions.c.id == events.c.session_id
    )
    rows = conn.execute(settled_after(window, conn.dialect.name, position).limit(WINDOW)).all()
    if not rows:
        return False
    settled = position
    for row in rows:
        if not row.closed:
            break
        settled = (row.txid, row.id)
    kinds = [kind for notice in search.notify for kind in KINDS[notice]]
    found = conn.execute(
        _matching(conn.dialect.name, Filters.model_validate(search.filters))
        .where(tuple_(events.c.txid, events.c.id) > tuple_(*position))
        .where(tuple_(events.c.txid, events.c.id) <= tuple_(rows[-1].txid, rows[-1].id))
        .where(CLOSED, events.c.kind.in_(kinds))
    ).mappings()
    deliveries.add(
        conn, subscription.id, ((f"event:{r['event_id']}", _payload(search, r)) for r in found), now
    )
    cursor = {"cursor_txid": settled[0], "cursor_id": settled[1]}
    conn.execute(update(subscriptions).where(subscriptions.c.id == subscription.id).values(cursor))
    return len(rows) == WINDOW and settled != position


def _matching(dialect: str, filters: Filters) -> Any:
    query = (
        select(
            events.c.id.label("event_id"), events.c.kind, events.c.at, events.c.session_id,
            *(postings.c[name] for name in LIST_COLUMNS), companies.c.slug.label("company"),
            companies.c.name.label("company_name"),
        )
        .select_from(events)
        .join(postings, postings.c.id == events.c.posting_id)
        .join(companies, companies.c.id == postings.c.company_id)
        .outerjoin(sessions, sessions.c.id == events.c.session_id)
    )  # fmt: skip
    return filtered(query, dialect, filters.posting_filter(status=False))


def _payload(search: Any, row: Any) -> dict[str, Any]:
    posting = {name: row[name] for name in (*LIST_COLUMNS, "company", "company_name")}
    return {
        "search": {"id": search.id, "name": search.name},
        "event": {
            "id": row["event_id"],
            "kind": row["kind"],
            "at": row["at"],
            "session_id": row["session_id"],
        },
        "posting": posting,
    }
