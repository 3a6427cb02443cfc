"""Email digests over SMTP: one message per address and worker pass, with every event due.

Settings (environment): SMTP_HOST (required to send), SMTP_PORT (default 25, or 587 with
STARTTLS), SMTP_USER and SMTP_PASSWORD (login when set), SMTP_FROM (default
jobcrawler@<host name>), SMTP_STARTTLS=1 to upgrade the connection before logging in.
"""

from __future__ import annotations

import os
import smtplib
import socket
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

from jobcrawler.alerts.summary import headline
from jobcrawler.alerts.webhook import DeliveryFailed

TIMEOUT = 30


@dataclass(frozen=True)
class SmtpSettings:
    host: str | None
    port: int
    user: str | None
    password: str | None
    sender: str
    starttls: bool

    @classmethod
    def from_env(cls) -> SmtpSettings:
        starttls = os.environ.get("SMTP_STARTTLS", "").lower() in ("1", "true", "yes")
        return cls(
            host=os.environ.get("SMTP_HOST") or None,
            port=int(os.environ.get("SMTP_PORT") or (587 if starttls else 25)),
            user=os.environ.get("SMTP_USER") or None,
            password=os.environ.get("SMTP_PASSWORD") or None,
            sender=os.environ.get("SMTP_FROM") or f"jobcrawler@{socket.getfqdn()}",
            starttls=starttls,
        )


def digest(address: str, sender: str, payloads: Sequence[dict[str, Any]]) -> EmailMessage:
    """The digest of `payloads` (events of one subscription) for `address`."""
    search = payloads[0]["search"]["name"]
    message = EmailMessage()
    message["From"] = sender
    message["To"] = address
    message["Subject"] = _subject(search, payloads)
    lines = [f"Saved search: {search}", ""]
    for payload in payloads:
        lines += [*_entry(payload), ""]
    message.set_content("\n".join(lines))
    return message


def send(settings: SmtpSettings, messages: Sequence[EmailMessage]) -> None:
    """Send the messages over one connection; DeliveryFailed if the server refuses."""
    if not settings.host:
        raise DeliveryFailed("SMTP_HOST is not set")
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT) as smtp:
            if settings.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if settings.user:
                smtp.login(settings.user, settings.password or "")
            for message in messages:
                smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as exc:
        raise DeliveryFailed(f"SMTP {settings.host}:{settings.port}: {exc}") from None


def _subject(search: str, payloads: Sequence[dict[str, Any]]) -> str:
    if "alert" in payloads[0]:
        return f"jobcrawler: {len(payloads)} crawl health alert(s) ({search})"
    new = sum(p["event"]["kind"] != "removed" for p in payloads)
    gone = len(payloads) - new
    parts = [f"{new} new"] * bool(new) + [f"{gone} removed"] * bool(gone)
    return f"jobcrawler: {' and '.join(parts)} posting(s) for {search}"


def _entry(payload: dict[str, Any]) -> list[str]:
    if "alert" in payload:
        return [f"[{payload['alert']}] {payload['message']}"]
    line = headline(payload)
    place = f" ({line.where})" if line.where else ""
    return [f"{line.verb}: {line.title} at {line.company}{place}", f"  {line.url or ''}"]
