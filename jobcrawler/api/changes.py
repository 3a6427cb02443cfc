"""The events feed behind `/changes`: every posting event once, in an order that never
lets a late commit slip behind a client's cursor.

Event ids come from a sequence, but transactions commit out of order: a feed of
`id > cursor` could pass id 101 (committed) while id 100 (still in flight) appears later.
So the feed's order is (txid, id), where `txid` is the id of the transaction that wrote the
event (a column default on PostgreSQL, so the COPY path fills it), and it serves only events
of transactions older than the oldest one still running (`pg_snapshot_xmin`): every
transaction that commits later has a txid at least that high, hence sorts after anything
served. The price is lag while a write transaction stays open; the store's transactions
are one batch each. Chosen over a time-based safety lag (which is a guess, and wrong under
a slow commit) and over a separate commit log (a second write per event on the hot path).

SQLite has one writer at a time and ids are handed out in commit order, so txid is 0 and
the order is the id's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, literal_column, select, tuple_

from jobcrawler.api import cursor
from jobcrawler.api.queries import LIST_COLUMNS
from jobcrawler.db.models import Company, JobEvent, JobPosting

events = JobEvent.__table__
postings = JobPosting.__table__
companies = Company.__table__

#: Events whose posting is carried whole: a mirror learns the posting from them.
CARRY_POSTING = ("created", "reopened")
#: The posting's columns a carried posting holds (the description too: a mirror keeps it).
CARRIED = (*(c for c in LIST_COLUMNS if c != "id"), "description")
EVENT_FIELDS = ("id", "posting_id", "session_id", "kind", "at", "changes", "company",
                "external_id")  # fmt: skip
#: The oldest running transaction's id, as the txid column stores it.
PG_HORIZON = literal_column("(pg_snapshot_xmin(pg_current_snapshot())::text)::bigint")


def changes_page(conn: Connection, after: str | None, limit: int) -> dict[str, Any]:
    """Up to `limit` events after cursor `after` (None: from the first), with the cursor to
    pass next (the same one when there is nothing new yet). Raises cursor.BadCursor."""
    txid, last_id = cursor.decode(after, int, int) if after else (0, 0)
    query = (
        select(
            events.c.id,
            events.c.txid,
            events.c.posting_id,
            events.c.session_id,
            events.c.kind,
            events.c.at,
            events.c.changes,
            companies.c.slug.label("company"),
            *(postings.c[name] for name in CARRIED),
        )
        .join(postings, postings.c.id == events.c.posting_id)
        .join(companies, companies.c.id == postings.c.company_id)
    )
    query = settled_after(query, conn.dialect.name, (txid, last_id)).limit(limit)
    rows = conn.execute(query).mappings().all()
    items = [_event(row) for row in rows]
    position = (rows[-1]["txid"], rows[-1]["id"]) if rows else (txid, last_id)
    return {"events": items, "next": cursor.encode(*position), "more": len(rows) == limit}


def settled_after(query: Select[Any], dialect: str, position: tuple[int, int]) -> Select[Any]:
    """`query` (over job_events) narrowed to the events after feed `position` (txid, id)
    that no running transaction can still precede, in feed order. Every follower of the
    feed (this page, the alerts matcher) reads it through here."""
    query = query.where(tuple_(events.c.txid, events.c.id) > tuple_(*position))
    if dialect == "postgresql":
        query = query.where(events.c.txid < PG_HORIZON)
    return query.order_by(events.c.txid, events.c.id)


def feed_end(conn: Connection) -> tuple[int, int]:
    """The position of the newest committed event: following from there skips the history.
    (Not held back by the horizon: a follower starting now wants what comes next, not
    the committed events an unrelated long transaction holds back.)"""
    query = select(events.c.txid, events.c.id)
    row = conn.execute(query.order_by(events.c.txid.desc(), events.c.id.desc()).limit(1)).first()
    return (row.txid, row.id) if row else (0, 0)


def feed_at(conn: Connection, when: datetime) -> tuple[int, int]:
    """The position of the newest event written before `when`: following from there gets
    what happened since (a saved search file's subscribers start from when it was written)."""
    query = select(events.c.txid, events.c.id).where(events.c.at < when)
    row = conn.execute(query.order_by(events.c.txid.desc(), events.c.id.desc()).limit(1)).first()
    return (row.txid, row.id) if row else (0, 0)


def _event(row: Mapping[str, Any]) -> dict[str, Any]:
    """The event, with the posting as it is now on `created` and `reopened` (read in the
    same statement as the event)."""
    event = {name: row[name] for name in EVENT_FIELDS}
    if row["kind"] in CARRY_POSTING:
        posting = {name: row[name] for name in CARRIED}
        event["posting"] = {**posting, "id": row["posting_id"], "company": row["company"]}
    else:
        event["posting"] = None
    return event
