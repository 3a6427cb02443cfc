"""Eightfold: tenants at `{board}.eightfold.ai`, whose API also wants the company's
`domain` (`?domain=acme.com`); custom career hosts set `base_url`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from pydantic import Field

from jobcrawler.platforms.base import BoardKeys, Entry, Platform, subdomain

_DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)+$", re.IGNORECASE)


class EightfoldKeys(BoardKeys):
    """`board`: the `eightfold.ai` subdomain; `domain`: the company's domain the API is
    keyed by (the careers URL's `?domain=`)."""

    domain: str = Field(min_length=1, pattern=_DOMAIN.pattern)


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    board = subdomain(host, "eightfold.ai")
    if not board:
        return None
    domain = query.get("domain", [""])[0].strip().lower()
    return {
        "ats": "eightfold",
        "board": board,
        **({"domain": domain} if _DOMAIN.match(domain) else {}),
    }


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://{keys['board']}.eightfold.ai/careers?{urlencode({'domain': keys['domain']})}"


PLATFORM = Platform(
    name="eightfold",
    label="Eightfold",
    keys=EightfoldKeys,
    spider="jobcrawler.spiders.eightfold:EightfoldSpider",
    api_base="https://{board}.eightfold.ai",
    tenant_domains=(".eightfold.ai",),
    domains=("eightfold.ai",),
    recognize=recognize,
    board_url=board_url,
    page_keys=("domain",),
    page_keys_source="`?domain=` of its Eightfold links",
    page_keys_note=(
        "Eightfold's API also needs the company's domain, the `?domain=` of its careers "
        "URL (`https://acme.eightfold.ai/careers?domain=acme.com`): write `domain:`"
    ),
    verifies=False,
    example={"board": "acme", "domain": "acme.com"},
    readme_keys="`board`: the subdomain, `domain`",
    readme_example="`https://acme.eightfold.ai/careers?domain=acme.com` → `acme`, `acme.com`",
)
