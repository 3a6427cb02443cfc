"""Paylocity Recruiting: boards `recruiting.paylocity.com/Recruiting/Jobs/All/{company-guid}`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import (
    BoardKeys,
    Entry,
    Platform,
    board_entry,
    host_label,
    url_parts,
)

_GUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)
#: Paths that name a board: the job list (by GUID, or an old board's number) and the feed.
_BOARD_PATHS = (
    ("recruiting", "jobs", "all"),
    ("recruiting", "jobs", "list"),
    ("recruiting", "v2", "api", "feed", "jobs"),
    ("recruiting", "api", "feed", "jobs"),
)


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    if host != "recruiting.paylocity.com":
        return None
    words = [s.lower() for s in segments]
    for path in _BOARD_PATHS:
        if tuple(words[: len(path)]) == path and len(segments) > len(path):
            board = segments[len(path)]
            if _GUID.match(board) or (path[-1] == "list" and board.isdigit()):
                return board_entry("paylocity", board.lower())
    return None


def default_name(entry: Mapping[str, str], url: str) -> str | None:
    """The company words after the GUID in a list URL (`/All/{guid}/Austin-Hose`): the
    board itself is a GUID, no name."""
    parts = url_parts(url) if url else None
    segments = parts[1] if parts else []
    board = entry.get("board", "").lower()
    for at, segment in enumerate(segments[:-1]):
        if segment.lower() == board:
            return segments[at + 1].replace("-", " ")
    return host_label(url) if url and parts and parts[0] != "recruiting.paylocity.com" else None


def board_url(keys: Mapping[str, Any]) -> str:
    kind = "List" if str(keys["board"]).isdigit() else "All"
    return f"https://recruiting.paylocity.com/Recruiting/Jobs/{kind}/{keys['board']}"


PLATFORM = Platform(
    name="paylocity",
    label="Paylocity",
    keys=BoardKeys,
    spider="jobcrawler.spiders.paylocity:PaylocitySpider",
    api_base="https://recruiting.paylocity.com",
    domains=("paylocity.com",),
    recognize=recognize,
    board_url=board_url,
    default_name=default_name,
    example={"board": "0a932b3f-65a0-4207-b5be-70d84a78ecaa"},
    readme_keys="`board`: the company GUID",
    readme_example="`https://recruiting.paylocity.com/Recruiting/Jobs/All/{guid}/Acme` → `{guid}`",
)
