"""Job description HTML: sanitized for storage, Markdown for reading, plain text for inference."""

from __future__ import annotations

import html
import re

import nh3
from html_to_markdown import convert

# Structure only: no scripts, styles, event handlers, classes or inline styles survive.
_TAGS = frozenset(
    {"p", "br", "hr", "div", "ul", "ol", "li", "blockquote", "code", "pre"}
    | {"strong", "em", "b", "i", "u", "a", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"table", "thead", "tbody", "tfoot", "tr", "th", "td"}
)
_ATTRIBUTES = {"a": {"href"}}
# Links a reader may follow: not ammonia's default list (tel:, sms:, magnet:, ftp:...).
_URL_SCHEMES = frozenset(("http", "https", "mailto"))
_DROP_WITH_CONTENT = frozenset(("script", "style"))

_SCRIPT_STYLE = re.compile(r"<(script|style)\b[^>]*>.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<!--.*?-->", re.DOTALL)
_SPACE = re.compile(r"\s+")


def sanitize_html(html_text: str | None) -> str | None:
    """Safe HTML that keeps the description's structure; None when nothing readable is left."""
    if not html_text:
        return None
    cleaned = nh3.clean(
        html_text,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        clean_content_tags=_DROP_WITH_CONTENT,
        url_schemes=_URL_SCHEMES,
    ).strip()
    return cleaned if html_to_text(cleaned) else None


def html_to_markdown(html_text: str | None) -> str | None:
    """Markdown rendering of the description; None when empty. Pass sanitized HTML."""
    if not html_text:
        return None
    return convert(html_text).content.strip() or None


def unescape_html(text: str | None) -> str | None:
    """Decode entity-escaped HTML (Greenhouse sends "&lt;p&gt;...")."""
    return html.unescape(text) if text is not None else None


def html_to_text(html_text: str | None) -> str:
    """Cheap plain text for salary and remote inference; also copes with escaped HTML."""
    if not html_text:
        return ""
    text = html.unescape(html_text)
    text = _TAG.sub(" ", _SCRIPT_STYLE.sub(" ", text))
    return _SPACE.sub(" ", text).strip()
