"""SPIDER_LOADER_CLASS that turns every valid company of the catalog into its own spider.

`scrapy list`, `scrapy crawl <slug>`, `scrapy check` and scrapyd's `listspiders.json` all go
through it. Invalid entries are logged as errors and left out; the valid ones still load.
Spider classes are built on first use, so listing a large catalog stays fast, and the
catalog itself is read on first use: `scrapy crawl SLUG` reads only `SLUG.yaml` when the
catalog has such a file.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, Spider
from scrapy.settings import BaseSettings

from jobcrawler.catalog import Company, load_catalog, load_company
from jobcrawler.platforms import PLATFORMS
from jobcrawler.spiders.base import CompanySpider

logger = logging.getLogger(__name__)


def spider_class(company: Company) -> type[CompanySpider]:
    """A subclass of the company's platform spider, named by its slug."""
    base = PLATFORMS[company.ats].spider_class()
    class_name = "".join(part.capitalize() for part in company.slug.split("_")) + "Spider"
    attrs: dict[str, Any] = {
        "name": company.slug,
        "company": company,
        "custom_settings": dict(company.settings),
        "__module__": base.__module__,
    }
    return type(class_name, (base,), attrs)


class CompanySpiderLoader:
    """Implements Scrapy's SpiderLoaderProtocol over the company catalog."""

    def __init__(self, settings: BaseSettings) -> None:
        self._catalog: dict[str, Company] | None = None
        self._classes: dict[str, type[CompanySpider]] = {}

    @property
    def _companies(self) -> dict[str, Company]:
        """The whole catalog, read on first use (`scrapy crawl SLUG` mostly never needs it)."""
        if self._catalog is None:
            catalog = load_catalog()
            for error in catalog.errors:
                logger.error("Invalid company entry, skipped: %s", error)
            self._catalog = catalog.by_slug()
        return self._catalog

    def _company(self, slug: str) -> Company | None:
        """The company from its own file when that file is named by its slug, else the catalog."""
        if self._catalog is None:
            company = load_company(slug)
            if company is not None:
                return company
        return self._companies.get(slug)

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> CompanySpiderLoader:
        return cls(settings)

    def load(self, spider_name: str) -> type[Spider]:
        if spider_name not in self._classes:
            company = self._company(spider_name)
            if company is None:
                raise KeyError(f"Spider not found: {spider_name}")
            self._classes[spider_name] = spider_class(company)
        return self._classes[spider_name]

    def list(self) -> list[str]:
        return sorted(self._companies)

    def find_by_request(self, request: Request) -> list[str]:
        """Companies whose API origin serves this request (`scrapy fetch`/`parse` use it)."""
        return [
            slug
            for slug, company in self._companies.items()
            if request.url.startswith(PLATFORMS[company.ats].origin(company))
        ]
