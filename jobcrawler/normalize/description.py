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


def sanitize_html(html_text: str | None) -> str | None:
    """Safe HTML that keeps the description's structure; None when nothing readable is left."""
    return describe(html_text)[0]


def describe(html_text: str | None) -> tuple[str | None, str]:
    """(`sanitize_html`, `html_to_text` of it): the plain text is worked out once per posting,
    for the emptiness check here and for salary inference later."""
    if not html_text:
        return None, ""
    cleaned = nh3.clean(
        html_text,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        clean_content_tags=_DROP_WITH_CONTENT,
        url_schemes=_URL_SCHEMES,
    ).strip()
    text = html_to_text(cleaned)
    return (cleaned, text) if text else (None, "")


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
    if "<" in text:  # no tag, script or comment without one
        text = _TAG.sub(" ", _SCRIPT_STYLE.sub(" ", text))
    # What re.sub(r"\s+", " ", text).strip() gives (str.split's whitespace is \s), 3x faster.
    return " ".join(text.split())
