"""Teamtailor: every tenant on its own host, `{board}.teamtailor.com`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Platform, subdomain_rule


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://{keys['board']}.teamtailor.com"


PLATFORM = Platform(
    name="teamtailor",
    label="Teamtailor",
    keys=BoardKeys,
    spider="jobcrawler.spiders.teamtailor:TeamtailorSpider",
    api_base="https://{board}.teamtailor.com",
    tenant_domains=(".teamtailor.com",),
    domains=("teamtailor.com",),
    recognize=subdomain_rule("teamtailor", "teamtailor.com"),
    board_url=board_url,
    example={"board": "acme"},
    verifies=False,
    readme_keys="`board`: the subdomain",
    readme_example="`https://acme.teamtailor.com` → `acme`",
)
