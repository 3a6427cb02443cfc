"""The Scrapy settings a company's `settings:` may set: an allow-list, each with its type.

Anyone who can add a file to the catalog (`JOBCRAWLER_COMPANIES_DIR`, `find --write`) must
not get a Scrapy setting's full power: `FEEDS` writes files anywhere, `TELNETCONSOLE_ENABLED`
opens a port, `ITEM_PIPELINES` or `PLAYWRIGHT_LAUNCH_OPTIONS` run other code,
`JOBCRAWLER_RECORD` or `DATABASE_URL` change what is written where. A company tunes only
how politely and how patiently its own crawl runs; a misspelled name is an error, not a
setting silently ignored.
"""

from __future__ import annotations

import difflib
from typing import Annotated

from pydantic import ConfigDict, Field, StringConstraints, with_config
from typing_extensions import TypedDict

Seconds = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Count = Annotated[int, Field(ge=0)]
AtLeastOne = Annotated[int, Field(ge=1)]
# one header line: no CR/LF that would start another header
HeaderText = Annotated[str, StringConstraints(min_length=1, pattern=r"^[^\r\n\x00]*$")]
HttpStatus = Annotated[int, Field(ge=100, le=599)]


@with_config(ConfigDict(extra="forbid", strict=True))
class CompanySettings(TypedDict, total=False):
    """The allow-list (README, "Company YAML"). Values are type-checked: no "2" for 2."""

    # delays and pace
    DOWNLOAD_DELAY: Seconds
    DOWNLOAD_DELAY_JITTER: Seconds
    HOST_DELAY: Seconds
    AUTOTHROTTLE_ENABLED: bool
    AUTOTHROTTLE_START_DELAY: Seconds
    AUTOTHROTTLE_MAX_DELAY: Seconds
    AUTOTHROTTLE_TARGET_CONCURRENCY: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    # concurrency
    CONCURRENT_REQUESTS: AtLeastOne
    CONCURRENT_REQUESTS_PER_DOMAIN: AtLeastOne
    # robots.txt and how requests look
    ROBOTSTXT_OBEY: bool
    USER_AGENT: HeaderText
    DEFAULT_REQUEST_HEADERS: dict[HeaderText, HeaderText]
    COOKIES_ENABLED: bool
    # retries
    RETRY_TIMES: Count
    RETRY_HTTP_CODES: list[HttpStatus]
    RETRY_AFTER_MAX: Seconds
    # timeouts and sizes
    DOWNLOAD_TIMEOUT: Annotated[float, Field(gt=0, allow_inf_nan=False)]
    DOWNLOAD_MAXSIZE: Count
    DOWNLOAD_WARNSIZE: Count
    # rendering (`render: true`); the browser itself is the operator's choice
    PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT: Seconds  # milliseconds
    PLAYWRIGHT_MAX_PAGES_PER_CONTEXT: AtLeastOne


ALLOWED_SETTINGS: tuple[str, ...] = tuple(CompanySettings.__annotations__)


def not_allowed(name: object) -> str:
    """The message for a setting outside the allow-list, with the likely intended one."""
    close = difflib.get_close_matches(str(name)[:100], ALLOWED_SETTINGS, n=1, cutoff=0.85)
    if close:
        return f"setting not allowed for a company; did you mean {close[0]}?"
    return f"setting not allowed for a company (allowed: {', '.join(ALLOWED_SETTINGS)})"
