"""jobcrawler/outcome.py: a crawler's outcome, the exit status of several, their summary."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy import Spider
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from jobcrawler.outcome import Outcome, crawl_outcome, exit_code, summary_table


def ended(stats: dict[str, Any], record: bool = True):
    """A crawler whose crawl ended with these stats."""
    crawler = get_crawler(Spider, {"JOBCRAWLER_RECORD": record})
    crawler.stats = MemoryStatsCollector(crawler)
    for key, value in stats.items():
        crawler.stats.set_value(key, value)
    return crawler


def test_outcome_reads_the_session_stats():
    crawler = ended(
        {
            "finish_reason": "finished",
            "jobcrawler/session/status": "partial",
            "jobcrawler/session/error": "page 3 failed",
            "jobcrawler/session/new": 7,
            "jobcrawler/session/updated": 2,
            "jobcrawler/session/removed": 0,
        }
    )
    assert crawl_outcome(crawler, "acme") == Outcome("acme", "partial", 7, 2, 0, "page 3 failed")


def test_a_recorded_crawl_without_a_status_failed():
    outcome = crawl_outcome(ended({"finish_reason": "finished"}), "acme")
    assert outcome.status == "failed" and "no session outcome recorded" in outcome.error


def test_a_crawl_that_never_started_failed():
    crawler = get_crawler(Spider, {"JOBCRAWLER_RECORD": True})
    assert crawl_outcome(crawler, "acme").status == "failed"
    raised = crawl_outcome(crawler, "acme", "could not run: ImportError()")
    assert raised.error == "could not run: ImportError()"


@pytest.mark.parametrize(("reason", "status"), [("finished", "succeeded"), ("shutdown", "failed")])
def test_an_unrecorded_crawl_is_judged_by_how_it_ended(reason, status):
    assert crawl_outcome(ended({"finish_reason": reason}, record=False), "x").status == status


@pytest.mark.parametrize(
    ("statuses", "code"),
    [
        ([], 0),
        (["succeeded", "succeeded"], 0),
        (["succeeded", "partial"], 3),
        (["partial", "refused"], 4),
        (["refused", "failed", "partial"], 1),
        (["failed", "db_unreachable", "succeeded"], 5),
    ],
)
def test_exit_code_is_the_worst_outcome(statuses, code):
    assert exit_code(Outcome(str(i), s) for i, s in enumerate(statuses)) == code


def test_summary_puts_problems_last_on_one_line_each():
    text = summary_table(
        [
            Outcome("zeta", "failed", error="HTTP 500\n  at the board"),
            Outcome("alpha", "succeeded", new=12, updated=3, removed=1),
            Outcome("mid", "partial", new=1),
        ]
    )
    lines = text.splitlines()
    assert lines[1].split() == ["alpha", "succeeded", "12", "3", "1"]
    assert lines[2].split() == ["mid", "partial", "1", "0", "0"]
    assert lines[3].split() == [
        "zeta",
        "failed",
        "0",
        "0",
        "0",
        "HTTP",
        "500",
        "at",
        "the",
        "board",
    ]
    assert lines[4] == "3 companies: 1 succeeded, 1 partial, 1 failed"
