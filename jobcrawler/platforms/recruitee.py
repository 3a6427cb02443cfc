"""Recruitee: every tenant on its own host, `{board}.recruitee.com`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Platform, subdomain_rule


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://{keys['board']}.recruitee.com"


PLATFORM = Platform(
    name="recruitee",
    label="Recruitee",
    keys=BoardKeys,
    spider="jobcrawler.spiders.recruitee:RecruiteeSpider",
    api_base="https://{board}.recruitee.com",
    tenant_domains=(".recruitee.com",),
    domains=("recruitee.com",),
    recognize=subdomain_rule("recruitee", "recruitee.com"),
    board_url=board_url,
    example={"board": "acme"},
    readme_keys="`board`: the subdomain",
    readme_example="`https://acme.recruitee.com` → `acme`",
)
