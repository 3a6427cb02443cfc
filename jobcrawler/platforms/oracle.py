"""Oracle Recruiting Cloud: Candidate Experience sites `{pod}.oraclecloud.com/.../sites/{site}`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import unquote

from pydantic import field_validator

from jobcrawler.platforms.base import CareersKeys, Entry, Platform, url_parts
from jobcrawler.platforms.sites import careers_origin, careers_url

_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_LANG = re.compile(r"^[a-z]{2}(?:[-_][A-Za-z]{2,4})?$")
_SITE_NUMBER = re.compile(r"(?:^|[;,])siteNumber=([^,;&]+)")
#: The REST resources whose `finder` names the site (the front end's own calls).
_RESOURCES = {"recruitingcejobrequisitions", "recruitingcejobrequisitiondetails"}


@dataclass(frozen=True, slots=True)
class CandidateSite:
    """A Candidate Experience site: the pod origin (where the REST API is), site number, URL."""

    origin: str
    site: str
    url: str  # https://{host}/hcmUI/CandidateExperience/{lang}/sites/{site}


def candidate_site(
    host: str, segments: list[str], query: Mapping[str, list[str]]
) -> CandidateSite | None:
    """The site of a URL's host, path segments and query, or None.

    `/hcmUI/CandidateExperience/{lang}/sites/{site}[/job/{id}|/requisitions...]` on any
    host (companies put the site behind their own domain too), or the REST call
    `/hcmRestApi/resources/{version}/recruitingCEJobRequisitions?finder=findReqs;siteNumber=X`.
    """
    lower = [s.lower() for s in segments]
    lang, site = "en", None
    if "sites" in lower and lower.index("sites") + 1 < len(segments):
        at = lower.index("sites")
        site = segments[at + 1]
        if at >= 1 and _LANG.match(segments[at - 1]):
            lang = segments[at - 1]
    elif lower[:2] == ["hcmrestapi", "resources"] and set(lower[3:4]) & _RESOURCES:
        found = _SITE_NUMBER.search(unquote((query.get("finder") or [""])[0]))
        site = found[1] if found else None
    if not site or not _NAME.match(site):
        return None
    origin = f"https://{host}"
    return CandidateSite(origin, site, f"{origin}/hcmUI/CandidateExperience/{lang}/sites/{site}")


def parse_careers_url(url: str) -> CandidateSite | None:
    """The Candidate Experience site of a URL (see `candidate_site`), or None."""
    parts = url_parts(url)
    return candidate_site(*parts) if parts else None


class OracleKeys(CareersKeys):
    """`careers_url`: the Candidate Experience site (`.../sites/CX_1`): pod and site come from it."""

    @field_validator("careers_url")
    @classmethod
    def _site_shape(cls, value: str) -> str:
        if parse_careers_url(value) is None:
            raise ValueError(
                f"careers_url {value!r} is not an Oracle Candidate Experience site "
                "(…/hcmUI/CandidateExperience/en/sites/CX_1)"
            )
        return value


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    if not host.endswith(".oraclecloud.com"):
        return None
    site = candidate_site(host, segments, query)
    return {"ats": "oracle", "careers_url": site.url} if site else None


PLATFORM = Platform(
    name="oracle",
    label="Oracle Recruiting Cloud",
    keys=OracleKeys,
    spider="jobcrawler.spiders.oracle:OracleSpider",
    origin_of=careers_origin(parse_careers_url),
    tenant_domains=(".oraclecloud.com",),
    domains=("oraclecloud.com",),
    recognize=recognize,
    board_url=careers_url,
    example={
        "careers_url": "https://eeho.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1"
    },
    readme_keys="`careers_url` (the Candidate Experience site)",
    readme_example=(
        "`https://eeho.fa.us2.oraclecloud.com/hcmUI/CandidateExperience/en/sites/CX_1`"
    ),
)
