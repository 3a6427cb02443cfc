"""Posting URLs: only http(s) links are kept, read the way a browser reads them.

A board's entry is someone else's input, and whatever shows `apply_url` as a link would run
a `javascript:` or `data:` URL. Browsers drop leading and trailing control characters and
spaces and every tab and newline before they read the scheme (" JaVaScRiPt:", "java\\tscript:"
are both `javascript:`), so the check does the same. A relative URL (no scheme) resolves
against the page showing it, which is http(s), so it is kept as it is; spiders make their
links absolute, and the validate stage still requires an absolute http(s) `url`.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

#: The URL fields of a posting.
URL_FIELDS = ("url", "apply_url")
_SCHEMES = frozenset(("http", "https"))
_EDGES = "".join(map(chr, range(0x21)))  # C0 controls and space
_TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def safe_url(value: Any) -> str | None:
    """The URL with browser-ignored characters removed, or None unless it is http(s) or
    relative; also None when it is not text or still holds control characters."""
    if not isinstance(value, str):
        return None
    url = _TAB_OR_NEWLINE.sub("", value.strip(_EDGES))
    if not url or _CONTROL.search(url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return None
    if not parts.scheme:
        return url
    if parts.scheme.lower() in _SCHEMES and parts.netloc:
        return url
    return None


def http_url(value: Any) -> str | None:
    """`safe_url`, but only an absolute http(s) URL: the link a posting is shown by."""
    url = safe_url(value)
    return url if url is not None and urlsplit(url).scheme else None
