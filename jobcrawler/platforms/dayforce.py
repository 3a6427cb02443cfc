"""Dayforce (Ceridian): candidate portals `jobs.dayforcehcm.com/{culture}/{board}/{job_board}`,
`board` being the client namespace."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import Field

from jobcrawler.platforms.base import TOKEN, BoardKeys, Entry, Platform

DEFAULT_JOB_BOARD = "CANDIDATEPORTAL"
DEFAULT_CULTURE = "en-US"
_CULTURE = re.compile(r"^[a-z]{2}(?:-[A-Za-z]{2,4})?$")
_NOT_NAMESPACES = {"api", "_next", "static", "assets", "favicon.ico"}


class DayforceKeys(BoardKeys):
    """`board`: the client namespace; `job_board`: the board code (`CANDIDATEPORTAL`
    unless the company has several); `culture`: the portal language (`en-US`)."""

    job_board: str = Field(default=DEFAULT_JOB_BOARD, pattern=TOKEN.pattern)
    culture: str = Field(default=DEFAULT_CULTURE, pattern=_CULTURE.pattern)


def _entry(namespace: str | None, job_board: str | None, culture: str | None) -> Entry | None:
    if not namespace or not TOKEN.match(namespace) or namespace.lower() in _NOT_NAMESPACES:
        return None
    entry = {"ats": "dayforce", "board": namespace}
    if job_board and TOKEN.match(job_board) and job_board.upper() != DEFAULT_JOB_BOARD:
        entry["job_board"] = job_board
    if culture and culture.lower() != DEFAULT_CULTURE.lower():
        entry["culture"] = culture
    return entry


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    """`/{culture}/{namespace}/{job_board}[/jobs/{id}]`, the same without the culture,
    the search API `/api/geo/{namespace}/...`, and the legacy
    `{pod}.dayforcehcm.com/CandidatePortal/{culture}/{namespace}[/Site/{job_board}]`."""
    if not host.endswith("dayforcehcm.com"):
        return None
    lower = [s.lower() for s in segments]
    if host == "jobs.dayforcehcm.com":
        if lower[:2] == ["api", "geo"] and len(segments) > 2:
            return _entry(segments[2], None, None)
        culture = segments[0] if segments and _CULTURE.match(segments[0]) else None
        rest = segments[1:] if culture else segments
        if rest[:1] and rest[0].lower() not in _NOT_NAMESPACES:
            return _entry(rest[0], rest[1] if len(rest) > 1 else None, culture)
        return None
    if lower[:1] == ["candidateportal"] and len(segments) > 2:
        site = segments[4] if lower[3:4] == ["site"] and len(segments) > 4 else None
        return _entry(segments[2], site, segments[1])
    return None


def board_url(keys: Mapping[str, Any]) -> str:
    culture = keys.get("culture") or DEFAULT_CULTURE
    job_board = keys.get("job_board") or DEFAULT_JOB_BOARD
    return f"https://jobs.dayforcehcm.com/{culture}/{keys['board']}/{job_board}"


PLATFORM = Platform(
    name="dayforce",
    label="Dayforce",
    keys=DayforceKeys,
    spider="jobcrawler.spiders.dayforce:DayforceSpider",
    api_base="https://jobs.dayforcehcm.com",
    domains=("dayforcehcm.com",),
    recognize=recognize,
    board_url=board_url,
    verifies=False,
    example={"board": "car"},
    readme_keys="`board`: the client namespace (`job_board`, `culture` optional)",
    readme_example="`https://jobs.dayforcehcm.com/en-US/car/CANDIDATEPORTAL` → `car`",
)
