"""Ashby: job boards at `jobs.ashbyhq.com/{board}`, one API host for all."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from jobcrawler.platforms.base import BoardKeys, Entry, Platform, after, first

#: Ashby board names are free text (spaces, dots, capitals), not slugs.
_NAME = re.compile(r"^[^\s/?#<>\"'][^/?#<>\"']*$")


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    if host == "jobs.ashbyhq.com":
        name = first(segments, {"api"})
    elif host == "api.ashbyhq.com":
        name = after(segments, "posting-api", "job-board")
    else:
        return None
    name = (name or "").strip()
    return {"ats": "ashby", "board": name} if _NAME.match(name) else None


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://jobs.ashbyhq.com/{quote(keys['board'])}"


PLATFORM = Platform(
    name="ashby",
    label="Ashby",
    keys=BoardKeys,
    spider="jobcrawler.spiders.ashby:AshbySpider",
    api_base="https://api.ashbyhq.com",
    domains=("ashbyhq.com",),
    recognize=recognize,
    board_url=board_url,
    example={"board": "openai"},
    verifies=False,
    readme_keys="`board`: the job board name",
    readme_example="`https://jobs.ashbyhq.com/openai` → `openai`",
)
