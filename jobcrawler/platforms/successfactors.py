"""SAP SuccessFactors: career sites (Career Site Builder / RMK) and classic `career{N}` feeds."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from pydantic import field_validator

from jobcrawler.platforms.base import CareersKeys, Entry, Platform
from jobcrawler.platforms.sites import careers_origin, careers_url

#: Classic (Recruiting Management) career hosts: `career4.successfactors.com`,
#: `career2.successfactors.eu`, `career17.sapsf.com`.
_CLASSIC_HOST = re.compile(r"career\d*\.(?:successfactors|sapsf)\.(?:com|eu|cn)")
_COMPANY = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: Career Site Builder hosts SAP runs itself (customers mostly use their own domain).
_RMK_HOST = re.compile(r"(?:[a-z0-9-]+\.jobs2web\.com|jobs\.sap\.com)")
#: The CDN every Career Site Builder page loads its assets from, and the page's own address.
_RMK_ASSETS = re.compile(r"rmkcdn\.successfactors\.com", re.IGNORECASE)
_CANONICAL = re.compile(
    r"""<(?:link[^>]+rel=["']canonical["'][^>]+href|meta[^>]+property=["']og:url["'][^>]+content)"""
    r"""=["'](https?://[^"'/]+)""",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CareerSite:
    """Where a company's SuccessFactors postings are: a classic feed or a CSB site."""

    origin: str
    company: str | None  # the classic `company=` code; None for a Career Site Builder site
    url: str

    @property
    def classic(self) -> bool:
        return self.company is not None


def career_site(url: str) -> CareerSite | None:
    """The site of a careers URL: classic when the host is `career{N}.successfactors.*`
    (then `company=` is required), else the Career Site Builder site at the URL's origin."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    origin = f"https://{host}" if parts.port is None else f"{parts.scheme}://{host}:{parts.port}"
    if _CLASSIC_HOST.fullmatch(host):
        company = (parse_qs(parts.query).get("company") or [""])[0]
        if not _COMPANY.match(company):
            return None
        return CareerSite(origin, company, f"{origin}/career?company={company}")
    return CareerSite(origin, None, origin)


class SuccessFactorsKeys(CareersKeys):
    """`careers_url`: the career site, or a classic `career{N}…/career?company=X` URL."""

    @field_validator("careers_url")
    @classmethod
    def _site_shape(cls, value: str) -> str:
        if career_site(value) is None:
            raise ValueError(
                f"careers_url {value!r}: a classic SuccessFactors URL needs its company "
                "(https://career4.successfactors.com/career?company=acme)"
            )
        return value


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    if _CLASSIC_HOST.fullmatch(host):
        company = (query.get("company") or [""])[0]
        if not _COMPANY.match(company):
            return None
        return {"ats": "successfactors", "careers_url": f"https://{host}/career?company={company}"}
    if _RMK_HOST.fullmatch(host):
        return {"ats": "successfactors", "careers_url": f"https://{host}"}
    return None


def embeds(text: str) -> Iterable[Entry]:
    """A Career Site Builder page on the company's own domain: its assets come from
    `rmkcdn.successfactors.com`, its address from the canonical link or `og:url`."""
    if not _RMK_ASSETS.search(text):
        return []
    found = _CANONICAL.search(text)
    return [{"ats": "successfactors", "careers_url": found[1].lower()}] if found else []


PLATFORM = Platform(
    name="successfactors",
    label="SAP SuccessFactors",
    keys=SuccessFactorsKeys,
    spider="jobcrawler.spiders.successfactors:SuccessFactorsSpider",
    origin_of=careers_origin(career_site),
    tenant_domains=(".jobs2web.com",),
    domains=(
        "successfactors.com",
        "successfactors.eu",
        "sapsf.com",
        "sapsf.eu",
        "jobs2web.com",
        "jobs.sap.com",
    ),
    recognize=recognize,
    embeds=embeds,
    board_url=careers_url,
    verifies=False,
    example={"careers_url": "https://jobs.sap.com"},
    readme_keys="`careers_url` (the career site, or a classic `career?company=` URL)",
    readme_example=(
        "`https://jobs.sap.com`, `https://career4.successfactors.com/career?company=acme`"
    ),
)
