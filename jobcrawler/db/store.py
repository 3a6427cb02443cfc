"""Posting lifecycle for one crawl of one company: created, updated, reopened, removed.

The company's posting index (external_id -> id, hash, status) is loaded once per crawl, so
each batch is classified in memory and written with a few bulk statements in one transaction;
unchanged postings are not rewritten, only their `last_seen_at` moves.

A batch the database refuses is split until the refused postings are isolated: only they
are lost (logged with company, id and reason). Passing faults (connection lost, "database
is locked") are retried with back-off. Each batch also moves the session's counts and
renews the crawl's lease (`jobcrawler/db/lease.py`), in its own transaction.
"""

from __future__ import annotations

import logging
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from jobcrawler.db import bulk, lease
from jobcrawler.db.content import (
    POSTING_FIELDS,
    Place,
    clean_places,
    clean_posting,
    content_hash,
    diff,
    hash_clean,
    jsonable,
    with_places,
)
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.models import Company, CrawlSession, JobEvent, JobPosting
from jobcrawler.db.retry import WRITE_DELAYS, first_line, is_transient, retrying
from jobcrawler.db.sessions import close_dead

__all__ = ["POSTING_FIELDS", "CompanyRecord", "CrawlStore", "SessionResult", "content_hash"]

logger = logging.getLogger(__name__)

MIN_ACTIVE_FOR_GUARD = 10

postings = JobPosting.__table__
events = JobEvent.__table__
sessions = CrawlSession.__table__


@dataclass
class CompanyRecord:
    slug: str
    name: str
    ats: str
    board: str | None
    active: bool = True


@dataclass(frozen=True)
class SessionResult:
    session_id: int
    status: str
    new_count: int
    updated_count: int
    unchanged_count: int
    removed_count: int
    reopened_count: int
    withheld_count: int  # missing postings kept active until another crawl misses them
    error: str | None


@dataclass(slots=True)
class _Known:
    id: int
    content_hash: str
    status: str
    missing_since: datetime | None
    list_hash: str | None = None
    posted_at: datetime | None = None  # kept when a crawl resolves a relative date again
    url: str | None = None


def _now() -> datetime:
    return datetime.now(UTC)


class StoreWriteError(Exception):
    """The database refused every posting of a batch: not the postings, the store is at fault."""


