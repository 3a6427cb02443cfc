"""Markup helpers shared by the XML-feed and HTML-page platforms (Personio XML, Teamtailor RSS,
JazzHR, UKG, Paylocity, HRMDirect)."""

from __future__ import annotations

import html
from collections.abc import Sequence
from xml.sax.saxutils import escape

from .base import HTML_TYPE, Response
from .postings import Posting

DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'


def element(tag: str, text: str | None) -> str:
    """`<tag>text</tag>` with the text escaped; `<tag/>` when there is no text."""
    return f"<{tag}>{escape(text)}</{tag}>" if text else f"<{tag}/>"


def cdata(text: str) -> str:
    """A CDATA section; a `]]>` inside is split across two sections, as XML requires."""
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def html_not_found() -> Response:
    """Tenant hosts answer unknown boards with their HTML 404 page, not an error document."""
    page = b"<!DOCTYPE html><html><head><title>Page not found</title></head><body></body></html>"
    return Response(404, page, HTML_TYPE)


def paragraphs(texts: Sequence[str]) -> str:
    return "".join(f"<p>{html.escape(text, quote=False)}</p>" for text in texts)


def bullets(items: Sequence[str]) -> str:
    return "<ul>" + "".join(f"<li>{html.escape(i, quote=False)}</li>" for i in items) + "</ul>"


def closing_with_pay(p: Posting) -> list[str]:
    """Closing paragraphs; these feeds have no salary field, so any pay is stated as prose."""
    closing = list(p.description().closing)
    if p.salary is not None and p.salary_structured:  # prose-only salaries are there already
        closing.insert(0, p.salary.prose(p.variant))
    return closing


def headed_description(p: Posting, tag: str = "strong") -> str:
    """Intro paragraphs, each section as a `<p><tag>heading</tag></p>` and its bullets, then
    the closing (with any pay as prose): the editor markup of the HTML-page platforms."""
    d = p.description()
    parts = [paragraphs(d.intro)]
    for heading, items in d.sections:
        parts.append(f"<p><{tag}>{html.escape(heading, quote=False)}</{tag}></p>{bullets(items)}")
    parts.append(paragraphs(closing_with_pay(p)))
    return "".join(parts)
