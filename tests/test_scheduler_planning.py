"""The scheduler's pure decisions: due times, job ids, retry backoff, node choice, spreading."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from scheduler import planning
from scheduler.planning import NodeLoad
from scheduler.scrapyd import Config


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


DAILY_7 = "0 7 * * *"


@pytest.mark.parametrize(
    ("schedule", "now", "expected"),
    [
        (DAILY_7, "2026-11-22 07:00:00", "2026-11-22 07:00"),  # exactly on time counts
        (DAILY_7, "2026-11-22 07:00:59.9", "2026-11-22 07:00"),
        (DAILY_7, "2026-11-22 06:59:59", "2026-11-21 07:00"),
        ("*/5 * * * *", "2026-11-22 07:03:20", "2026-11-22 07:00"),
        ("* * * * *", "2026-11-22 07:03:20", "2026-11-22 07:03"),
        ("30 6 * * 1", "2026-11-22 12:00:00", "2026-11-16 06:30"),  # Sunday -> last Monday
    ],
)
def test_last_due(schedule: str, now: str, expected: str) -> None:
    assert planning.last_due(schedule, at(now)) == at(expected)


def test_next_due() -> None:
    assert planning.next_due(DAILY_7, at("2026-11-22 07:00:00")) == at("2026-11-23 07:00")
    assert planning.next_due(DAILY_7, at("2026-11-22 06:59:00")) == at("2026-11-22 07:00")


def test_never_scheduled_company_is_due_at_its_most_recent_due_time() -> None:
    assert planning.due_time(DAILY_7, at("2026-11-22 07:04"), None) == at("2026-11-22 07:00")


def test_just_scheduled_is_not_due_again_until_the_next_due_time() -> None:
    last = at("2026-11-22 07:00")
    assert planning.due_time(DAILY_7, at("2026-11-22 07:04"), last) is None
    assert planning.due_time(DAILY_7, at("2026-11-23 06:59"), last) is None
    assert planning.due_time(DAILY_7, at("2026-11-23 07:00"), last) == at("2026-11-23 07:00")


def test_catch_up_window_skips_due_times_missed_too_long_ago() -> None:
    last = at("2026-11-20 07:00")  # the scheduler was down for two days
    six_hours = timedelta(hours=6)
    assert planning.due_time(DAILY_7, at("2026-11-22 12:59"), last, six_hours) == at(
        "2026-11-22 07:00"
    )
    assert planning.due_time(DAILY_7, at("2026-11-22 13:01"), last, six_hours) is None
    assert planning.due_time(DAILY_7, at("2026-11-22 13:01"), None, six_hours) is None
    # only the most recent due time ever runs: no flood of every missed one
    wide = timedelta(days=3)
    assert planning.due_time(DAILY_7, at("2026-11-22 13:01"), last, wide) == at("2026-11-22 07:00")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("6h", timedelta(hours=6)),
        ("30m", timedelta(minutes=30)),
        ("90s", timedelta(seconds=90)),
        ("2d", timedelta(days=2)),
        ("1.5", timedelta(hours=1.5)),
    ],
)
def test_parse_duration(text: str, expected: timedelta) -> None:
    assert planning.parse_duration(text) == expected


@pytest.mark.parametrize("text", ["", "6x", "-1h", "h"])
def test_parse_duration_rejects(text: str) -> None:
    with pytest.raises(ValueError, match="invalid duration"):
        planning.parse_duration(text)


def test_parse_retry_delays_are_minutes_by_default() -> None:
    assert planning.parse_retry_delays("5,10,20") == planning.DEFAULT_RETRY_DELAYS
    assert planning.parse_retry_delays("0,0,0") == (timedelta(0),) * 3
    assert planning.parse_retry_delays("30s, 1h") == (timedelta(seconds=30), timedelta(hours=1))
    assert planning.parse_retry_delays("") == ()


def test_job_ids() -> None:
    due = at("2026-11-22 07:00")
    assert planning.job_id("acme", due) == "acme-20261122T0700"
    assert planning.job_id("acme", at("2026-11-22 07:00:42"), "manual") == (
        "acme-manual-20261122T070042"
    )
    assert planning.retry_job_id("acme-20261122T0700", 1) == "acme-20261122T0700-r1"
    assert planning.retry_job_id("acme-20261122T0700-r1", 2) == "acme-20261122T0700-r2"
    assert len(planning.job_id("x" * 200, due, "manual")) <= 100


def test_retry_backoff_is_5_10_20_minutes_then_stops() -> None:
    delays = planning.DEFAULT_RETRY_DELAYS
    assert [planning.retry_delay(n, delays) for n in range(4)] == [
        timedelta(minutes=5),
        timedelta(minutes=10),
        timedelta(minutes=20),
        None,
    ]
    failed = at("2026-11-22 07:01")
    assert not planning.retry_ready(failed, 0, delays, failed + timedelta(minutes=4, seconds=59))
    assert planning.retry_ready(failed, 0, delays, failed + timedelta(minutes=5))
    assert not planning.retry_ready(failed, 1, delays, failed + timedelta(minutes=9))
    assert planning.retry_ready(failed, 1, delays, failed + timedelta(minutes=10))
    assert not planning.retry_ready(failed, 2, delays, failed + timedelta(minutes=19))
    assert planning.retry_ready(failed, 2, delays, failed + timedelta(minutes=20))
    # the third retry (attempt 3) failed too: no fourth, however long we wait
    assert not planning.retry_ready(failed, 3, delays, failed + timedelta(days=1))


def test_least_loaded_node_relative_to_capacity() -> None:
    a, b, c = NodeLoad("a", 3, 4), NodeLoad("b", 1, 4), NodeLoad("c", 2, 8)
    assert [n.url for n in planning.rank_nodes([a, b, c])] == ["b", "c", "a"]
    # equal ratio: fewer jobs first; then configuration order
    d, e, f = NodeLoad("d", 2, 4), NodeLoad("e", 1, 2), NodeLoad("f", 1, 2)
    assert [n.url for n in planning.rank_nodes([d, e, f])] == ["e", "f", "d"]


def test_spreading_twenty_runs_over_two_equal_nodes_alternates() -> None:
    nodes = [NodeLoad("n1", 0, 4), NodeLoad("n2", 0, 4)]
    chosen = []
    for _ in range(20):
        best = planning.rank_nodes(nodes)[0]
        best.load += 1
        chosen.append(best.url)
    assert chosen.count("n1") == chosen.count("n2") == 10


def test_spread_sleeps_add_up_to_at_most_the_jitter() -> None:
    rng = random.Random(7)
    pauses = planning.spread(20, 30, rng)
    assert len(pauses) == 20
    assert all(0 <= p <= 1.5 for p in pauses)
    assert 0 < sum(pauses) <= 30
    assert planning.spread(3, 0) == [0.0, 0.0, 0.0]
    assert planning.spread(0, 30) == []


def test_config_from_env_strips_slashes_and_spreads_capacity() -> None:
    config = Config.from_env(
        {
            "SCRAPYD_URLS": "http://a:6800/, http://b:6800//",
            "SCRAPYD_USERNAME": "u",
            "SCRAPYD_PASSWORD": "p",
            "SCRAPYD_TIMEOUT": "2.5",
        }
    )
    assert config.urls == ("http://a:6800", "http://b:6800")
    assert config.capacities == (4, 4)
    assert config.auth() == ("u", "p")
    assert config.timeout == 2.5
    nodes = config.nodes()
    assert [n.url for n in nodes] == ["http://a:6800", "http://b:6800"]
    assert Config.from_env(
        {"SCRAPYD_URLS": "http://a,http://b", "SCRAPYD_CAPACITY": "2,8"}
    ).capacities == (2, 8)
    with pytest.raises(ValueError, match="SCRAPYD_CAPACITY"):
        Config.from_env({"SCRAPYD_URLS": "http://a,http://b", "SCRAPYD_CAPACITY": "2,8,1"})
    assert Config.from_env({}).urls == ("http://localhost:6800",)


def test_batch_job_id_and_size() -> None:
    job = planning.batch_job_id("retry", at("2026-11-22 07:00:05"), "ab12cd34")
    assert job == "batch-retry-20261122T070005-ab12cd34"
    assert len(planning.retry_job_id(job, 3)) <= 100  # fits schedule_runs.job_id
    assert planning.parse_batch_size("1") == 1 and planning.parse_batch_size("40") == 40
    with pytest.raises(ValueError, match="at least 1"):
        planning.parse_batch_size("0")
    with pytest.raises(ValueError):
        planning.parse_batch_size("many")
