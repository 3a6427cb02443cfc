"""Email digests: one message per address with every event, and Slack lines alike; sent
to a real SMTP server (aiosmtpd) that asks for a login."""

from __future__ import annotations

from typing import Any

import pytest

from jobcrawler.alerts import mail, slack
from jobcrawler.alerts.webhook import DeliveryFailed
from tests.helpers.alerts import SmtpSink


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


@pytest.mark.e2e
@pytest.mark.filterwarnings("ignore:Requiring AUTH while not requiring TLS")
def test_digest_is_sent_after_login_and_a_refused_login_fails_naming_the_server() -> None:
    message = mail.digest("a@example.com", "jobs@example.com", [event("created", "Rust Dev")])
    with SmtpSink(login=("jobs", "right")) as server:
        settings = mail.SmtpSettings("127.0.0.1", server.port, "jobs", "wrong", "j@x.io", False)
        with pytest.raises(DeliveryFailed, match=f"SMTP 127.0.0.1:{server.port}: .*535"):
            mail.send(settings, [message])
        assert server.messages == []
        with pytest.raises(DeliveryFailed, match="530"):  # no login: the server refuses
            mail.send(
                mail.SmtpSettings("127.0.0.1", server.port, None, None, "j@x.io", False), [message]
            )
        mail.send(
            mail.SmtpSettings("127.0.0.1", server.port, "jobs", "right", "j@x.io", False), [message]
        )
        assert [m["Subject"] for m in server.messages] == [message["Subject"]]
