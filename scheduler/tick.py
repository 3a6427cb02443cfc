"""The scheduling commands: `tick` (cron path and retries), `daily`, and manual `crawl`.

All three build `Run`s, then `Placer` claims each in the database and hands it to the least
loaded node that accepts it. A company with a job pending or running anywhere is skipped.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TextIO

from sqlalchemy import Engine

from jobcrawler.catalog import Company, load_catalog
from jobcrawler.db.sessions import close_dead_sessions
from scheduler import planning, runs
from scheduler.cluster import Cluster
from scheduler.reconcile import reconcile
from scheduler.runs import Run
from scheduler.scrapyd import NoAnswer, Node, NodeUnreachable, ScrapydError


@dataclass
class Placer:
    """Claims runs and places them on nodes; counts what could not be placed."""

    engine: Engine
    cluster: Cluster
    out: TextIO = field(default_factory=lambda: sys.stdout)
    jitter: float = 0.0
    sleep: Callable[[float], None] = time.sleep
    placed: list[tuple[Run, str]] = field(default_factory=list)
    failures: int = 0

    def place_all(self, todo: Sequence[Run]) -> None:
        """Place runs in order; afterwards print one summary line."""
        self._place_each(todo)
        skipped = len(todo) - len(self.placed) - self.failures
        print(
            f"{len(self.placed)} scheduled, {skipped} skipped, {self.failures} not placed",
            file=self.out,
        )

    def _place_each(self, todo: Sequence[Run]) -> None:
        busy = self.cluster.busy()
        for run, pause in zip(todo, planning.spread(len(todo), self.jitter), strict=True):
            if not self.cluster.states:  # every node went down during this command
                print(
                    f"error: could not schedule {run.slug}: no reachable node",
                    file=self.cluster.err,
                )
                self.failures += 1
                continue
            if run.slug in busy:
                print(
                    f"skip {run.slug}: already pending or running on {busy[run.slug]}",
                    file=self.out,
                )
                continue
            self.sleep(pause)
            if not runs.claim(self.engine, run, _now()):
                print(
                    f"skip {run.slug}: run {run.job_id} is already claimed (placed before, "
                    "or by a concurrent tick)",
                    file=self.out,
                )
                continue
            if run.retaken and self._reached_before(run):
                continue
            url = self._place(run)
            if url is not None:
                busy[run.slug] = url

    def _reached_before(self, run: Run) -> bool:
        """A released claim whose job a node or a crawl session knows after all (a tick died
        after scrapyd took it): record it as placed instead of running it twice."""
        node = self.cluster.holder(run.job_id)
        if node is None and not runs.has_session(self.engine, run.job_id):
            return False
        runs.placed(self.engine, run, node, _now())
        where = node or "a node (it has a crawl session)"
        print(f"skip {run.slug}: run {run.job_id} already reached {where}", file=self.out)
        return True

    def _place(self, run: Run) -> str | None:
        errors = []
        for state in self.cluster.ranked():
            node = state.node
            try:
                node.schedule(
                    run.slug,
                    jobid=run.job_id,
                    priority=run.company.priority,
                    args={"trigger": run.trigger},
                )
            except NoAnswer as exc:
                # Another node could run it a second time: leave it to reconciliation.
                self.cluster.mark_down(node.url, str(exc))
                runs.uncertain(self.engine, run, node.url, str(exc), _now())
                self.failures += 1
                print(
                    f"error: {run.slug}: {exc}; {run.job_id} may be queued there, the next "
                    "tick checks",
                    file=self.cluster.err,
                )
                return None
            except NodeUnreachable as exc:
                self.cluster.mark_down(node.url, str(exc))
                errors.append(str(exc))
                continue
            except ScrapydError as exc:  # refused (not deployed there, bad auth, ...)
                print(f"{exc}; trying another node", file=self.cluster.err)
                errors.append(str(exc))
                continue
            state.load += 1
            runs.placed(self.engine, run, node.url, _now())
            self.placed.append((run, node.url))
            due = f"due {run.due_at:%Y-%m-%d %H:%M}" if run.trigger != "manual" else "now"
            print(
                f"scheduled {run.slug} ({run.trigger}, {due}) as {run.job_id} on {node.url}",
                file=self.out,
            )
            return node.url
        reason = "; ".join(errors) or "no reachable scrapyd node"
        runs.release(self.engine, run, reason)
        self.failures += 1
        print(f"error: could not schedule {run.slug}: {reason}", file=self.cluster.err)
        return None


def _now() -> datetime:
    return datetime.now(UTC)


def _by_priority(todo: Iterable[Run]) -> list[Run]:
    return sorted(todo, key=lambda r: (-r.company.priority, r.due_at, r.slug))


def due_runs(
    companies: Sequence[Company],
    ids: dict[str, int],
    last: dict[int, datetime],
    now: datetime,
    catch_up: timedelta,
) -> list[Run]:
    """The cron-due runs of active companies."""
    todo = []
    for company in companies:
        company_id = ids[company.slug]
        due = planning.due_time(company.schedule, now, last.get(company_id), catch_up)
        if due is not None:
            job = planning.job_id(company.slug, due)
            todo.append(Run(company, company_id, due, 0, "schedule", job))
    return todo


def retry_runs(
    engine: Engine,
    companies: Sequence[Company],
    now: datetime,
    delays: Sequence[timedelta],
    catch_up: timedelta,
) -> list[Run]:
    """Retries of failed runs whose backoff has passed (at most len(delays) per due time)."""
    if not delays:
        return []
    by_slug = {c.slug: c for c in companies}
    since = now - catch_up - max(delays)
    todo = []
    for failed in runs.failed_runs(engine, since, len(delays)):
        company = by_slug.get(failed.slug)
        if company is None or not planning.retry_ready(
            failed.failed_at, failed.attempt, delays, now
        ):
            continue
        attempt = failed.attempt + 1
        job = planning.retry_job_id(failed.job_id, attempt)
        todo.append(Run(company, failed.company_id, failed.due_at, attempt, "retry", job))
    return todo


def _active_catalog(err: TextIO) -> list[Company]:
    catalog = load_catalog()
    for error in catalog.errors:
        print(f"catalog: {error}", file=err)
    return [c for c in catalog.companies if c.active]


def _reachable(cluster: Cluster) -> bool:
    if cluster.states:
        return True
    print("error: no scrapyd node is reachable; nothing was scheduled", file=cluster.err)
    return False


def tick(
    engine: Engine,
    cluster: Cluster,
    *,
    now: datetime,
    catch_up: timedelta = planning.DEFAULT_CATCH_UP,
    retry_delays: Sequence[timedelta] = planning.DEFAULT_RETRY_DELAYS,
    jitter: float = 0.0,
    out: TextIO | None = None,
) -> int:
    """One scheduler pass; exit status 1 when a run could not be placed or no node answers."""
    out = out or sys.stdout
    if not _reachable(cluster):
        return 1
    active = _active_catalog(cluster.err)
    ids = runs.ensure_companies(engine, active)
    dead = close_dead_sessions(engine)
    if dead:
        print(f"closed {dead} crawl session(s) whose process died", file=out)
    for fix in reconcile(engine, cluster, now):
        print(f"{fix.outcome} {fix.slug} ({fix.job_id}): {fix.reason}", file=out)
    due = due_runs(active, ids, runs.last_scheduled(engine), now, catch_up)
    due_slugs = {r.slug for r in due}
    retries = [
        r
        for r in retry_runs(engine, active, now, retry_delays, catch_up)
        if r.slug not in due_slugs  # a fresh run replaces the retry
    ]
    placer = Placer(engine, cluster, out=out, jitter=jitter)
    placer.place_all(_by_priority([*due, *retries]))
    return 1 if placer.failures else 0


def daily(
    engine: Engine,
    cluster: Cluster,
    *,
    now: datetime,
    jitter: float = 0.0,
    out: TextIO | None = None,
) -> int:
    """Every active company once for today: due time today 00:00 UTC, trigger schedule."""
    if not _reachable(cluster):
        return 1
    active = _active_catalog(cluster.err)
    ids = runs.ensure_companies(engine, active)
    due = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    todo = [Run(c, ids[c.slug], due, 0, "schedule", planning.job_id(c.slug, due)) for c in active]
    placer = Placer(engine, cluster, out=out or sys.stdout, jitter=jitter)
    placer.place_all(_by_priority(todo))
    return 1 if placer.failures else 0


def crawl(
    engine: Engine,
    nodes: Sequence[Node],
    slugs: Sequence[str],
    *,
    now: datetime,
    out: TextIO | None = None,
) -> tuple[int, list[tuple[Run, str]]]:
    """Schedule these companies now (trigger manual); returns the status and the placed runs.

    Status 2: unknown company (checked before any node is asked); 1: a company was busy or
    could not be placed.
    """
    catalog = load_catalog().by_slug()
    unknown = [s for s in slugs if s not in catalog]
    if unknown:
        print(f"error: unknown company {', '.join(unknown)} (see `scrapy list`)", file=sys.stderr)
        return 2, []
    cluster = Cluster(nodes)
    if not _reachable(cluster):
        return 1, []
    chosen = [catalog[s] for s in dict.fromkeys(slugs)]
    ids = runs.ensure_companies(engine, chosen)
    todo = [
        Run(c, ids[c.slug], now, 0, "manual", planning.job_id(c.slug, now, trigger="manual"))
        for c in chosen
    ]
    placer = Placer(engine, cluster, out=out or sys.stdout)
    placer.place_all(todo)
    skipped = len(todo) - len(placer.placed)
    return (1 if skipped else 0), placer.placed
