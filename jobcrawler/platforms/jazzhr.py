"""JazzHR: career sites at `{board}.applytojob.com`, one public feed host for all."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from jobcrawler.platforms.base import BoardKeys, Entry, Platform, board_entry, subdomain

#: JazzHR's app hosts (`theresumator.com` is its former name): feeds and widgets by board.
_APP_HOSTS = {"app.jazz.co", "app.theresumator.com", "jazz.co", "theresumator.com"}


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    if host.endswith(".applytojob.com"):
        return board_entry("jazzhr", subdomain(host, "applytojob.com"))
    if host in _APP_HOSTS:
        words = [s.lower() for s in segments]
        if words[:3] == ["feeds", "export", "jobs"] and len(segments) > 3:
            return board_entry("jazzhr", segments[3])
        if words[:1] == ["widgets"] and "create" in words[:3] and words[-1] != "create":
            return board_entry(
                "jazzhr", segments[words.index("create") + 1]
            )  # widgets/basic/create/{board}
    return None


def board_url(keys: Mapping[str, Any]) -> str:
    return f"https://{keys['board']}.applytojob.com/apply"


PLATFORM = Platform(
    name="jazzhr",
    label="JazzHR",
    keys=BoardKeys,
    spider="jobcrawler.spiders.jazzhr:JazzHRSpider",
    api_base="https://app.jazz.co",
    tenant_domains=(".applytojob.com",),  # careers pages, asked when the feed is empty
    domains=("applytojob.com", "jazz.co", "theresumator.com"),
    recognize=recognize,
    board_url=board_url,
    example={"board": "healthforce"},
    verifies=False,
    readme_keys="`board`: the subdomain",
    readme_example="`https://healthforce.applytojob.com/apply` → `healthforce`",
)
