"""HRMDirect (ClearCompany): every tenant on its own host, `{board}.hrmdirect.com`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Platform, subdomain_rule


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://{keys['board']}.hrmdirect.com/employment/job-openings.php?search=true"


PLATFORM = Platform(
    name="hrmdirect",
    label="HRMDirect",
    keys=BoardKeys,
    spider="jobcrawler.spiders.hrmdirect:HRMDirectSpider",
    api_base="https://{board}.hrmdirect.com",
    tenant_domains=(".hrmdirect.com",),
    domains=("hrmdirect.com",),
    recognize=subdomain_rule("hrmdirect", "hrmdirect.com"),
    board_url=board_url,
    example={"board": "backblaze"},
    verifies=False,
    readme_keys="`board`: the subdomain",
    readme_example="`https://backblaze.hrmdirect.com/employment/job-openings.php` → `backblaze`",
)
