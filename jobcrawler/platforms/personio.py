"""Personio: tenants at `{board}.jobs.personio.de` (some at `.jobs.personio.com`)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import LABEL, BoardKeys, Entry, Platform, board_entry

COM_BASE = "https://{board}.jobs.personio.com"


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    match = re.fullmatch(rf"({LABEL})\.jobs\.personio\.(de|com)", host)
    if not match:
        return None
    extra = {"base_url": COM_BASE.format(board=match[1])} if match[2] == "com" else {}
    return board_entry("personio", match[1], **extra)


def board_url(keys: Mapping[str, Any]) -> str:
    return keys.get("base_url") or f"https://{keys['board']}.jobs.personio.de"


PLATFORM = Platform(
    name="personio",
    label="Personio",
    keys=BoardKeys,
    spider="jobcrawler.spiders.personio:PersonioSpider",
    api_base="https://{board}.jobs.personio.de",
    tenant_domains=(".jobs.personio.com", ".jobs.personio.de"),
    domains=("personio.de", "personio.com"),
    recognize=recognize,
    board_url=board_url,
    example={"board": "acme"},
    verifies=False,
    readme_keys="`board`: the subdomain",
    readme_example="`https://acme.jobs.personio.de` → `acme` (`.com` tenants: `base_url`)",
)
