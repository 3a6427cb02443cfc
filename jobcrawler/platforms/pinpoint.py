"""Pinpoint: every tenant on its own host, `{board}.pinpointhq.com`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Platform, subdomain_rule


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://{keys['board']}.pinpointhq.com"


PLATFORM = Platform(
    name="pinpoint",
    label="Pinpoint",
    keys=BoardKeys,
    spider="jobcrawler.spiders.pinpoint:PinpointSpider",
    api_base="https://{board}.pinpointhq.com",
    tenant_domains=(".pinpointhq.com",),
    domains=("pinpointhq.com",),
    recognize=subdomain_rule("pinpoint", "pinpointhq.com"),
    board_url=board_url,
    example={"board": "made-tech"},
    verifies=False,
    readme_keys="`board`: the subdomain (custom domains: `base_url`)",
    readme_example="`https://made-tech.pinpointhq.com` → `made-tech`",
)