class CrawlStore:
    """Writes one crawl of one company at a time; not thread-safe (one call at a time)."""

    def __init__(
        self,
        engine: Engine,
        *,
        retry_delays: Sequence[float] = WRITE_DELAYS,
        lease_seconds: float = lease.LEASE_SECONDS,
    ) -> None:
        self.engine = engine
        self.retry_delays = retry_delays
        self.lease_seconds = lease_seconds
        self._reset()

    def _reset(self) -> None:
        self.session_id: int | None = None
        self._company_id = 0
        self._slug = ""
        self._index: dict[str, _Known] = {}
        self._active_before = 0
        self._seen: set[str] = set()  # offered by this crawl: never removed by it
        self._written: set[str] = set()  # committed by this crawl: later duplicates ignored
        self._counts = dict.fromkeys(("new", "updated", "unchanged", "reopened"), 0)

    @property
    def counts(self) -> dict[str, int]:
        """new / updated / unchanged / reopened postings written so far."""
        return dict(self._counts)

    def open(self, company: CompanyRecord, *, spider: str, job_id: str | None, trigger: str) -> int:
        """Upsert the company, close its dead sessions, take its lease, start a `running`
        session, load the posting index. Raises `lease.CrawlRefused` if another live crawl
        of the company holds the lease (then nothing is written)."""
        if self.session_id is not None:
            raise RuntimeError(f"crawl session {self.session_id} is still open")
        opened = partial(self._open, company, spider=spider, job_id=job_id, trigger=trigger)
        session_id, company_id, index = retrying(
            opened, self.retry_delays, f"opening a crawl session of {company.slug}"
        )
        self._reset()
        self.session_id, self._company_id, self._index = session_id, company_id, index
        self._slug = company.slug
        self._active_before = sum(k.status == "active" for k in index.values())
        return session_id

    def _open(
        self, company: CompanyRecord, *, spider: str, job_id: str | None, trigger: str
    ) -> tuple[int, int, dict[str, _Known]]:
        values = {
            "slug": company.slug,
            "name": company.name,
            "ats": company.ats,
            "board": company.board,
            "active": company.active,
        }
        with write_transaction(self.engine) as conn:
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            upsert = dialect.insert(Company).values(values)
            upsert = upsert.on_conflict_do_update(
                index_elements=["slug"], set_={k: v for k, v in values.items() if k != "slug"}
            )
            # On PostgreSQL the upsert locks the company row until commit: crawls of one
            # company opening together queue here, and the next one sees this one's lease.
            company_id = conn.execute(upsert.returning(Company.id)).scalar_one()
            now = _now()
            close_dead(conn, company_id, now)
            holder = lease.current(conn, company_id)
            if holder is not None:
                raise lease.CrawlRefused(company.slug, holder)
            new_session = insert(sessions).values(
                company_id=company_id,
                spider=spider,
                job_id=job_id,
                trigger=trigger,
                status="running",
                started_at=now,
            )
            session_id = conn.execute(new_session.returning(sessions.c.id)).scalar_one()
            lease.take(conn, company_id, session_id, now, self.lease_seconds)
            rows = conn.execute(
                select(
                    postings.c.external_id,
                    postings.c.id,
                    postings.c.content_hash,
                    postings.c.status,
                    postings.c.missing_since,
                    postings.c.list_hash,
                    postings.c.posted_at,
                    postings.c.url,
                ).where(postings.c.company_id == company_id)
            )
            index = {row[0]: _Known(*row[1:]) for row in rows}
        return session_id, company_id, index

    def heartbeat(self) -> None:
        """Renew the crawl's lease; raises `lease.LeaseLost` if another crawl took it."""
        session_id = self._require_open()

        def renew() -> None:
            with write_transaction(self.engine) as conn:
                lease.renew(conn, self._company_id, session_id, _now(), self.lease_seconds)

        retrying(renew, self.retry_delays, f"renewing the crawl lease of {self._slug}")

    def write(self, batch: Sequence[Mapping[str, Any]]) -> int:
        """Store one batch of normalized postings; returns how many the database refused.

        Refused postings are isolated by splitting the batch, logged and skipped; the rest
        are stored. Raises after retries when the database stays unreachable, and
        `StoreWriteError` when it refuses every posting of a batch. Either way the batch's
        postings count as seen: this crawl never removes them.
        """
        self._require_open()
        todo: list[tuple[str, Mapping[str, Any]]] = []
        batch_ids: set[str] = set()
        for posting in batch:
            external_id = posting.get("external_id")
            if external_id is None or external_id == "":
                logger.warning("skipping posting without external_id: %r", posting.get("url"))
                continue
            external_id = str(external_id)
            if external_id in self._written or external_id in batch_ids:
                continue
            batch_ids.add(external_id)
            todo.append((external_id, posting))
        self._seen |= batch_ids  # even if the write fails: they exist on the site
        refused = self._write_isolating(todo)
        if refused == len(todo) > 1:
            raise StoreWriteError(f"the database refused all {refused} postings of a batch")
        return refused

    def _write_isolating(self, todo: Sequence[tuple[str, Mapping[str, Any]]]) -> int:
        """Write `todo`, halving it on refusal until each refused posting stands alone."""
        if not todo:
            return 0
        what = f"writing {len(todo)} postings of {self._slug}"
        try:
            retrying(partial(self._write_rows, todo), self.retry_delays, what)
        except lease.LeaseLost:
            raise
        except Exception as exc:
            if is_transient(exc):
                raise
            if len(todo) > 1:
                half = len(todo) // 2
                return self._write_isolating(todo[:half]) + self._write_isolating(todo[half:])
            logger.error(
                "%s: posting %.200r not stored, the database refused it: %s",
                self._slug,
                todo[0][0],
                first_line(exc),
            )
            return 1
        return 0

    def _write_rows(self, todo: Sequence[tuple[str, Mapping[str, Any]]]) -> None:
        """One transaction: postings, events, the session's counts, the lease's renewal.
        The in-memory index changes only after the commit, so a failed try can be redone."""
        session_id = self._require_open()
        new: list[dict[str, Any]] = []
        changed: list[tuple[_Known, dict[str, Any]]] = []  # content changed and/or reopened
        unchanged: list[_Known] = []
        relisted: list[tuple[_Known, str]] = []  # same content, new list entry hash
        places: dict[str, list[Place]] = {}  # written with new and changed postings only
        for external_id, posting in todo:
            values = clean_posting(posting)
            known = self._index.get(external_id)
            if known is not None and posting.get("posted_at_relative") and known.posted_at:
                values["posted_at"] = known.posted_at  # resolved once, by the first crawl
            places[external_id] = clean_places(posting, values)
            row = {
                "external_id": external_id,
                **values,
                "content_hash": hash_clean(with_places(values, places[external_id])),
                "list_hash": posting.get("list_hash"),
            }
            if known is None:
                new.append(row)
            elif known.status != "active" or known.content_hash != row["content_hash"]:
                changed.append((known, row))
            elif row["list_hash"] is not None and row["list_hash"] != known.list_hash:
                relisted.append((known, row["list_hash"]))
            else:
                unchanged.append(known)
        reopened = sum(k.status != "active" for k, _ in changed)
        counts = dict(self._counts)
        counts["new"] += len(new)
        counts["updated"] += len(changed) - reopened
        counts["reopened"] += reopened
        counts["unchanged"] += len(unchanged) + len(relisted)

        now = _now()
        with write_transaction(self.engine) as conn:
            lease.renew(conn, self._company_id, session_id, now, self.lease_seconds)
            if self._stored_counts(conn) == counts:
                # an earlier try committed, only its answer was lost: write nothing twice
                ids = bulk.posting_ids(conn, self._company_id, [row["external_id"] for row in new])
            else:
                content_changed = [
                    k.id for k, row in changed if k.content_hash != row["content_hash"]
                ]
                old = bulk.posting_contents(conn, content_changed)
                stored = bulk.posting_places(conn, content_changed)
                for posting_id, content in old.items():
                    content["locations"] = stored.get(posting_id, [])
                rows = [row for _, row in changed]
                ids = bulk.write_postings(conn, self._company_id, new, rows, now)
                placed = {k.id: places[row["external_id"]] for k, row in changed}
                placed.update((ids[row["external_id"]], places[row["external_id"]]) for row in new)
                bulk.write_places(conn, placed, replace=[k.id for k, _ in changed])
                bulk.update_postings(
                    conn, [k.id for k in unchanged], last_seen_at=now, missing_since=None
                )
                bulk.set_list_hashes(conn, [(k.id, value) for k, value in relisted], now)
                new_events = [(ids[row["external_id"]], "created", None) for row in new]
                for known, row in changed:
                    kind = "updated" if known.status == "active" else "reopened"
                    new_content = {**row, "locations": places[row["external_id"]]}
                    changes = diff(old[known.id], new_content) if known.id in old else None
                    new_events.append((known.id, kind, changes))
                bulk.insert_events(conn, session_id, now, new_events)
                self._write_counts(conn, counts)

        self._counts = counts
        self._written.update(external_id for external_id, _ in todo)
        for row in new:
            external_id = row["external_id"]
            self._index[external_id] = _Known(
                ids[external_id],
                row["content_hash"],
                "active",
                None,
                row["list_hash"],
                posted_at=row["posted_at"],
            )
        for known, row in changed:
            known.content_hash, known.status = row["content_hash"], "active"
            known.list_hash, known.posted_at = row["list_hash"], row["posted_at"]
        for known, value in relisted:
            known.list_hash = value
        for known in [*unchanged, *(k for k, _ in changed), *(k for k, _ in relisted)]:
            known.missing_since = None

    def list_hashes(self) -> dict[str, str]:
        """{external_id: list hash} of the active postings, for skipping unchanged details."""
        return {
            external_id: known.list_hash
            for external_id, known in self._index.items()
            if known.status == "active" and known.list_hash
        }

    def known_postings(self) -> dict[str, str | None]:
        """{external_id: url} of the active and stale postings: the ones a crawl that
        misses them must check before they are removed."""
        return {
            external_id: known.url
            for external_id, known in self._index.items()
            if known.status in ("active", "stale")
        }

    def touch(self, external_ids: Collection[str]) -> None:
        """Postings the crawl saw without an item (detail skipped because unchanged, detail
        failed, or dropped as invalid): never removed by this crawl; the known active ones
        count as unchanged and their last_seen_at moves, in one statement per chunk."""
        self._require_open()
        fresh = set(external_ids) - self._written - self._seen
        self._seen |= fresh
        known = [self._index[e] for e in fresh if e in self._index]
        active = [k for k in known if k.status == "active"]
        if not active:
            return
        counts = dict(self._counts)
        counts["unchanged"] += len(active)

        def update_seen() -> None:
            with write_transaction(self.engine) as conn:
                bulk.update_postings(
                    conn, [k.id for k in active], last_seen_at=_now(), missing_since=None
                )
                self._write_counts(conn, counts)

        retrying(update_seen, self.retry_delays, f"touching {len(active)} postings")
        for k in active:
            k.missing_since = None
        self._counts = counts

    def close(
        self,
        *,
        finish_reason: str | None,
        complete: bool,
        incomplete_reason: str | None,
        items_scraped: int,
        error_count: int,
        stats: dict[str, Any],
        max_removal_ratio: float = 0.5,
        gone: Collection[str] = (),
    ) -> SessionResult:
        """Finish the session; after a complete crawl remove the missing postings that are
        known to be gone.

        Removal needs evidence. A missing (active or stale) posting is removed when the
        platform answered that it is gone (`gone`, checked by the spider), or when an earlier
        complete crawl missed it too (`missing_since` set); otherwise this crawl only sets
        its `missing_since`, and the next complete crawl that still misses it removes it.

        A complete crawl that misses more than `max_removal_ratio` of at least 10 active
        postings looks like a broken listing, not a company that stopped hiring: only the
        postings an earlier crawl missed are removed; the others are withheld
        (`missing_since` set). An incomplete crawl removes nothing.
        """
        session_id = self._require_open()
        remove: list[int] = []
        withhold: list[int] = []  # missing_since set now: kept active until a second miss
        if complete:
            status, error = "succeeded", None
            missing = [
                (ext, k)
                for ext, k in self._index.items()
                if k.status in ("active", "stale") and ext not in self._seen
            ]
            active_missing = sum(k.status == "active" for _, k in missing)
            ratio = active_missing / self._active_before if self._active_before else 0.0
            guarded = self._active_before >= MIN_ACTIVE_FOR_GUARD and ratio > max_removal_ratio
            evidence = set() if guarded else set(gone)
            for ext, k in missing:
                if k.missing_since is not None or ext in evidence:
                    remove.append(k.id)
                else:
                    withhold.append(k.id)
            if guarded and withhold:
                error = (
                    f"removals withheld: {active_missing} of {self._active_before} active "
                    f"postings missing (ratio {ratio:.2f} > {max_removal_ratio:g}); they are "
                    "removed if the next complete crawl still misses them"
                )
                if remove:
                    error += f"; {len(remove)} already missed by an earlier crawl were removed"
        else:
            written = sum(self._counts.values())
            status = "partial" if items_scraped > 0 or written > 0 else "failed"
            error = incomplete_reason or "crawl did not complete"

        now = _now()
        with write_transaction(self.engine) as conn:
            # a retried close whose earlier try committed (only its answer was lost) writes
            # nothing twice: no second "removed" event
            if self._still_running(conn):
                bulk.update_postings(
                    conn, remove, status="removed", removed_at=now, missing_since=None
                )
                bulk.insert_events(
                    conn, session_id, now, [(pid, "removed", None) for pid in remove]
                )
                bulk.update_postings(conn, withhold, missing_since=now)
                lease.release(conn, self._company_id, session_id)
                self._finish(
                    conn,
                    status=status,
                    error=error,
                    finish_reason=finish_reason,
                    items_scraped=items_scraped,
                    error_count=error_count,
                    stats=jsonable(stats),
                    removed_count=len(remove),
                    finished_at=now,
                )
        result = SessionResult(
            session_id=session_id,
            status=status,
            new_count=self._counts["new"],
            updated_count=self._counts["updated"],
            unchanged_count=self._counts["unchanged"],
            removed_count=len(remove),
            reopened_count=self._counts["reopened"],
            withheld_count=len(withhold),
            error=error,
        )
        self._reset()
        return result

    def fail(self, reason: str) -> None:
        """Mark the open session failed (the crawl crashed); nothing is removed."""
        if self.session_id is None:
            return
        with write_transaction(self.engine) as conn:
            lease.release(conn, self._company_id, self.session_id)
            self._finish(conn, status="failed", error=reason, finished_at=_now())
        self._reset()

    def _finish(self, conn: Connection, **values: Any) -> None:
        self._write_counts(conn, self._counts, **values)

    def _still_running(self, conn: Connection) -> bool:
        query = select(sessions.c.status).where(sessions.c.id == self.session_id)
        return conn.execute(query).scalar_one() == "running"

    def _stored_counts(self, conn: Connection) -> dict[str, int]:
        names = list(self._counts)
        columns = [sessions.c[f"{name}_count"] for name in names]
        row = conn.execute(select(*columns).where(sessions.c.id == self.session_id)).one()
        return dict(zip(names, row, strict=True))

    def _write_counts(self, conn: Connection, counts: Mapping[str, int], **values: Any) -> None:
        """The session row's counts (and `values`), in the caller's transaction."""
        columns = {f"{name}_count": n for name, n in counts.items()}
        query = update(sessions).where(sessions.c.id == self.session_id)
        conn.execute(query.values(**columns, **values))

    def _require_open(self) -> int:
        if self.session_id is None:
            raise RuntimeError("no open crawl session: call open() first")
        return self.session_id
