"""What the careers-page platforms (`jsonld`, `html`) share.

A careers site has no API: the listing is a set of HTML pages (or sitemaps) read to their
end, job data sits in the markup, and some sites build the list with JavaScript after
load, so those companies (`render: true`) have their pages drawn by headless Chromium
through scrapy-playwright.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any
from urllib.parse import urldefrag, urlsplit, urlunsplit

import scrapy
from parsel import Selector, SelectorList
from scrapy.http import HtmlResponse, Response
from scrapy.settings import BaseSettings
from scrapy_playwright.page import PageMethod

from jobcrawler.platforms.careers import XPATH
from jobcrawler.spiders.base import CompanySpider

if TYPE_CHECKING:
    from jobcrawler.catalog import Company

HTML_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.8"
#: More listing pages than this is a pagination loop the visited-URL check missed
#: (session ids in next links, ...): the listing is reported incomplete, not read forever.
MAX_LISTING_PAGES = 1000

DEFAULT_CHROMIUM = "/usr/bin/chromium"  # Debian's `chromium`; Playwright downloads nothing
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
HEAVY_RESOURCES = frozenset({"image", "font", "media"})

# parsel's pseudo-elements, which a browser's selector engine does not know.
_CSS_PSEUDO = re.compile(r"::(?:text|attr\([^)]*\))\s*$")
_XPATH_LEAF = re.compile(r"/(?:text\(\)|@[\w:.-]+)\s*$")


def select(node: Selector | Response, expression: str) -> SelectorList[Selector]:
    """Matches of a YAML selector: `xpath:` + an XPath expression, otherwise CSS."""
    if expression.startswith(XPATH):
        return node.xpath(expression[len(XPATH) :].strip())
    return node.css(expression)


def browser_selector(expression: str) -> str:
    """The element part of a YAML selector in Playwright's syntax (to wait for it)."""
    if expression.startswith(XPATH):
        return "xpath=" + _XPATH_LEAF.sub("", expression[len(XPATH) :].strip())
    return _CSS_PSEUDO.sub("", expression)


def first_value(
    node: Selector | Response,
    expression: str,
    *,
    attribute: str | None = None,
    markup: bool = False,
) -> str | None:
    """The first non-blank value a selector gives.

    Text and attribute matches (`::text`, `@href`) are used as they are; a matched element
    gives its `attribute` when it has it (`href` of a link, `datetime` of a <time>), its
    HTML when `markup` is asked for (descriptions), else its whitespace-collapsed text.
    """
    for match in select(node, expression):
        if isinstance(match.root, str):
            value = match.root
        elif markup:
            value = match.get()
        elif attribute and attribute in match.attrib:
            value = match.attrib[attribute]
        else:
            value = " ".join((match.xpath("string()").get() or "").split())
        if value and value.strip():
            return value.strip()
    return None


def abort_heavy_request(request: Any) -> bool:
    """PLAYWRIGHT_ABORT_REQUEST: images, fonts and media never change a job list."""
    return request.resource_type in HEAVY_RESOURCES


def playwright_settings(chromium: str) -> dict[str, Any]:
    """Settings that send `meta={"playwright": True}` requests through Debian's Chromium.

    One browser context with at most 4 pages bounds the memory one company can take.
    """
    handler = "scrapy_playwright.handler.ScrapyPlaywrightDownloadHandler"
    return {
        "DOWNLOAD_HANDLERS": {"http": handler, "https": handler},
        "PLAYWRIGHT_BROWSER_TYPE": "chromium",
        "PLAYWRIGHT_LAUNCH_OPTIONS": {
            "executable_path": chromium,
            "headless": True,
            "args": list(CHROMIUM_ARGS),
        },
        "PLAYWRIGHT_MAX_CONTEXTS": 1,
        "PLAYWRIGHT_MAX_PAGES_PER_CONTEXT": 4,
        "PLAYWRIGHT_ABORT_REQUEST": f"{__name__}.abort_heavy_request",
    }


