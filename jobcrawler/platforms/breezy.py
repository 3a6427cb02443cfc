"""Breezy: every tenant on its own host, `{board}.breezy.hr`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Platform, subdomain_rule


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://{keys['board']}.breezy.hr"


PLATFORM = Platform(
    name="breezy",
    label="Breezy",
    keys=BoardKeys,
    spider="jobcrawler.spiders.breezy:BreezySpider",
    api_base="https://{board}.breezy.hr",
    tenant_domains=(".breezy.hr",),
    domains=("breezy.hr",),
    recognize=subdomain_rule("breezy", "breezy.hr"),
    board_url=board_url,
    example={"board": "acme"},
    verifies=False,
    readme_keys="`board`: the subdomain",
    readme_example="`https://acme.breezy.hr` → `acme`",
)
