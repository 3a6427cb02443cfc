"""Pure scheduling decisions: due times, job ids, retry backoff, node choice, spreading.

No I/O here, so every rule is tested with plain values and a fixed `now`.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from croniter import croniter

DEFAULT_CATCH_UP = timedelta(hours=6)
DEFAULT_RETRY_DELAYS = (timedelta(minutes=5), timedelta(minutes=10), timedelta(minutes=20))
#: Companies per scrapyd job: a few minutes of crawling for small boards (1: a job each).
DEFAULT_BATCH_SIZE = 25
MAX_SLUG_IN_JOB_ID = 70  # job ids are stored in String(100) columns, suffixes included
_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*$")
_RETRY_SUFFIX = re.compile(r"-r\d+$")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}


def parse_duration(text: str, default_unit: str = "h") -> timedelta:
    """ "90s", "30m", "6h", "2d"; a bare number is in `default_unit`."""
    match = _DURATION.match(text)
    if not match:
        raise ValueError(f"invalid duration {text!r} (expected e.g. 90s, 30m, 6h, 2d)")
    number, unit = float(match[1]), match[2] or default_unit
    return timedelta(**{_UNITS[unit]: number})


def parse_retry_delays(text: str) -> tuple[timedelta, ...]:
    """Comma-separated delays in minutes (or with a unit): one per allowed retry."""
    return tuple(parse_duration(part, "m") for part in text.split(",") if part.strip())


def last_due(schedule: str, now: datetime) -> datetime:
    """The most recent time ≤ now that the cron `schedule` (UTC) fires."""
    # croniter's get_prev is strictly before its start; cron has minute resolution.
    start = now.astimezone(UTC).replace(second=0, microsecond=0) + timedelta(seconds=1)
    return croniter(schedule, start).get_prev(datetime).astimezone(UTC)


def next_due(schedule: str, now: datetime) -> datetime:
    """The first time after now that the cron `schedule` (UTC) fires."""
    return croniter(schedule, now.astimezone(UTC)).get_next(datetime).astimezone(UTC)


def due_time(
    schedule: str,
    now: datetime,
    last_scheduled: datetime | None,
    catch_up: timedelta = DEFAULT_CATCH_UP,
) -> datetime | None:
    """The due time to schedule now, or None.

    That is the schedule's most recent due time, unless it was already scheduled or is older
    than `catch_up` (after downtime only due times within the window run, once each company).
    """
    due = last_due(schedule, now)
    if last_scheduled is not None and due <= last_scheduled:
        return None
    if now - due > catch_up:
        return None
    return due


def job_id(slug: str, due: datetime, trigger: str = "schedule") -> str:
    """`{slug}-{due:%Y%m%dT%H%M}`; manual runs are not on a grid, so theirs carry seconds."""
    stem = slug[:MAX_SLUG_IN_JOB_ID]
    if trigger == "manual":
        return f"{stem}-manual-{due:%Y%m%dT%H%M%S}"
    return f"{stem}-{due:%Y%m%dT%H%M}"


def batch_job_id(trigger: str, now: datetime, token: str) -> str:
    """`batch-{trigger}-{now:%Y%m%dT%H%M%S}-{token}`: the job id of many companies' runs.

    Batches are formed by whichever tick claims the runs, so the id is not derived from a
    due time; `token` (random) keeps two ticks of the same second apart."""
    return f"batch-{trigger}-{now:%Y%m%dT%H%M%S}-{token}"


def parse_batch_size(text: str) -> int:
    """A positive whole number of companies per job."""
    size = int(text)
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    return size


def retry_job_id(failed_job_id: str, attempt: int) -> str:
    """The failed run's job id with the attempt suffix: `acme-20261122T0700-r2`."""
    return f"{_RETRY_SUFFIX.sub('', failed_job_id)}-r{attempt}"


def retry_delay(attempt: int, delays: Sequence[timedelta]) -> timedelta | None:
    """Wait before retrying a failed run of `attempt` (0 = the first try); None: no more."""
    return delays[attempt] if 0 <= attempt < len(delays) else None


def retry_ready(
    failed_at: datetime, attempt: int, delays: Sequence[timedelta], now: datetime
) -> bool:
    """Whether the run that failed at `failed_at` may be retried now."""
    delay = retry_delay(attempt, delays)
    return delay is not None and now >= failed_at + delay


@dataclass
class NodeLoad:
    """A reachable node's queue: pending + running jobs against its capacity."""

    url: str
    load: int
    capacity: int

    @property
    def ratio(self) -> float:
        return self.load / self.capacity


def rank_nodes(loads: Sequence[NodeLoad]) -> list[NodeLoad]:
    """Least loaded first (relative to capacity), then fewest jobs; ties keep config order."""
    order = {id(n): i for i, n in enumerate(loads)}
    return sorted(loads, key=lambda n: (n.ratio, n.load, order[id(n)]))


def spread(count: int, jitter: float, rng: random.Random | None = None) -> list[float]:
    """Seconds to sleep before each of `count` schedule calls; they add up to ≤ jitter.

    Each call waits a random 0..jitter/count, so a tick never takes more than `jitter`
    seconds extra, however many companies are due.
    """
    if count <= 0 or jitter <= 0:
        return [0.0] * max(count, 0)
    rng = rng or random.Random()
    return [rng.uniform(0, jitter / count) for _ in range(count)]
