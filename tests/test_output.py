"""The shared report formatter: tables fit 100 columns, machine formats keep every field."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pytest

from jobcrawler.clitools import Stamped
from jobcrawler.output import WIDTH, Column, render
from jobcrawler.report import COLUMNS as REPORT_COLUMNS
from scheduler.reports import COMPANY_COLUMNS, NEW_COLUMNS, NODE_COLUMNS, STATS_COLUMNS

LONG = "a-company-with-a-remarkably-long-name-that-goes-on-and-on-" * 2
ERROR = "crawl process died: pid 4242 on host worker-17.example.internal\n  and more " * 3


def printed(rows, fmt: str, columns, **options) -> str:
    out = io.StringIO()
    render(rows, fmt, out, columns, **options)
    return out.getvalue()


REPORT_ROWS = [
    {
        "company": LONG,
        "ats": "smartrecruiters",
        "postings": 123456,
        "last_status": "db_unreachable",
        "new": 1200,
        "updated": 30,
        "removed": 4,
        "reopened": 0,
        "error": ERROR,
    },
    {"company": "acme", "ats": "lever", "postings": 3, "last_status": None, "new": None,
     "updated": None, "removed": None, "reopened": None, "error": None},
]  # fmt: skip
NEW_ROWS = [
    {
        "company": LONG,
        "external_id": "x" * 40,
        "title": "Senior Staff Principal Distinguished Engineer, " * 4,
        "url": "https://boards.example.com/" + "very/long/path/" * 10,
        "location": "Berlin, Germany; Paris, France; Remote (EU)" * 2,
        "remote_type": "hybrid",
        "salary_min": 70000,
        "salary_max": 90000,
        "salary_currency": "EUR",
        "salary_period": "year",
        "first_seen_at": datetime(2026, 12, 2, 9, 30, tzinfo=UTC),
    }
]
NODE_ROWS = [
    {"node": "http://" + LONG + ":6800", "health": ERROR, "pending": 1, "running": 2,
     "finished": 300},
]  # fmt: skip
COMPANY_ROWS = [
    {"company": LONG, "schedule": "*/15 8-18 * * mon-fri", "last_crawl": NEW_ROWS[0]["first_seen_at"],
     "last_status": "db_unreachable", "next_due": NEW_ROWS[0]["first_seen_at"], "active": True},
]  # fmt: skip
STATS_ROWS = [
    {"company": LONG, "crawls": 1234, "succeeded": 1200, "success_rate": 0.9724, "new": 123456,
     "updated": 12345, "removed": 1234, "avg_duration_s": 12345.6},
]  # fmt: skip

EVERY_REPORT = [
    (REPORT_ROWS, REPORT_COLUMNS),
    (NEW_ROWS, NEW_COLUMNS),
    (NODE_ROWS, NODE_COLUMNS),
    (COMPANY_ROWS, COMPANY_COLUMNS),
    (STATS_ROWS, STATS_COLUMNS),
]


@pytest.mark.parametrize(("rows", "columns"), EVERY_REPORT)
def test_tables_fit_100_columns(rows, columns) -> None:
    lines = printed(rows, "table", columns).splitlines()
    assert len(lines) == len(rows) + 2
    assert max(len(line) for line in lines) <= WIDTH
    assert all("\n" not in line for line in lines)


def test_long_names_and_errors_are_cut_figures_and_statuses_stay_whole() -> None:
    lines = printed(REPORT_ROWS, "table", REPORT_COLUMNS).splitlines()
    assert lines[0].split() == [
        "company", "ats", "postings", "last", "crawl", "new", "updated", "removed", "reopened",
        "note",
    ]  # fmt: skip
    first = lines[2].split()
    assert first[0].endswith("…") and LONG.startswith(first[0][:-1])
    assert first[1:8] == ["smartrecruiters", "123456", "db_unreachable", "1200", "30", "4", "0"]
    assert first[-1].endswith("…") and lines[2].endswith("crawl pro…")
    assert lines[3].split() == ["acme", "lever", "3", "-", "-", "-", "-", "-", "-"]


def test_a_table_that_fits_is_not_cut() -> None:
    text = printed(REPORT_ROWS[1:], "table", REPORT_COLUMNS)
    assert "…" not in text and text.splitlines()[2].startswith("acme  ")


def test_short_cells_keep_their_width_while_the_longest_shrink() -> None:
    rows = [{**NEW_ROWS[0], "company": "acme"}]
    line = printed(rows, "table", NEW_COLUMNS).splitlines()[2]
    assert "acme " in line and "70,000-90,000 EUR/year" in line and "2026-12-02 09:30" in line


@pytest.mark.parametrize(("rows", "columns"), EVERY_REPORT)
def test_csv_and_jsonl_round_trip(rows, columns) -> None:
    expected = json.loads(printed(rows, "json", columns))
    assert [json.loads(line) for line in printed(rows, "jsonl", columns).splitlines()] == expected
    read = list(csv.DictReader(io.StringIO(printed(rows, "csv", columns))))
    as_text = [{k: "" if v is None else str(v) for k, v in row.items()} for row in expected]
    assert read == as_text
    assert read[0].get("error", ERROR) == ERROR  # nothing cut, newlines kept


def test_empty_reports_are_still_well_formed() -> None:
    assert printed([], "json", STATS_COLUMNS) == "[]\n"
    assert printed([], "jsonl", STATS_COLUMNS) == ""
    assert printed([], "csv", STATS_COLUMNS).splitlines() == [
        ",".join(c.key for c in STATS_COLUMNS)
    ]
    assert printed([], "table", STATS_COLUMNS, empty="no crawls yet") == "no crawls yet\n"
    assert printed([], "table", STATS_COLUMNS) == ""


def test_csv_of_mixed_rows_has_every_key() -> None:
    rows = [{"kind": "node", "node": "n1"}, {"kind": "company", "company": "acme"}]
    read = list(csv.DictReader(io.StringIO(printed(rows, "csv", ()))))
    assert read == [
        {"kind": "node", "node": "n1", "company": ""},
        {"kind": "company", "node": "", "company": "acme"},
    ]


def test_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match="xml"):
        printed([], "xml", [Column("a")])


def test_stamped_lines_start_with_the_utc_time_however_they_are_written() -> None:
    target = io.StringIO()
    stream = Stamped(target, clock=lambda: datetime(2026, 12, 2, 10, 5, 0, tzinfo=UTC))
    stream.write("one\ntw")
    stream.write("o\n\nthree\n")
    print("four", file=stream)
    assert target.getvalue().splitlines() == [
        "2026-12-02T10:05:00Z one",
        "2026-12-02T10:05:00Z two",
        "2026-12-02T10:05:00Z ",
        "2026-12-02T10:05:00Z three",
        "2026-12-02T10:05:00Z four",
    ]
