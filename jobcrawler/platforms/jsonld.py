"""Careers sites whose job pages carry schema.org `JobPosting` JSON-LD (no ATS)."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from pydantic import Field, ValidationInfo, field_validator

from jobcrawler.platforms.base import Platform
from jobcrawler.platforms.careers import PagesKeys, checked_selector, origin


def is_sitemap_url(url: str) -> bool:
    """`careers_url` names a sitemap (`.xml`, `.xml.gz`) rather than a careers page."""
    return urlsplit(url).path.lower().endswith((".xml", ".xml.gz"))


class JsonLdKeys(PagesKeys):
    """A careers page with `job_links` and/or `job_url_pattern`, or a sitemap."""

    job_url_pattern: str | None = None
    job_links: str | None = Field(default=None, validate_default=True)

    @field_validator("job_url_pattern")
    @classmethod
    def _pattern_compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"job_url_pattern {value!r} is not a valid regex: {exc}") from None
        return value

    @field_validator("job_links")
    @classmethod
    def _job_pages_findable(cls, value: str | None, info: ValidationInfo) -> str | None:
        careers_url = info.data.get("careers_url")
        if (
            careers_url
            and not is_sitemap_url(careers_url)
            and value is None
            and info.data.get("job_url_pattern") is None
        ):
            raise ValueError(
                "jsonld needs job_links or job_url_pattern to find the job pages on"
                " careers_url (or a sitemap careers_url ending in .xml)"
            )
        return checked_selector(value, "job_links")


PLATFORM = Platform(
    name="jsonld",
    label="JSON-LD",
    keys=JsonLdKeys,
    spider="jobcrawler.spiders.jsonld:JsonLdSpider",
    origin_of=origin,
    generic=True,
    readme_keys=(
        "`careers_url` (page or sitemap), `job_links` / `job_url_pattern`, `next_page`, `render`"
    ),
    readme_example="any site with JobPosting JSON-LD",
)
