"""The scheduling commands: `tick` (cron path and retries), `daily`, and manual `crawl`.

All three build `Run`s, then `Placer` claims each in the database and hands them, a batch of
companies per scrapyd job (`scrapy crawl batch -a companies=...`), to the least loaded node
that accepts it. A company with a job pending or running anywhere is skipped.
"""

from __future__ import annotations

import sys
import time
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TextIO

from sqlalchemy import Engine

from jobcrawler.catalog import BATCH_SPIDER, Company, load_catalog
from jobcrawler.db.sessions import close_dead_sessions
from scheduler import planning, runs
from scheduler.cluster import Cluster
from scheduler.reconcile import reconcile
from scheduler.runs import Run
from scheduler.scrapyd import NoAnswer, Node, NodeUnreachable, ScrapydError


@dataclass
class Placer:
    """Claims runs and places them on nodes, `batch_size` companies per scrapyd job; counts
    what could not be placed. A batch of one goes out as a plain job (spider = company)."""

    engine: Engine
    cluster: Cluster
    out: TextIO = field(default_factory=lambda: sys.stdout)
    jitter: float = 0.0
    sleep: Callable[[float], None] = time.sleep
    batch_size: int = planning.DEFAULT_BATCH_SIZE
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
        busy = self._busy()
        batches = -(-len(todo) // self.batch_size)
        pauses = iter(planning.spread(batches, self.jitter))
        # One open batch per trigger: a job passes its trigger to every company it crawls.
        open_batches: dict[str, list[Run]] = {}
        for run in todo:
            if not self._claim(run, busy):
                continue
            batch = open_batches.setdefault(run.trigger, [])
            batch.append(run)
            if len(batch) == self.batch_size:
                self._send(open_batches.pop(run.trigger), busy, next(pauses, 0.0))
        for batch in open_batches.values():
            self._send(batch, busy, next(pauses, 0.0))

    def _busy(self) -> dict[str, str]:
        """{company: node url} of the pending or running jobs, batch jobs included."""
        busy = self.cluster.busy()
        batch_jobs = self.cluster.batch_jobs()
        for slug, job_id in runs.companies_of_jobs(self.engine, batch_jobs).items():
            busy[slug] = batch_jobs[job_id]
        return busy

    def _claim(self, run: Run, busy: dict[str, str]) -> bool:
        """Whether the run is claimed by this command and still to be sent."""
        if not self.cluster.states:  # every node went down during this command
            print(f"error: could not schedule {run.slug}: no reachable node", file=self.cluster.err)
            self.failures += 1
            return False
        if run.slug in busy:
            print(f"skip {run.slug}: already pending or running on {busy[run.slug]}", file=self.out)
            return False
        if not runs.claim(self.engine, run, _now()):
            print(
                f"skip {run.slug}: run {run.job_id} is already claimed (placed before, "
                "or by a concurrent tick)",
                file=self.out,
            )
            return False
        return not (run.retaken and self._reached_before(run))

    def _reached_before(self, run: Run) -> bool:
        """A released claim whose job a node or a crawl session knows after all (a tick died
        after scrapyd took it): record it as placed instead of running it twice."""
        node = self.cluster.holder(run.job_id)
        if node is None and not runs.has_session(self.engine, run):
            return False
        runs.placed(self.engine, [run], node, _now())
        where = node or "a node (it has a crawl session)"
        print(f"skip {run.slug}: run {run.job_id} already reached {where}", file=self.out)
        return True

    def _send(self, batch: list[Run], busy: dict[str, str], pause: float) -> None:
        self.sleep(pause)
        if len(batch) > 1:
            token = uuid.uuid4().hex[:8]
            runs.rename(self.engine, batch, planning.batch_job_id(batch[0].trigger, _now(), token))
        url = self._place(batch)
        for run in batch if url is not None else ():
            busy[run.slug] = url

    def _place(self, batch: list[Run]) -> str | None:
        first = batch[0]
        job_id, slugs = first.job_id, ", ".join(r.slug for r in batch)
        if len(batch) == 1:
            spider, args = first.slug, {"trigger": first.trigger}
        else:
            companies = ",".join(r.slug for r in batch)
            spider, args = BATCH_SPIDER, {"trigger": first.trigger, "companies": companies}
        errors = []
        for state in self.cluster.ranked():
            node = state.node
            try:
                node.schedule(
                    spider,
                    jobid=job_id,
                    priority=max(r.company.priority for r in batch),
                    args=args,
                )
            except NoAnswer as exc:
                # Another node could run it a second time: leave it to reconciliation.
                self.cluster.mark_down(node.url, str(exc))
                runs.uncertain(self.engine, batch, node.url, str(exc), _now())
                self.failures += len(batch)
                print(
                    f"error: {slugs}: {exc}; {job_id} may be queued there, the next tick checks",
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
            runs.placed(self.engine, batch, node.url, _now())
            for run in batch:
                self.placed.append((run, node.url))
                due = f"due {run.due_at:%Y-%m-%d %H:%M}" if run.trigger != "manual" else "now"
                print(
                    f"scheduled {run.slug} ({run.trigger}, {due}) as {job_id} on {node.url}",
                    file=self.out,
                )
            return node.url
        reason = "; ".join(errors) or "no reachable scrapyd node"
        runs.release(self.engine, batch, reason)
        self.failures += len(batch)
        print(f"error: could not schedule {slugs}: {reason}", file=self.cluster.err)
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
    batch_size: int = planning.DEFAULT_BATCH_SIZE,
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
    placer = Placer(engine, cluster, out=out, jitter=jitter, batch_size=batch_size)
    placer.place_all(_by_priority([*due, *retries]))
    return 1 if placer.failures else 0


def daily(
    engine: Engine,
    cluster: Cluster,
    *,
    now: datetime,
    jitter: float = 0.0,
    batch_size: int = planning.DEFAULT_BATCH_SIZE,
    out: TextIO | None = None,
) -> int:
    """Every active company once for today: due time today 00:00 UTC, trigger schedule."""
    if not _reachable(cluster):
        return 1
    active = _active_catalog(cluster.err)
    ids = runs.ensure_companies(engine, active)
    due = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    todo = [Run(c, ids[c.slug], due, 0, "schedule", planning.job_id(c.slug, due)) for c in active]
    placer = Placer(engine, cluster, out=out or sys.stdout, jitter=jitter, batch_size=batch_size)
    placer.place_all(_by_priority(todo))
    return 1 if placer.failures else 0


def crawl(
    engine: Engine,
    nodes: Sequence[Node],
    slugs: Sequence[str],
    *,
    now: datetime,
    batch_size: int = planning.DEFAULT_BATCH_SIZE,
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
    placer = Placer(engine, cluster, out=out or sys.stdout, batch_size=batch_size)
    placer.place_all(todo)
    skipped = len(todo) - len(placer.placed)
    return (1 if skipped else 0), placer.placed
