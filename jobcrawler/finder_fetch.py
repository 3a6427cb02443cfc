"""Fetching one careers page for `jobcrawler.finder`, with errors phrased for people.

Plain urllib on purpose: `find` runs once from the command line, outside Scrapy's reactor.
"""

from __future__ import annotations

import http.client
import socket
import urllib.error
import urllib.request
from email.message import Message
from typing import IO

from jobcrawler import __version__

USER_AGENT = f"jobcrawler/{__version__} (+https://github.com/jobcrawler/jobcrawler)"
#: Careers pages are small; a cap keeps a mistaken URL (a video, a dump) from eating memory.
MAX_BYTES = 5_000_000

#: What a failed fetch can raise: socket and HTTP errors, and ValueError for unusable URLs.
FETCH_ERRORS = (OSError, ValueError, http.client.HTTPException)


class _Arrived(Exception):
    """Raised inside urllib's redirect handling to stop at a known ATS board URL."""

    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


class _StopAtKnownBoard(urllib.request.HTTPRedirectHandler):
    """Follows redirects, except to a URL that already names the board.

    That URL says everything, and ATS pages often block crawlers or need JavaScript,
    so fetching it could only turn a finding into an error.
    """

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: Message,
        newurl: str,
    ) -> urllib.request.Request | None:
        from jobcrawler.finder import is_complete  # late: finder imports this module

        if is_complete(newurl):
            fp.close()
            raise _Arrived(newurl)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


def fetch_page(url: str, timeout: float = 15) -> tuple[str, str]:
    """GET `url` following redirects; returns (final URL, page text). Raises FETCH_ERRORS.

    A redirect to a known ATS board ends the fetch there, with an empty page.
    """
    request = urllib.request.Request(
        url, headers={"User-Agent": USER_AGENT, "Accept": "text/html,application/xhtml+xml,*/*"}
    )
    opener = urllib.request.build_opener(_StopAtKnownBoard)
    try:
        with opener.open(request, timeout=timeout) as response:
            body = response.read(MAX_BYTES)
            charset = response.headers.get_content_charset() or "utf-8"
            final_url = response.geturl()
    except _Arrived as arrived:
        return arrived.url, ""
    try:
        text = body.decode(charset, errors="replace")
    except LookupError:  # an unknown charset name in the header
        text = body.decode("utf-8", errors="replace")
    return final_url, text


def describe_error(error: BaseException) -> str:
    """One line saying what went wrong, without a traceback."""
    if isinstance(error, urllib.error.HTTPError):
        return f"HTTP {error.code} {error.reason}".rstrip()
    if isinstance(error, urllib.error.URLError):
        return (
            describe_error(error.reason)
            if isinstance(error.reason, BaseException)
            else str(error.reason)
        )
    if isinstance(error, TimeoutError):
        return "timed out"
    if isinstance(error, socket.gaierror):
        return f"cannot resolve host name ({error.strerror})"
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    return str(error) or type(error).__name__
