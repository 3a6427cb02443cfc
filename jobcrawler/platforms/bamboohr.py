"""BambooHR: every tenant on its own host, `{board}.bamboohr.com`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Platform, subdomain_rule


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://{keys['board']}.bamboohr.com/careers"


PLATFORM = Platform(
    name="bamboohr",
    label="BambooHR",
    keys=BoardKeys,
    spider="jobcrawler.spiders.bamboohr:BambooHRSpider",
    api_base="https://{board}.bamboohr.com",
    tenant_domains=(".bamboohr.com",),
    domains=("bamboohr.com",),
    recognize=subdomain_rule("bamboohr", "bamboohr.com"),
    board_url=board_url,
    example={"board": "acme"},
    readme_keys="`board`: the subdomain",
    readme_example="`https://acme.bamboohr.com/careers` → `acme`",
)
