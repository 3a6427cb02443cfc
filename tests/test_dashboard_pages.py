"""The dashboard's rendering helpers: times, amounts, and which links may be followed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from jobcrawler.dashboard.pages import ago, render, salary, web_url, when

NOW = datetime(2026, 12, 2, 12, 30, tzinfo=UTC)


def test_times_are_utc_and_coarse() -> None:
    assert when(datetime(2026, 12, 2, 13, 5, tzinfo=UTC).astimezone()) == "2026-12-02 13:05 UTC"
    assert when(None) == "" and ago(None) == ""
    assert ago(NOW - timedelta(seconds=40), NOW) == "40 s ago"
    assert ago(NOW - timedelta(minutes=12, seconds=5), NOW) == "12 min ago"
    assert ago(NOW - timedelta(days=3, hours=2), NOW) == "3 d ago"
    assert ago(NOW + timedelta(minutes=1), NOW) == "0 s ago"  # clock skew: never negative


def test_salary_text() -> None:
    assert salary(60000, 80000.5, "EUR") == "60,000–80,000 EUR"
    assert salary(None, 90000, None) == "90,000"
    assert salary(None, None, "EUR") == ""


def test_only_web_links_are_followed() -> None:
    assert web_url("https://jobs.example.com/1") == "https://jobs.example.com/1"
    for bad in ("javascript:alert(1)", "JavaScript:alert(1)", "data:text/html,x", None, "",
                "http://[::1"):  # fmt: skip
        assert web_url(bad) is None, bad


def test_templates_escape_what_they_show() -> None:
    html = render("missing.html", now=NOW, message="<img src=x onerror=alert(1)>")
    assert "&lt;img src=x onerror=alert(1)&gt;" in html and "<img" not in html
