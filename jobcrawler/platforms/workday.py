"""Workday: career sites `{tenant}.wd{N}.myworkdayjobs.com/{site}`, read from `careers_url`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from jobcrawler.platforms.base import CareersKeys, Entry, Platform
from jobcrawler.platforms.sites import careers_origin, careers_url

if TYPE_CHECKING:
    pass

#: The optional locale before the site is language-REGION (`en-US`): site names are
#: free-form (`External`, `2`, `us`), so anything else is the site.
_LOCALE = re.compile(r"^[a-z]{2}-[a-z]{2}$", re.IGNORECASE)
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_JOBS_HOST = re.compile(r"([a-z0-9][a-z0-9_-]*)\.wd\d+\.myworkdayjobs\.com")
_SITE_HOST = re.compile(r"wd\d+\.myworkdaysite\.com")
#: First path words on a myworkdayjobs.com host that are Workday's own pages, not a site.
_NOT_SITES = {"wday", "job", "login"}


@dataclass(frozen=True, slots=True)
class CareersSite:
    """A Workday career site: its origin (where the CXS API is), tenant, site and URL."""

    origin: str
    tenant: str
    site: str
    url: str  # the site's own URL, without locale or job path


def careers_site(host: str, segments: list[str]) -> CareersSite | None:
    """The career site of a lower-case host and its unquoted path segments, or None.

    `{tenant}.wd{N}.myworkdayjobs.com/[{locale}/]{site}` and
    `wd{N}.myworkdaysite.com/[{locale}/]recruiting/{tenant}/{site}`, followed by anything
    (a job path), or the CXS API path `/wday/cxs/{tenant}/{site}/...` on either host. The
    finder reads URLs with this too, so what it writes is what the spider understands.
    """
    rest = segments[1:] if segments and _LOCALE.match(segments[0]) else segments
    cxs = [s.lower() for s in rest[:2]] == ["wday", "cxs"] and len(rest) >= 4
    if match := _JOBS_HOST.fullmatch(host):
        tenant = match[1]
        site = rest[3] if cxs else rest[0] if rest and rest[0].lower() not in _NOT_SITES else ""
        path = f"/{site}"
    elif _SITE_HOST.fullmatch(host):
        if cxs:
            tenant, site = rest[2], rest[3]
        elif len(rest) >= 3 and rest[0].lower() == "recruiting":
            tenant, site = rest[1], rest[2]
        else:
            return None
        path = f"/recruiting/{tenant}/{site}"
    else:
        return None
    if not (_NAME.match(tenant) and _NAME.match(site)):
        return None
    origin = f"https://{host}"
    return CareersSite(origin, tenant, site, origin + path)


def parse_careers_url(url: str) -> CareersSite | None:
    """The Workday career site of an http(s) URL (see `careers_site`), or None."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").rstrip(".")
    except ValueError:  # a malformed port or IPv6 literal
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    return careers_site(host, [unquote(s) for s in parts.path.split("/") if s])


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    site = careers_site(host, segments)
    return {"ats": "workday", "careers_url": site.url} if site else None


def default_name(entry: Mapping[str, str], url: str) -> str | None:
    site = parse_careers_url(entry.get("careers_url", ""))
    return site.tenant if site else None


PLATFORM = Platform(
    name="workday",
    label="Workday",
    keys=CareersKeys,
    spider="jobcrawler.spiders.workday:WorkdaySpider",
    origin_of=careers_origin(parse_careers_url),
    tenant_domains=(".myworkdayjobs.com",),
    domains=("myworkdayjobs.com", "myworkdaysite.com"),
    recognize=recognize,
    board_url=careers_url,
    default_name=default_name,
    example={"careers_url": "https://acme.wd5.myworkdayjobs.com/External"},
    readme_keys="`careers_url`",
    readme_example="`https://acme.wd5.myworkdayjobs.com/en-US/External`",
)
