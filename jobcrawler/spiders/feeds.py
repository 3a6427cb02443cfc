"""What the XML-feed platforms (Personio, Teamtailor) share: strictly parsed listings."""

from __future__ import annotations

from typing import Any

import scrapy
from lxml import etree
from scrapy.http import Response

from jobcrawler.spiders.base import CompanySpider

#: No DTD loading, no entity expansion, no network: a feed is data, never instructions.
#: No `recover`: a recovering parser turns a feed cut off mid-body into a shorter document
#: that looks whole, and the postings past the cut would then count as removed.
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, recover=False)


class FeedSpider(CompanySpider):
    """Base of platforms whose listing is an XML feed rather than JSON.

    Their tenants have their own host: the declaration's `api_base` holds a `{board}`
    placeholder and a company's `base_url` replaces the whole tenant origin.
    """

    accept = "application/xml, text/xml;q=0.9, */*;q=0.5"

    def feed_request(self, url: str, callback: Any, **kwargs: Any) -> scrapy.Request:
        kwargs.setdefault("headers", {}).setdefault("Accept", self.accept)
        return self.listing_request(url, callback, **kwargs)

    def listing_xml(self, response: Response, root: str) -> etree._Element | None:
        """The feed's root element, or None after recording why the listing cannot be trusted.

        Truncated or garbage bodies fail to parse; a well-formed document with another root
        (a bot-protection HTML page, an error document) is rejected too.
        """
        kind = response.headers.get(b"Content-Type", b"").decode("latin-1") or "no content type"
        try:
            element = etree.fromstring(response.body, _PARSER)
        except (etree.XMLSyntaxError, ValueError) as exc:
            self.listing.fail(f"invalid XML ({kind}) at {response.url}: {exc}")
            self.crawler.stats.inc_value("jobcrawler/listing/invalid_xml")
            return None
        if element.tag != root:
            self.listing.fail(f"not a <{root}> feed ({kind}, <{element.tag}>) at {response.url}")
            self.crawler.stats.inc_value("jobcrawler/listing/invalid_xml")
            return None
        return element


def child_text(element: etree._Element, path: str) -> str | None:
    """Stripped text of the first match of `path` (ElementPath), None when missing or blank."""
    value = element.findtext(path)
    return value.strip() or None if value else None
