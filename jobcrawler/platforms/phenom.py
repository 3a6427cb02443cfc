"""Phenom: career sites `{host}/{country}/{language}` (`careers.acme.com/us/en`), read from
`careers_url`; the host is the customer's own, so pages are recognized by their `phApp`."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from jobcrawler.platforms.base import CareersKeys, Entry, Platform, host_label, url_parts
from jobcrawler.platforms.sites import careers_url

if TYPE_CHECKING:
    from jobcrawler.catalog import Company

_DOMAIN = "phenompeople.com"
#: `/us/en`, `/global/en`, `/ca/fr-ca`: the site's country, then its language.
_COUNTRY = re.compile(r"^(?:[a-z]{2}|global)$", re.IGNORECASE)
_LANGUAGE = re.compile(r"^[a-z]{2}(?:[-_][a-z]{2})?$", re.IGNORECASE)
PH_APP = re.compile(r"phApp\s*=\s*phApp\s*\|\|\s*")
PH_DDO = re.compile(r"phApp\.ddo\s*=\s*")
_NOT_SITES = {"cdn", "content", "content-us", "assets", "static"}


def site_url(host: str, segments: list[str]) -> str | None:
    """`https://{host}/{country}/{language}` when the path starts with a site's locale."""
    if len(segments) < 2 or not (_COUNTRY.match(segments[0]) and _LANGUAGE.match(segments[1])):
        return None
    return f"https://{host}/{segments[0].lower()}/{segments[1].lower()}"


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    """Sites Phenom hosts (`careers.acme.phenompeople.com/us/en/...`); other hosts are
    recognized by their page (`embeds`)."""
    if not host.endswith("." + _DOMAIN) or host.split(".")[0] in _NOT_SITES:
        return None
    url = site_url(host, segments)
    return {"ats": "phenom", "careers_url": url} if url else None


def embedded(text: str, pattern: re.Pattern[str]) -> Iterable[dict[str, Any]]:
    """Each JSON object a page's script assigns where `pattern` matches (`phApp.ddo = {...}`)."""
    for match in pattern.finditer(text):
        try:
            value, _ = json.JSONDecoder().raw_decode(text, match.end())
        except ValueError:
            continue
        if isinstance(value, dict):
            yield value


def embeds(text: str) -> Iterable[Entry]:
    """A Phenom page's `var phApp = phApp || {..., "baseUrl": ".../us/en/", "refNum": ...}`.

    Counted once, plus once per job its embedded search shows: those jobs' `applyUrl`s
    often point at the ATS behind Phenom (Workday...), and the site, not that ATS, is the
    board the page is.
    """
    found = []
    for config in embedded(text, PH_APP):
        base = config.get("baseUrl")
        parts = url_parts(base) if isinstance(base, str) and config.get("refNum") else None
        url = site_url(parts[0], parts[1]) if parts else None
        if url:
            found.append({"ats": "phenom", "careers_url": url})
    if found:
        for ddo in embedded(text, PH_DDO):
            search = ddo.get("eagerLoadRefineSearch")
            data = search.get("data") if isinstance(search, dict) else None
            jobs = data.get("jobs") if isinstance(data, dict) else None
            found += [dict(found[0]) for _ in jobs] if isinstance(jobs, list) else []
    return found


def origin(company: Company) -> str:
    """The site's origin from `careers_url`, unless `base_url` replaces it."""
    split = urlsplit(getattr(company.keys, "careers_url", "") or "")
    own = f"{split.scheme}://{split.netloc}" if split.netloc else ""
    return (company.base_url or own).rstrip("/")


def default_name(entry: Mapping[str, str], url: str) -> str | None:
    """`acme` from `careers.acme.com` and from `careers.acme.phenompeople.com`."""
    site = entry.get("careers_url", "")
    parts = url_parts(site)
    if parts and parts[0].endswith("." + _DOMAIN) and parts[0].count(".") >= 2:
        return parts[0].split(".")[-3]
    return host_label(site) or None


PLATFORM = Platform(
    name="phenom",
    label="Phenom",
    keys=CareersKeys,
    spider="jobcrawler.spiders.phenom:PhenomSpider",
    origin_of=origin,
    domains=(_DOMAIN,),
    recognize=recognize,
    embeds=embeds,
    board_url=careers_url,
    default_name=default_name,
    verifies=False,
    example={"careers_url": "https://careers.acme.phenompeople.com/us/en"},
    readme_keys="`careers_url`: the site with its locale",
    readme_example="`https://careers.acme.com/us/en` (found by its `phApp` on the page)",
)
