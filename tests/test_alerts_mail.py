"""Email digests: one message per address with every event, and Slack lines alike."""

from __future__ import annotations

from typing import Any

from jobcrawler.alerts import mail, slack


def event(kind: str, title: str) -> dict[str, Any]:
    posting = {
        "external_id": "1", "title": title, "url": "https://jobs.example.com/1",
        "apply_url": None, "location": "Berlin", "remote_type": "hybrid",
        "company": "acme", "company_name": "Acme <Inc>",
    }  # fmt: skip
    return {"search": {"id": 1, "name": "rust"}, "event": {"kind": kind}, "posting": posting}


def test_digest_lists_every_event() -> None:
    message = mail.digest(
        "a@example.com",
        "jobs@example.com",
        [event("created", "Rust Dev"), event("removed", "Chef")],
    )
    assert message["Subject"] == "jobcrawler: 1 new and 1 removed posting(s) for rust"
    body = message.get_content()
    assert "New: Rust Dev at Acme <Inc> (Berlin, hybrid)" in body
    assert "Removed: Chef at Acme <Inc>" in body and "https://jobs.example.com/1" in body


def test_health_digest_and_slack_text() -> None:
    alert = {"search": {"id": 2, "name": "ops"}, "alert": "failing", "message": "acme: 3 crawls"}
    assert mail.digest("o@x.io", "j@x.io", [alert])["Subject"].endswith("alert(s) (ops)")
    assert slack.text(alert) == ":warning: [ops] acme: 3 crawls"
    assert slack.text(event("created", "Rust <Dev>")) == (
        "New for rust: <https://jobs.example.com/1|Rust &lt;Dev&gt;> at Acme &lt;Inc&gt;"
        " (Berlin, hybrid)"
    )
