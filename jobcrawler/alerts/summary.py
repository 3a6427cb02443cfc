"""What an event says in words, shared by the email digest and the Slack message."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Headline:
    verb: str  # New or Removed
    title: str
    company: str
    where: str  # location and remote type, may be empty
    url: str | None


def headline(payload: dict[str, Any]) -> Headline:
    """The headline of a posting event's payload (not a health alert's)."""
    posting = payload["posting"]
    return Headline(
        verb="Removed" if payload["event"]["kind"] == "removed" else "New",
        title=posting["title"] or posting["external_id"],
        company=posting["company_name"],
        where=", ".join(p for p in (posting["location"], posting["remote_type"]) if p),
        url=posting["url"] or posting["apply_url"],
    )
