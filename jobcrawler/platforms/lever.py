"""Lever: sites at `jobs[.eu].lever.co/{board}`; EU sites use the EU API origin."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Entry, Platform, after, board_entry

EU_API = "https://api.eu.lever.co"
_EMBED = re.compile(r"leverJobsOptions\s*=\s*\{[^}]*?accountName\s*:\s*[\"']([^\"']+)")


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    match = re.fullmatch(r"(jobs|api)(\.eu)?\.lever\.co", host)
    if not match:
        return None
    site = segments[0] if match[1] == "jobs" and segments else after(segments, "v0", "postings")
    return board_entry("lever", site, **({"base_url": EU_API} if match[2] else {}))


def board_url(keys: Mapping[str, Any]) -> str:
    eu = ".eu" if keys.get("base_url") == EU_API else ""
    return f"https://jobs{eu}.lever.co/{keys['board']}"


def embeds(text: str) -> Iterable[Entry]:
    """Lever's embed script names the site in `leverJobsOptions = {accountName: ...}`."""
    return [{"ats": "lever", "board": match[1]} for match in _EMBED.finditer(text)]


PLATFORM = Platform(
    name="lever",
    label="Lever",
    keys=BoardKeys,
    spider="jobcrawler.spiders.lever:LeverSpider",
    api_base="https://api.lever.co",
    domains=("lever.co",),
    recognize=recognize,
    board_url=board_url,
    embeds=embeds,
    example={"board": "palantir"},
    readme_keys="`board`: the site name",
    readme_example=(
        "`https://jobs.lever.co/palantir` → `palantir` (EU: `base_url: https://api.eu.lever.co`)"
    ),
)
