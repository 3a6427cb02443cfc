"""Saved searches and their subscriptions as rows: written from YAML files and the API.

A search's subscriptions are replaced by the ones its spec lists, matched on (channel,
target): a kept subscriber keeps its cursor and its deliveries; a new one gets what
happens from then on, not the history: from the end of its feed when saved over the API,
from when its file was written for a file search (the next alerts pass may come minutes
later, after a crawl the user subscribed for), but at most `FILE_BACKLOG` back (a file
copied with an old modification time must not replay months).
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update

from jobcrawler.alerts import health
from jobcrawler.alerts.spec import Loaded, SearchSpec
from jobcrawler.api.changes import feed_at, feed_end
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.models import Delivery, SavedSearch, Subscription

logger = logging.getLogger(__name__)

searches = SavedSearch.__table__
subscriptions = Subscription.__table__
deliveries = Delivery.__table__


#: How far back a new subscriber of a file search can start.
FILE_BACKLOG = timedelta(days=1)


class NameTaken(Exception):
    """Another search (from another source) has this name."""


def save(
    conn: Connection,
    spec: SearchSpec,
    source: str,
    now: datetime,
    search_id: int | None = None,
    since: datetime | None = None,
) -> int:
    """Save `spec` and its subscriptions; its id. A file search is upserted by name; an API
    search is created (`search_id` None) or replaced (and maybe renamed). New subscribers
    start from `since` (None: now). Raises NameTaken."""
    named = conn.execute(select(searches).where(searches.c.name == spec.name)).first()
    if named and (named.source != source or (source == "api" and named.id != search_id)):
        raise NameTaken(f"a saved search named {spec.name!r} exists ({named.source})")
    search_id = search_id if search_id is not None else named.id if named else None
    if search_id is not None:  # another kind follows another feed: its cursors are void
        conn.execute(
            delete(subscriptions).where(
                subscriptions.c.search_id == search_id,
                subscriptions.c.search_id.in_(
                    select(searches.c.id).where(searches.c.kind != spec.kind)
                ),
            )
        )
    values = {
        "name": spec.name,
        "source": source,
        "kind": spec.kind,
        "filters": spec.filters.model_dump(mode="json", exclude_defaults=True),
        "notify": spec.notify,
        "failures": spec.failures if spec.kind == "health" else None,
        "updated_at": now,
    }
    if search_id is None:
        query = insert(searches).values(**values, created_at=now).returning(searches.c.id)
        search_id = conn.execute(query).scalar_one()
    elif not (named and named.id == search_id and _same(named, values)):
        conn.execute(update(searches).where(searches.c.id == search_id).values(**values))
    _subscribe(conn, search_id, spec, since)
    return search_id


def _same(row: Any, values: dict[str, Any]) -> bool:
    """Whether the stored search already says `values` (a file synced every minute keeps
    its `updated_at`)."""
    return all(
        row._mapping[name] == value for name, value in values.items() if name != "updated_at"
    )


def _subscribe(conn: Connection, search_id: int, spec: SearchSpec, since: datetime | None) -> None:
    wanted = {(c, t): s for sub in spec.subscribers for c, t, s in sub.targets()}
    have = conn.execute(
        select(subscriptions.c.id, subscriptions.c.channel, subscriptions.c.target).where(
            subscriptions.c.search_id == search_id
        )
    ).all()
    for row in have:
        if (row.channel, row.target) not in wanted:
            conn.execute(delete(subscriptions).where(subscriptions.c.id == row.id))
        else:
            secret = wanted.pop((row.channel, row.target))
            conn.execute(
                update(subscriptions).where(subscriptions.c.id == row.id).values(secret=secret)
            )
    if not wanted:
        return
    if spec.kind == "health":
        cursor_txid, cursor_id = health.session_start(conn, since)
    else:
        cursor_txid, cursor_id = feed_end(conn) if since is None else feed_at(conn, since)
    conn.execute(
        insert(subscriptions),
        [
            {"search_id": search_id, "channel": channel, "target": target, "secret": secret,
             "cursor_txid": cursor_txid, "cursor_id": cursor_id}
            for (channel, target), secret in wanted.items()
        ],
    )  # fmt: skip


def sync_files(engine: Engine, loaded: Loaded, now: datetime) -> None:
    """Make the file-sourced searches what the directory holds. Searches whose file is
    gone are deleted, but only when every file was valid: a broken file keeps its search
    (and its subscribers' cursors) until it is fixed."""
    with write_transaction(engine) as conn:
        for name, spec in loaded.searches.items():
            since = min(max(loaded.written.get(name, now), now - FILE_BACKLOG), now)
            try:
                save(conn, spec, "file", now, since=since)
            except NameTaken as exc:
                loaded.errors.append(f"search {spec.name!r}: {exc}")
        if loaded.errors:
            return
        stale = delete(searches).where(
            searches.c.source == "file", searches.c.name.not_in(list(loaded.searches))
        )
        conn.execute(stale)


def remove(conn: Connection, search_id: int) -> bool:
    """Delete an API search (its subscriptions and deliveries go with it)."""
    query = delete(searches).where(searches.c.id == search_id, searches.c.source == "api")
    return conn.execute(query).rowcount > 0


def read(conn: Connection, search_id: int | None = None) -> list[dict[str, Any]]:
    """Searches (one, or all by id) as the API shows them: subscribers without secrets."""
    query = select(searches).order_by(searches.c.id)
    if search_id is not None:
        query = query.where(searches.c.id == search_id)
    rows = conn.execute(query).mappings().all()
    subs = select(subscriptions.c.search_id, subscriptions.c.channel, subscriptions.c.target)
    if search_id is not None:
        subs = subs.where(subscriptions.c.search_id == search_id)
    by_search: dict[int, list[dict[str, str]]] = {}
    for sub in conn.execute(subs.order_by(subscriptions.c.id)):
        by_search.setdefault(sub.search_id, []).append({sub.channel: sub.target})
    return [
        {**row, "failures": row["failures"] or 3, "subscribers": by_search.get(row["id"], [])}
        for row in rows
    ]
