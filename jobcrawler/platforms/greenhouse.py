"""Greenhouse: boards at `job-boards[.eu].greenhouse.io/{board}`, one API host for all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Entry, Platform, after, board_entry, first

_BOARD_HOSTS = {
    "boards.greenhouse.io",
    "job-boards.greenhouse.io",
    "boards.eu.greenhouse.io",
    "job-boards.eu.greenhouse.io",
}
#: First path words that are Greenhouse's own pages, never a board token.
_RESERVED = {"embed", "v1", "api", "assets", "static", "images", "users", "login"}


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    if host in ("boards-api.greenhouse.io", "api.greenhouse.io"):
        return board_entry("greenhouse", after(segments, "v1", "boards"))
    if host in _BOARD_HOSTS:
        token = query.get("for", [None])[0] or first(segments, _RESERVED)
        return board_entry("greenhouse", token)
    return None


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://job-boards.greenhouse.io/{keys['board']}"


PLATFORM = Platform(
    name="greenhouse",
    label="Greenhouse",
    keys=BoardKeys,
    spider="jobcrawler.spiders.greenhouse:GreenhouseSpider",
    api_base="https://boards-api.greenhouse.io",
    domains=("greenhouse.io",),
    recognize=recognize,
    board_url=board_url,
    example={"board": "stripe"},
    readme_keys="`board`: the board token",
    readme_example="`https://job-boards.greenhouse.io/stripe` → `stripe`",
)