class PagesSpider(CompanySpider):
    """Base of the careers-page platforms.

    YAML: `careers_url` (the first listing page); `base_url`, when set, replaces the scheme
    and host of `careers_url` (a mirror, a proxy, a test server); `next_page` (CSS or
    `xpath:` selector of the next listing page's link); `render: true` has pages drawn
    by headless Chromium (setting `PLAYWRIGHT_CHROMIUM_PATH`, default `/usr/bin/chromium`).

    Completeness: the listing is complete when every listing page reached through
    `next_page` links (each URL once, fragment ignored) was fetched and parsed. A listing
    page that is not HTML, looks cut off (no `</html>` or `</body>`), fails after retries,
    or, past the first page, shows no postings makes the listing incomplete. A first page
    without postings is an empty board (the store's mass-removal guard still applies).
    With `render: true`, a page where the awaited selector never appears fails too: safe,
    but a rendered board that drops to zero postings is reported as incomplete.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.listing_urls: set[str] = set()
        self.pending_listing_pages = 0

    @property
    def start_url(self) -> str:
        careers = self.company.keys.careers_url
        if not self.company.base_url:
            return careers
        parts = urlsplit(careers)
        return self.base_url + urlunsplit(("", "", parts.path, parts.query, ""))

    # -- rendering ----------------------------------------------------------------------

    @classmethod
    def settings_for(cls, company: Company, settings: BaseSettings) -> dict[str, Any]:
        """Playwright settings for a `render: true` company, nothing for the others.

        Only companies that need a browser start one; the company's own `settings` win.
        """
        if not getattr(company.keys, "render", False):
            return {}
        chromium = settings.get("PLAYWRIGHT_CHROMIUM_PATH") or DEFAULT_CHROMIUM
        return {k: v for k, v in playwright_settings(chromium).items() if k not in company.settings}

    @classmethod
    def update_settings(cls, settings: BaseSettings) -> None:
        super().update_settings(settings)
        company = getattr(cls, "company", None)  # unset on the platform class itself
        if company is not None:
            settings.setdict(cls.settings_for(company, settings), priority="spider")

    def page_meta(self, *, wait_for: str | None = None, listing: bool = False) -> dict[str, Any]:
        """Request meta that sends a page through the browser when the company renders.

        Listing pages wait for their first posting (`wait_for`) or, without a selector,
        for the network to go quiet; job pages wait for the load event.
        """
        if not self.company.keys.render:
            return {}
        meta: dict[str, Any] = {"playwright": True}
        if listing:
            method = (
                PageMethod("wait_for_selector", browser_selector(wait_for))
                if wait_for
                else PageMethod("wait_for_load_state", "networkidle")
            )
            meta["playwright_page_methods"] = [method]
        return meta

    # -- listing pages ------------------------------------------------------------------

    def listing_page(
        self,
        url: str,
        callback: Any,
        *,
        wait_for: str | None = None,
        accept: str = HTML_ACCEPT,
        render: bool = True,
        **kwargs: Any,
    ) -> scrapy.Request | None:
        """A listing page request, or None for a page already requested.

        Scrapy's duplicate filter is bypassed: a silently dropped listing request would
        leave the listing open forever. Each request counts until `listing_page_read()`.
        """
        key = urldefrag(url)[0]
        if key in self.listing_urls:
            return None
        if len(self.listing_urls) >= MAX_LISTING_PAGES:
            self.listing.fail(f"more than {MAX_LISTING_PAGES} listing pages; stopped at {url}")
            return None
        self.listing_urls.add(key)
        self.pending_listing_pages += 1
        meta = {**kwargs.pop("meta", {})}
        if render:
            meta.update(self.page_meta(wait_for=wait_for, listing=True))
        return self.listing_request(
            key, callback, headers={"Accept": accept}, meta=meta, dont_filter=True, **kwargs
        )

    def listing_page_read(self) -> None:
        """Call after a listing page was parsed and its follow-up pages were requested."""
        self.pending_listing_pages -= 1
        if self.pending_listing_pages == 0:
            self.listing.done()

    def listing_html(self, response: Response) -> bool:
        """Whether a listing page is a whole HTML document (else the listing fails)."""
        kind = response.headers.get(b"Content-Type", b"").decode("latin-1") or "no content type"
        if not isinstance(response, HtmlResponse):
            self.listing.fail(f"not an HTML page ({kind}) at {response.url}")
        elif not re.search(rb"</(?:html|body)\s*>", response.body[-4096:], re.IGNORECASE):
            self.listing.fail(f"page cut off (no </html> or </body>) at {response.url}")
        else:
            return True
        self.crawler.stats.inc_value("jobcrawler/listing/invalid_html")
        return False

    def no_postings_past_first_page(self, response: Response, first: bool) -> bool:
        """A later page without postings is an error page, not the end of the board."""
        if first:
            return False
        self.listing.fail(f"listing page shows no postings at {response.url}")
        return True

    def next_page_url(self, response: Response) -> str | None:
        """The absolute URL of the `next_page` link, if the page has one."""
        if not self.company.keys.next_page:
            return None
        href = first_value(response, self.company.keys.next_page, attribute="href")
        if not href or href.startswith(("#", "javascript:")):
            return None
        return response.urljoin(href)
