from datetime import UTC, date, datetime, timedelta, timezone

import pytest

from jobcrawler.normalize.dates import is_relative, to_utc

NOW = datetime(2026, 9, 1, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (datetime(2026, 1, 1, 5), datetime(2026, 1, 1, 5, tzinfo=UTC)),
        (
            datetime(2026, 1, 1, 5, tzinfo=timezone(timedelta(hours=2))),
            datetime(2026, 1, 1, 3, tzinfo=UTC),
        ),
        (date(2026, 7, 10), datetime(2026, 7, 10, tzinfo=UTC)),
        (1782214185, datetime(2026, 6, 23, 11, 29, 45, tzinfo=UTC)),
        (1782214185805, datetime(2026, 6, 23, 11, 29, 45, 805000, tzinfo=UTC)),
        (1782214185.5, datetime(2026, 6, 23, 11, 29, 45, 500000, tzinfo=UTC)),
        ("1782214185", datetime(2026, 6, 23, 11, 29, 45, tzinfo=UTC)),
        ("1782214185805", datetime(2026, 6, 23, 11, 29, 45, 805000, tzinfo=UTC)),
        ("2026-08-21T05:34:19-04:00", datetime(2026, 8, 21, 9, 34, 19, tzinfo=UTC)),
        ("2026-04-27T17:14:00.440+00:00", datetime(2026, 4, 27, 17, 14, 0, 440000, tzinfo=UTC)),
        ("2026-09-25T18:18:52.891Z", datetime(2026, 9, 25, 18, 18, 52, 891000, tzinfo=UTC)),
        ("2026-09-18 12:55:59 UTC", datetime(2026, 9, 18, 12, 55, 59, tzinfo=UTC)),
        ("2026-07-10", datetime(2026, 7, 10, tzinfo=UTC)),
        ("Tue, 23 Jun 2026 16:35:08 +0300", datetime(2026, 6, 23, 13, 35, 8, tzinfo=UTC)),
        ("Posted Today", NOW),
        ("Posted Yesterday", NOW - timedelta(days=1)),
        ("Posted 6 Days Ago", NOW - timedelta(days=6)),
        ("Posted 30+ Days Ago", NOW - timedelta(days=30)),
        ("posted 1 day ago", NOW - timedelta(days=1)),
        ("yesterday", NOW - timedelta(days=1)),
        (" today ", NOW),
        ("3 days ago", NOW - timedelta(days=3)),
        ("Posted 5 hours ago", NOW - timedelta(hours=5)),
        ("an hour ago", NOW - timedelta(hours=1)),
        ("2 weeks ago", NOW - timedelta(weeks=2)),
        ("a month ago", NOW - timedelta(days=30)),
    ],
)
def test_to_utc(value, expected):
    result = to_utc(value, now=NOW)
    assert result == expected
    assert result.tzinfo is UTC


@pytest.mark.parametrize(
    "value",
    [None, "", "   ", "garbage", "2026-13-45", True, float("nan"), 1e30, [], "Posted Soon"],
)
def test_to_utc_unparseable(value):
    assert to_utc(value, now=NOW) is None


def test_relative_dates_default_to_current_time():
    before = datetime.now(UTC)
    result = to_utc("Posted Today")
    assert before <= result <= datetime.now(UTC)


@pytest.mark.parametrize(
    ("value", "relative"),
    [
        ("Posted 30+ Days Ago", True),
        ("yesterday", True),
        ("Today", True),
        ("3 days ago", True),
        ("2026-07-10", False),
        ("1782214185", False),
        (1782214185805, False),
        (datetime(2026, 1, 1), False),
        (None, False),
        ("Posted Soon", False),
    ],
)
def test_is_relative(value, relative):
    assert is_relative(value) is relative
