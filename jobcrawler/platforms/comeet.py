"""Comeet: companies by UID (`30.005`) plus the public token of their careers page."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any
from urllib.parse import urlencode

from pydantic import Field

from jobcrawler.platforms.base import BoardKeys, Entry, Platform, after, host_label, url_parts

_UID = re.compile(r"^[0-9A-F]+\.[0-9A-F]+$", re.IGNORECASE)
_HOSTS = ("comeet.com", "comeet.co")
_INIT = re.compile(r"COMEET\.init\s*\(", re.IGNORECASE)
_UID_VALUE = re.compile(r"[\"']?company[-_]uid[\"']?\s*:\s*[\"']([^\"']+)[\"']")
_TOKEN_VALUE = re.compile(r"[\"']?token[\"']?\s*:\s*[\"']([^\"']+)[\"']")


class ComeetKeys(BoardKeys):
    """`board` is the company UID; `token` the public token `COMEET.init` is given."""

    token: str = Field(min_length=1)


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    if host not in _HOSTS:
        return None
    if uid := after(segments, "careers-api", "2.0", "company"):
        token = query.get("token", [None])[0]  # an API URL carries both values
    else:
        uid, token = (segments[2] if len(segments) > 2 and segments[0] == "jobs" else None), None
    if not uid or not _UID.match(uid):
        return None
    return {"ats": "comeet", "board": uid, **({"token": token} if token else {})}


def board_url(keys: Mapping[str, Any]) -> str:
    """The positions API URL: the only Comeet URL that carries the token too."""
    query = urlencode({"token": keys["token"]})
    return f"https://www.comeet.co/careers-api/2.0/company/{keys['board']}/positions?{query}"


def embeds(text: str) -> Iterable[Entry]:
    """The careers widget: `COMEET.init({"company-uid": ..., "token": ...})`."""
    found = []
    for init in _INIT.finditer(text):
        window = text[init.end() : init.end() + 3000]
        uid, token = _UID_VALUE.search(window), _TOKEN_VALUE.search(window)
        if uid and _UID.match(uid[1]):
            found.append(
                {"ats": "comeet", "board": uid[1], **({"token": token[1]} if token else {})}
            )
    return found


def default_name(entry: Mapping[str, str], url: str) -> str | None:
    """The company word of `comeet.com/jobs/{company}/{uid}`, else the page's host: the
    board is a UID, no name."""
    parts = url_parts(url) if url else None
    if parts and parts[0] in _HOSTS and len(parts[1]) > 1:
        return parts[1][1]
    return host_label(url) if url else None


PLATFORM = Platform(
    name="comeet",
    label="Comeet",
    keys=ComeetKeys,
    spider="jobcrawler.spiders.comeet:ComeetSpider",
    api_base="https://www.comeet.co",
    domains=_HOSTS,
    recognize=recognize,
    board_url=board_url,
    embeds=embeds,
    page_keys=("token",),
    page_keys_source="COMEET.init token",
    page_keys_note=(
        "Comeet's careers API also needs the public token from the company's careers page "
        '(COMEET.init({"token": …})): run find on that page, or write `board:` and `token:`'
    ),
    default_name=default_name,
    example={"board": "30.005", "token": "A1B2C3"},
    readme_keys="`board`: company uid, `token`",
    readme_example="from the careers page's `COMEET.init({...})`",
)
