"""Workable: accounts at `apply.workable.com/{board}`, one API host for all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import (
    BoardKeys,
    Entry,
    Platform,
    after,
    board_entry,
    first,
    subdomain,
)

_RESERVED = {"api", "j", "static", "assets"}


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    if host == "apply.workable.com":
        account = (
            after(segments, "api", "v1", "widget", "accounts")
            or after(segments, "api", "v3", "accounts")
            or after(segments, "api", "v2", "accounts")
            or first(segments, _RESERVED)
        )
    elif host == "workable.com":
        account = after(segments, "api", "accounts")
    else:
        account = subdomain(host, "workable.com")
    return board_entry("workable", account)


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://apply.workable.com/{keys['board']}"


PLATFORM = Platform(
    name="workable",
    label="Workable",
    keys=BoardKeys,
    spider="jobcrawler.spiders.workable:WorkableSpider",
    api_base="https://apply.workable.com",
    domains=("workable.com",),
    recognize=recognize,
    board_url=board_url,
    example={"board": "acme"},
    readme_keys="`board`: the account",
    readme_example="`https://apply.workable.com/acme` → `acme`",
)
