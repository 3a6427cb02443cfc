"""What a platform declares: its YAML keys, origin, tenant hosts, URL forms and spider.

A declaration is data plus a few small functions and imports no Scrapy: the catalog, the
finder and the host pace read every platform's declaration, while a crawl imports only
the spider of the company it crawls (`Platform.spider`, a dotted path).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from importlib import import_module
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qs, unquote, urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

if TYPE_CHECKING:
    from jobcrawler.catalog import Company
    from jobcrawler.spiders.base import CompanySpider

#: A URL as the finder reads it: host without `www.`, unquoted path segments, query.
Parts = tuple[str, list[str], dict[str, list[str]]]
#: Catalog entry keys (`ats` and the platform's keys) that a URL or page gives.
Entry = dict[str, str]


_HTTP_URL = re.compile(r"^https?://[^/\s]+(?:/\S*)?$")


def http_url(value: str | None, key: str) -> str | None:
    """`value` without a trailing slash; ValueError unless it is an http(s) URL."""
    if value is not None and not _HTTP_URL.match(value):
        raise ValueError(f"{key} {value!r} must be an http(s) URL")
    return value.rstrip("/") if value else value


class Keys(BaseModel):
    """A platform's own YAML keys. Unknown keys are errors; subclasses add fields."""

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class BoardKeys(Keys):
    """The keys of most ATSs: `board`, the tenant's name in the platform's URLs."""

    board: str = Field(min_length=1)


class CareersKeys(Keys):
    """The keys of platforms read from a careers site: `careers_url`, its address."""

    careers_url: str

    @field_validator("careers_url")
    @classmethod
    def _url_shape(cls, value: str) -> str:
        return http_url(value, "careers_url") or value


@dataclass(frozen=True)
class Platform:
    """One platform, declared once in `jobcrawler/platforms/<name>.py` as `PLATFORM`.

    - `name` is the `ats` value in YAML, `label` the name in messages and the README.
    - `keys`: the YAML keys model (validated by the catalog, read as `company.keys`).
    - `spider`: `"module:Class"` of the spider, imported only when a company crawls.
    - `api_base`: the origin a company's `base_url` replaces; `{board}` marks a tenant host.
    - `tenant_domains`: host suffixes whose tenants share one pace (`.recruitee.com`).
    - `domains`: the domains of its URLs, for the finder's page search.
    - `recognize(host, segments, query)`: the entry for one of its URLs, or None;
      `board_url(keys)`: the public careers URL of a board (`recognize` reads it back);
      `example`: the keys of a real board (the contract test round-trips them).
    - `embeds(page_text)`: entries from embed calls that carry no URL (`COMEET.init`).
    - `page_keys`: keys a URL can't give, only the careers page (`page_keys_source` names
      what on the page, `page_keys_note` tells the user how to get them);
      `default_name(entry, url)`: a company name when the board token isn't one.
    - `verifies`: a missing posting is asked for on the platform (else the second
      complete crawl that misses it removes it).
    - `generic`: a careers-site reader, not an ATS (JSON-LD, HTML selectors).
    - `readme_keys`, `readme_example`: its row of the README's platform table.
    """

    name: str
    label: str
    keys: type[Keys]
    spider: str
    readme_keys: str
    readme_example: str
    api_base: str = ""
    tenant_domains: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()
    recognize: Callable[[str, list[str], dict[str, list[str]]], Entry | None] | None = None
    board_url: Callable[[Mapping[str, Any]], str] | None = None
    example: Mapping[str, str] | None = None
    embeds: Callable[[str], Iterable[Entry]] | None = None
    page_keys: tuple[str, ...] = ()
    page_keys_source: str = ""
    page_keys_note: str = ""
    default_name: Callable[[Mapping[str, str], str], str | None] | None = None
    origin_of: Callable[[Company], str] | None = None
    verifies: bool = True
    generic: bool = False

    def origin(self, company: Company) -> str:
        """The company's `base_url`, else `api_base` with its board (no trailing slash)."""
        if self.origin_of is not None:
            return self.origin_of(company)
        board = getattr(company.keys, "board", "") or ""
        return (company.base_url or self.api_base.format(board=board)).rstrip("/")

    def spider_class(self) -> type[CompanySpider]:
        """The spider, imported now (a crawl imports only its own platform's)."""
        module, _, name = self.spider.partition(":")
        spider: type[CompanySpider] = getattr(import_module(module), name)
        return spider


# --- reading URLs (the `recognize` functions share these) -----------------------------------

TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
LABEL = r"[a-z0-9][a-z0-9-]*"
#: Vendor subdomains that are the vendor's own sites, not a customer's board.
VENDOR_SUBDOMAINS = {
    "www", "app", "api", "apply", "help", "support", "docs", "blog", "status", "jobs",
    "partners", "marketplace", "developer", "developers", "resources", "static", "assets",
    "cdn", "media", "images", "scripts", "widget", "embed", "attachments", "marketing",
}  # fmt: skip


def url_parts(url: str) -> Parts | None:
    """(host without www., unquoted path segments, query) — or None for non-web URLs."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    elif re.match(r"^[a-z][a-z0-9+.-]*:(?!//|\d)", url, re.IGNORECASE):
        return None  # mailto:, javascript: and the like
    elif "://" not in url:
        url = "https://" + url
    try:
        split = urlsplit(url)
        host = (split.hostname or "").lower().rstrip(".")
    except ValueError:  # e.g. a malformed port or IPv6 literal
        return None
    if split.scheme.lower() not in ("http", "https") or not host:
        return None
    host = host.removeprefix("www.")
    segments = [unquote(s) for s in split.path.split("/") if s]
    return host, segments, parse_qs(split.query)


def host_label(url: str) -> str:
    """`acme` from `https://careers.acme.com/...`."""
    parts = url_parts(url)
    labels = parts[0].split(".") if parts else [url]
    return labels[-2] if len(labels) > 1 else labels[0]


def board_entry(ats: str, board: str | None, **extra: str) -> Entry | None:
    """`{"ats": ats, "board": board, ...}` when `board` looks like a board token."""
    if not board or not TOKEN.match(board):
        return None
    return {"ats": ats, "board": board, **extra}


def after(segments: list[str], *prefix: str) -> str | None:
    """The segment right after `prefix` (compared case-insensitively), if the path starts so."""
    head = [s.lower() for s in segments[: len(prefix)]]
    return segments[len(prefix)] if head == list(prefix) and len(segments) > len(prefix) else None


def first(segments: list[str], reserved: set[str]) -> str | None:
    """The first segment unless it is one of the platform's own words."""
    return segments[0] if segments and segments[0].lower() not in reserved else None


def subdomain(host: str, domain: str) -> str | None:
    """`acme` from `acme.{domain}`, unless it is one of the vendor's own subdomains."""
    match = re.fullmatch(rf"({LABEL})\.{re.escape(domain)}", host)
    return match[1] if match and match[1] not in VENDOR_SUBDOMAINS else None


def subdomain_rule(
    ats: str, domain: str
) -> Callable[[str, list[str], dict[str, list[str]]], Entry | None]:
    """`recognize` for ATSs whose boards are `{board}.{domain}`."""

    def rule(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
        return board_entry(ats, subdomain(host, domain))

    return rule
