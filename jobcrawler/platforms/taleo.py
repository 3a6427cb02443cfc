"""Taleo (Oracle Taleo Enterprise): career sections `{tenant}.taleo.net/careersection/{section}`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from pydantic import field_validator

from jobcrawler.platforms.base import CareersKeys, Entry, Platform, url_parts
from jobcrawler.platforms.sites import careers_origin, careers_url

_HOST = re.compile(r"([a-z0-9][a-z0-9-]*)\.taleo\.net")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
#: Path words after `/careersection/` that are Taleo's own, not a career section.
_NOT_SECTIONS = {"rest", "feed", "iam", "theme", "moduleconfiguration"}
_LANG = re.compile(r"^[a-zA-Z]{2}(?:_[a-zA-Z]{2})?$")


@dataclass(frozen=True, slots=True)
class CareerSection:
    """A Taleo career section: the tenant origin, the section, its language and its URL."""

    origin: str
    tenant: str
    section: str
    lang: str
    url: str  # https://{tenant}.taleo.net/careersection/{section}/jobsearch.ftl?lang=..


def career_section(
    host: str, segments: list[str], query: Mapping[str, list[str]]
) -> CareerSection | None:
    """The section of `{tenant}.taleo.net/careersection/{section}/{page}.ftl`, or None."""
    match = _HOST.fullmatch(host)
    lower = [s.lower() for s in segments]
    if not match or match[1] in ("www", "tbe") or len(segments) < 2 or lower[0] != "careersection":
        return None
    section = segments[1]
    if lower[1] in _NOT_SECTIONS or not _NAME.match(section):
        return None
    lang = (query.get("lang") or ["en"])[0]
    lang = lang if _LANG.match(lang) else "en"
    origin = f"https://{host}"
    url = f"{origin}/careersection/{section}/jobsearch.ftl?lang={lang}"
    return CareerSection(origin, match[1], section, lang, url)


def parse_careers_url(url: str) -> CareerSection | None:
    """The career section of a URL (see `career_section`), or None."""
    parts = url_parts(url)
    return career_section(*parts) if parts else None


class TaleoKeys(CareersKeys):
    """`careers_url`: the career section (`…taleo.net/careersection/{section}/jobsearch.ftl`)."""

    @field_validator("careers_url")
    @classmethod
    def _section_shape(cls, value: str) -> str:
        if parse_careers_url(value) is None:
            raise ValueError(
                f"careers_url {value!r} is not a Taleo career section "
                "(https://acme.taleo.net/careersection/{section}/jobsearch.ftl)"
            )
        return value


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    section = career_section(host, segments, query)
    return {"ats": "taleo", "careers_url": section.url} if section else None


def default_name(entry: Mapping[str, str], url: str) -> str | None:
    section = parse_careers_url(entry.get("careers_url", ""))
    return section.tenant if section else None


PLATFORM = Platform(
    name="taleo",
    label="Taleo",
    keys=TaleoKeys,
    spider="jobcrawler.spiders.taleo:TaleoSpider",
    origin_of=careers_origin(parse_careers_url),
    tenant_domains=(".taleo.net",),
    domains=("taleo.net",),
    recognize=recognize,
    board_url=careers_url,
    default_name=default_name,
    verifies=False,
    example={"careers_url": "https://drhorton.taleo.net/careersection/2/jobsearch.ftl?lang=en"},
    readme_keys="`careers_url` (the career section)",
    readme_example="`https://drhorton.taleo.net/careersection/2/jobsearch.ftl?lang=en`",
)
