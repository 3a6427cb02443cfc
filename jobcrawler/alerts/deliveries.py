"""The deliveries table: events queued per subscription, claimed, sent, retried.

"At least once, never twice": matching inserts a row per (subscription, event) and a
repeat inserts nothing (unique constraint). A sender claims due rows first (PostgreSQL:
`FOR UPDATE SKIP LOCKED`; SQLite: the write lock), marking them with its name and a claim
expiry, so a second worker running at once takes other rows; a worker that dies mid-send
leaves its claim to expire and the row is sent again (the receiver deduplicates on the
delivery id it is given). Failed attempts are retried with exponential back-off, from
30 s doubling up to an hour, until 24 hours after the first attempt; then the row is
`failed`. Every attempt moves `attempts` and `last_error`.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from jobcrawler.db.content import jsonable
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.lease import this_host
from jobcrawler.db.models import Delivery, Subscription

deliveries = Delivery.__table__
subscriptions = Subscription.__table__

FIRST_RETRY = timedelta(seconds=30)
MAX_RETRY = timedelta(hours=1)
#: How long after the first attempt a delivery is retried before it is `failed`.
GIVE_UP_AFTER = timedelta(hours=24)
#: A claim outlives the slowest send of a batch (timeouts are 10-30 s per send).
CLAIM = timedelta(minutes=10)
STATES = ("pending", "sent", "failed")


def retry_delay(attempts: int) -> timedelta:
    """The wait after the `attempts`-th failed attempt: 30 s, 60 s, 120 s ... up to 1 h."""
    return min(FIRST_RETRY * 2 ** min(attempts - 1, 20), MAX_RETRY)


def worker_name() -> str:
    return f"{this_host()}:{os.getpid()}"


def add(
    conn: Connection, subscription_id: int, events: Iterable[tuple[str, Any]], now: datetime
) -> None:
    """Queue `(event_key, payload)` for the subscription; events it already has are skipped."""
    rows = [
        {"subscription_id": subscription_id, "event_key": key, "payload": jsonable(payload),
         "state": "pending", "attempts": 0, "created_at": now, "next_attempt_at": now}
        for key, payload in events
    ]  # fmt: skip
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(deliveries).on_conflict_do_nothing(
        index_elements=["subscription_id", "event_key"]
    )
    conn.execute(stmt, rows)


@dataclass(frozen=True)
class Due:
    """A claimed delivery with what its sender needs."""

    id: int
    subscription_id: int
    channel: str
    target: str
    secret: str | None
    payload: dict[str, Any]
    attempts: int


def claim(engine: Engine, worker: str, now: datetime, limit: int = 200) -> list[Due]:
    """Take up to `limit` due pending deliveries for `worker` (oldest first)."""
    d = deliveries.c
    due = (
        select(d.id)
        .where(
            d.state == "pending",
            d.next_attempt_at <= now,
            or_(d.claimed_until.is_(None), d.claimed_until < now),
        )
        .order_by(d.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    with write_transaction(engine) as conn:
        ids = list(conn.execute(due).scalars())
        if not ids:
            return []
        conn.execute(
            update(deliveries)
            .where(d.id.in_(ids))
            .values(claimed_by=worker, claimed_until=now + CLAIM)
        )
        rows = conn.execute(
            select(
                d.id, d.subscription_id, subscriptions.c.channel, subscriptions.c.target,
                subscriptions.c.secret, d.payload, d.attempts,
            )
            .join(subscriptions, subscriptions.c.id == d.subscription_id)
            .where(d.id.in_(ids))
            .order_by(d.id)
        ).all()  # fmt: skip
    return [Due(*row) for row in rows]


def record(
    engine: Engine, ids: Sequence[int], worker: str, now: datetime, error: str | None
) -> None:
    """The outcome of one attempt at `ids`: sent (error None) or a retry, or `failed` once
    24 hours passed since the first attempt. Only rows this worker still holds move."""
    if not ids:
        return
    d = deliveries.c
    first = func.coalesce(d.first_attempt_at, now)
    values: dict[str, Any] = {
        "attempts": d.attempts + 1,
        "first_attempt_at": first,
        "claimed_by": None,
        "claimed_until": None,
        "last_error": error[:2000] if error else None,
    }
    if error is None:
        values |= {"state": "sent", "sent_at": now}
    with write_transaction(engine) as conn:
        held = and_(d.id.in_(ids), d.claimed_by == worker)
        if error is None:
            conn.execute(update(deliveries).where(held).values(**values))
            return
        rows = conn.execute(select(d.id, d.attempts, d.first_attempt_at).where(held)).all()
        for row in rows:
            started = row.first_attempt_at or now
            give_up = now - started >= GIVE_UP_AFTER
            conn.execute(
                update(deliveries)
                .where(d.id == row.id)
                .values(
                    **values,
                    state="failed" if give_up else "pending",
                    next_attempt_at=now + retry_delay(row.attempts + 1),
                )
            )


def postpone(engine: Engine, ids: Sequence[int], worker: str, until: datetime) -> None:
    """Give back claimed rows untried, due again at `until` (their receiver just failed:
    trying each would only wait out its timeouts). Not an attempt: nothing is counted."""
    d = deliveries.c
    with write_transaction(engine) as conn:
        conn.execute(
            update(deliveries)
            .where(d.id.in_(ids), d.claimed_by == worker)
            .values(claimed_by=None, claimed_until=None, next_attempt_at=until)
        )


def retry_now(engine: Engine, now: datetime) -> int:
    """Make every unclaimed undelivered row due at once, `failed` ones included (their
    24 hours start again): for an operator whose receiver is back. The number of rows."""
    d = deliveries.c
    unclaimed = or_(d.claimed_until.is_(None), d.claimed_until < now)
    with write_transaction(engine) as conn:
        moved = conn.execute(
            update(deliveries)
            .where(d.state != "sent", unclaimed)
            .values(state="pending", next_attempt_at=now, first_attempt_at=None)
        )
    return moved.rowcount


def counts(conn: Connection) -> dict[str, int]:
    """Deliveries per state (every state, 0 when none)."""
    query = select(deliveries.c.state, func.count()).group_by(deliveries.c.state)
    return {**dict.fromkeys(STATES, 0), **dict(conn.execute(query).all())}
