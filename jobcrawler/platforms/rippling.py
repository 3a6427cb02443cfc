"""Rippling: boards at `ats.rippling.com/{board}/jobs`, one API host for all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Entry, Platform, after, board_entry, first

_RESERVED = {"api", "static", "_next", "assets", "favicon.ico", "en-us", "en-gb"}


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    if host != "ats.rippling.com":
        return None
    api = after(segments, "api", "v2", "board") or after(segments, "api", "v1", "board")
    if api:
        return board_entry("rippling", api)
    # `/{board}/jobs`, also under a locale (`/en-GB/{board}/jobs`)
    rest = segments[1:] if segments and segments[0].lower() in ("en-us", "en-gb") else segments
    return board_entry("rippling", first(rest, _RESERVED))


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://ats.rippling.com/{keys['board']}/jobs"


PLATFORM = Platform(
    name="rippling",
    label="Rippling",
    keys=BoardKeys,
    spider="jobcrawler.spiders.rippling:RipplingSpider",
    api_base="https://ats.rippling.com",
    domains=("ats.rippling.com",),
    recognize=recognize,
    board_url=board_url,
    example={"board": "rippling"},
    readme_keys="`board`: the board name",
    readme_example="`https://ats.rippling.com/rippling/jobs` → `rippling`",
)
