"""iCIMS: hosted career portals `{portal}.icims.com` (`careers-acme`, `jobs-acme`, ...)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Entry, Platform, board_entry, subdomain

#: iCIMS's own hosts under icims.com, never a customer's portal.
_OWN = {"community", "developer", "developer-community", "login", "cdn", "careers", "jobs"}


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    """The portal label of `{portal}.icims.com/...` (search, job page or iframe embed)."""
    portal = subdomain(host, "icims.com")
    return board_entry("icims", portal) if portal and portal not in _OWN else None


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://{keys['board']}.icims.com/jobs/search?ss=1"


PLATFORM = Platform(
    name="icims",
    label="iCIMS",
    keys=BoardKeys,
    spider="jobcrawler.spiders.icims:IcimsSpider",
    api_base="https://{board}.icims.com",
    tenant_domains=(".icims.com",),
    domains=("icims.com",),
    recognize=recognize,
    board_url=board_url,
    verifies=False,
    example={"board": "careers-tenethealth"},
    readme_keys="`board`: the portal's subdomain",
    readme_example="`https://careers-tenethealth.icims.com/jobs/search` → `careers-tenethealth`",
)
