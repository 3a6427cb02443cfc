"""`python -m jobcrawler alerts`: one pass (cron, every minute) or `--loop` (a daemon).

A pass: (1) sync the YAML saved searches (JOBCRAWLER_SEARCHES_DIR) into the database;
(2) match what closed crawl sessions wrote against every subscription, into deliveries;
(3) send the due deliveries: webhooks and Slack one request per event, email one digest
per address. It runs beside the crawls, never in them: a crawl only writes its events, so
a slow or dead subscriber cannot slow it, and what a subscriber misses while down waits
in the deliveries table (retried for 24 hours).

Several workers may run at once (an overlapping cron run, a second host): matching is
idempotent and each delivery is claimed by one worker before it is sent.
"""

from __future__ import annotations

import logging
import time
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import httpx
from sqlalchemy import Engine, select

from jobcrawler.alerts import deliveries, health, mail, matching, records, slack, webhook
from jobcrawler.alerts.spec import load_dir
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.models import SavedSearch, Subscription

logger = logging.getLogger(__name__)

searches = SavedSearch.__table__
subscriptions = Subscription.__table__
HTTP_TIMEOUT = 10.0
USER_AGENT = "jobcrawler-alerts/1"


@dataclass
class PassResult:
    sent: int = 0
    retried: int = 0
    errors: list[str] = field(default_factory=list)


def run_pass(
    engine: Engine,
    *,
    searches_dir: Path | None,
    smtp: mail.SmtpSettings,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    worker: str | None = None,
) -> PassResult:
    """One pass; `now` is the clock (tests move it to skip the back-off waits)."""
    result = PassResult()
    if searches_dir is not None:
        loaded = load_dir(searches_dir)
        records.sync_files(engine, loaded, now())
        result.errors += loaded.errors
    match_all(engine, now())
    with httpx.Client(timeout=HTTP_TIMEOUT, headers={"User-Agent": USER_AGENT}) as client:
        send_due(engine, client, smtp, worker or deliveries.worker_name(), now, result)
    return result


def match_all(engine: Engine, now: datetime) -> None:
    """Pass 1: every subscription's new events (or health alerts) into deliveries, a
    window at a time, each in its own short transaction, until it is caught up."""
    with engine.connect() as conn:
        ids = list(conn.execute(select(subscriptions.c.id).order_by(subscriptions.c.id)).scalars())
    for subscription_id in ids:
        while _match_window(engine, subscription_id, now):
            pass


def _match_window(engine: Engine, subscription_id: int, now: datetime) -> bool:
    """One window of the subscription's feed; whether more is ready at once."""
    with write_transaction(engine) as conn:
        row = conn.execute(
            select(subscriptions).where(subscriptions.c.id == subscription_id)
        ).first()
        if row is None:  # deleted meanwhile
            return False
        search = conn.execute(select(searches).where(searches.c.id == row.search_id)).one()
        follow = health.match if search.kind == "health" else matching.match
        return follow(conn, row, search, now)


def send_due(
    engine: Engine,
    client: httpx.Client,
    smtp: mail.SmtpSettings,
    worker: str,
    now: Callable[[], datetime],
    result: PassResult,
) -> None:
    """Pass 2: claim due deliveries batch by batch and send them, each recorded as soon as
    it is sent: a worker killed mid-batch sends again only the one it had in flight (the
    receiver deduplicates it on the delivery id), not the batch (one write per event costs
    a few ms, a POST as much or more)."""
    while batch := deliveries.claim(engine, worker, now()):
        emails: dict[int, list[deliveries.Due]] = defaultdict(list)
        failed: dict[str, datetime] = {}  # receivers that failed in this batch: retry at
        for due in batch:
            if due.channel == "email":
                emails[due.subscription_id].append(due)
            elif due.target in failed:
                deliveries.postpone(engine, [due.id], worker, failed[due.target])
            elif not _attempt(engine, [due], worker, now, result, lambda d=due: _post(client, d)):
                failed[due.target] = now() + deliveries.retry_delay(due.attempts + 1)
        for group in emails.values():
            message = mail.digest(group[0].target, smtp.sender, [d.payload for d in group])
            _attempt(engine, group, worker, now, result, lambda m=message: mail.send(smtp, [m]))


def _post(client: httpx.Client, due: deliveries.Due) -> None:
    if due.channel == "webhook":
        webhook.send(client, due.target, due.secret or "", due.id, due.payload)
    else:
        slack.send(client, due.target, due.payload)


def _attempt(
    engine: Engine,
    sent: list[deliveries.Due],
    worker: str,
    now: Callable[[], datetime],
    result: PassResult,
    send: Callable[[], None],
) -> bool:
    """Send and record the outcome at once (a failure with its error); whether it was
    delivered."""
    channel, target = sent[0].channel, sent[0].target
    try:
        send()
    except webhook.DeliveryFailed as exc:
        deliveries.record(engine, [d.id for d in sent], worker, now(), str(exc))
        result.retried += len(sent)
        logger.warning("Delivery by %s to %s failed: %s", channel, target, exc)
        return False
    deliveries.record(engine, [d.id for d in sent], worker, now(), None)
    result.sent += len(sent)
    logger.debug("Delivered %d event(s) by %s to %s", len(sent), channel, target)
    return True


def loop(engine: Engine, interval: float, **options: object) -> None:
    """Passes every `interval` seconds until interrupted; a failed pass is logged, not fatal."""
    while True:
        started = time.monotonic()
        try:
            result = run_pass(engine, **options)  # type: ignore[arg-type]
            for error in result.errors:
                logger.error("saved searches: %s", error)
        except Exception:
            logger.exception("Alerts pass failed")
        time.sleep(max(0.0, interval - (time.monotonic() - started)))
