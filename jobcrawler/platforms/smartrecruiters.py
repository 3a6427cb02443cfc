"""SmartRecruiters: companies at `jobs.smartrecruiters.com/{board}`, one API host for all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Entry, Platform, after, board_entry, first

_RESERVED = {"oneclick-ui", "api", "sr-jobs", "ni", "app", "static"}


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    if host == "api.smartrecruiters.com":
        return board_entry("smartrecruiters", after(segments, "v1", "companies"))
    if host in ("jobs.smartrecruiters.com", "careers.smartrecruiters.com"):
        company = after(segments, "oneclick-ui", "company") or first(segments, _RESERVED)
        return board_entry("smartrecruiters", company)
    return None


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://jobs.smartrecruiters.com/{keys['board']}"


PLATFORM = Platform(
    name="smartrecruiters",
    label="SmartRecruiters",
    keys=BoardKeys,
    spider="jobcrawler.spiders.smartrecruiters:SmartRecruitersSpider",
    api_base="https://api.smartrecruiters.com",
    domains=("smartrecruiters.com",),
    recognize=recognize,
    board_url=board_url,
    example={"board": "Ubisoft2"},
    readme_keys="`board`: the company identifier",
    readme_example="`https://jobs.smartrecruiters.com/Ubisoft2` → `Ubisoft2`",
)
