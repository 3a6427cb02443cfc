"""Jobvite: career pages `jobs.jobvite.com/{board}`; the job feed is keyed by the
company's `companyEId`, which only the board page shows (the spider reads it there)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from pydantic import Field

from jobcrawler.platforms.base import BoardKeys, Entry, Platform, board_entry, first

#: Paths on jobs.jobvite.com that are Jobvite's own, not a company's board.
_RESERVED = {"api", "careers", "support", "static", "__assets__", "companyjobs"}
_EID_VALUE = r"[A-Za-z0-9_-]{4,40}"
_EID = re.compile(rf"companyEId\s*[:=]\s*['\"]({_EID_VALUE})['\"]")


class JobviteKeys(BoardKeys):
    """`board`: the career page's name; `company_id`: its `companyEId` (optional: the
    spider reads it from the board page when it is not given)."""

    company_id: str | None = Field(default=None, pattern=rf"^{_EID_VALUE}$")


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    if host == "jobs.jobvite.com":
        board = segments[1] if segments[:1] == ["careers"] and len(segments) > 1 else None
        return board_entry("jobvite", board or first(segments, _RESERVED))
    return None


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://jobs.jobvite.com/{keys['board']}"


def company_id(page_text: str) -> str | None:
    """The `companyEId: 'q6NaVfwI'` a board page's inline script sets."""
    match = _EID.search(page_text)
    return match[1] if match else None


PLATFORM = Platform(
    name="jobvite",
    label="Jobvite",
    keys=JobviteKeys,
    spider="jobcrawler.spiders.jobvite:JobviteSpider",
    api_base="https://app.jobvite.com",
    domains=("jobvite.com",),
    recognize=recognize,
    board_url=board_url,
    verifies=False,
    example={"board": "egnyte"},
    readme_keys="`board`: the career page name (`company_id` optional)",
    readme_example="`https://jobs.jobvite.com/egnyte` → `egnyte`",
)
