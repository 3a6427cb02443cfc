"""GovernmentJobs.com (NEOGOV): agency job boards `governmentjobs.com/careers/{agency}`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Entry, Platform, after, board_entry

_HOSTS = {"governmentjobs.com", "agency.governmentjobs.com"}
#: Words after `/careers/` that are the site's own pages, not an agency.
_NOT_AGENCIES = {"home", "search", "jobs", "login", "account"}


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    """`/careers/{agency}[/jobs/{id}/...]`, and any URL naming `?agency=` (the RSS feed
    `/SearchEngine/JobsFeed`, the listing fragment `/careers/home/index`, widget scripts),
    and the old `agency.governmentjobs.com/{agency}/...`."""
    if host not in _HOSTS:
        return None
    if agency := (query.get("agency") or [None])[0]:
        return board_entry("neogov", agency.lower())
    if host == "agency.governmentjobs.com":
        return board_entry("neogov", segments[0].lower() if segments else None)
    agency = after(segments, "careers")
    if agency is None or agency.lower() in _NOT_AGENCIES:
        return None
    return board_entry("neogov", agency.lower())


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://www.governmentjobs.com/careers/{keys['board']}"


PLATFORM = Platform(
    name="neogov",
    label="GovernmentJobs (NEOGOV)",
    keys=BoardKeys,
    spider="jobcrawler.spiders.neogov:NeogovSpider",
    api_base="https://www.governmentjobs.com",
    domains=("governmentjobs.com",),
    recognize=recognize,
    board_url=board_url,
    verifies=False,
    example={"board": "lacounty"},
    readme_keys="`board`: the agency (schooljobs.com agencies: `base_url`)",
    readme_example="`https://www.governmentjobs.com/careers/lacounty` → `lacounty`",
)
