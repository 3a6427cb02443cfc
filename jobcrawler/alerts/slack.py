"""Slack-compatible webhook messages: `{"text": ...}` POSTed to an incoming-webhook URL
(Slack, Mattermost, Rocket.Chat and Discord's `/slack` endpoints take the same)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from jobcrawler.alerts.webhook import post


def text(payload: dict[str, Any]) -> str:
    """One line per event, in Slack's mrkdwn (`<url|label>` links)."""
    search = payload["search"]["name"]
    if "alert" in payload:
        return f":warning: [{_escape(search)}] {_escape(payload['message'])}"
    posting = payload["posting"]
    title = _escape(posting["title"] or posting["external_id"])
    link = f"<{posting['url']}|{title}>" if posting["url"] else title
    where = ", ".join(p for p in (posting["location"], posting["remote_type"]) if p)
    verb = "Removed" if payload["event"]["kind"] == "removed" else "New"
    place = f" ({_escape(where)})" if where else ""
    return f"{verb} for {_escape(search)}: {link} at {_escape(posting['company_name'])}{place}"


def send(client: httpx.Client, url: str, payload: dict[str, Any]) -> None:
    raw = json.dumps({"text": text(payload)}).encode()
    post(client, url, raw, {"Content-Type": "application/json"})


def _escape(value: str) -> str:
    """Slack's three control characters."""
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
