"""Slack-compatible webhook messages: `{"text": ...}` POSTed to an incoming-webhook URL
(Slack, Mattermost, Rocket.Chat and Discord's `/slack` endpoints take the same)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from jobcrawler.alerts.summary import headline
from jobcrawler.alerts.webhook import post


def text(payload: dict[str, Any]) -> str:
    """One line per event, in Slack's mrkdwn (`<url|label>` links)."""
    search = payload["search"]["name"]
    if "alert" in payload:
        return f":warning: [{_escape(search)}] {_escape(payload['message'])}"
    line = headline(payload)
    title = _escape(line.title)
    link = f"<{line.url}|{title}>" if line.url else title
    place = f" ({_escape(line.where)})" if line.where else ""
    return f"{line.verb} for {_escape(search)}: {link} at {_escape(line.company)}{place}"


def send(client: httpx.Client, url: str, payload: dict[str, Any]) -> None:
    raw = json.dumps({"text": text(payload)}).encode()
    post(client, url, raw, {"Content-Type": "application/json"})


def _escape(value: str) -> str:
    """Slack's three control characters."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
