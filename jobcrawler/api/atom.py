"""Atom feeds of postings: one per company (`app.company_feed`) and one per saved search
(`searches.search_feed`, with the search's own `PostingFilter`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any
from xml.etree import ElementTree as ET

from fastapi import Request, Response
from sqlalchemy import Connection

from jobcrawler.api import queries
from jobcrawler.db.filters import PostingFilter

ATOM = "http://www.w3.org/2005/Atom"
#: Postings per feed: the newest first seen.
FEED_SIZE = 50
#: The OpenAPI description of a feed endpoint's answer.
FEED_RESPONSE = {200: {"content": {"application/atom+xml": {}}}}


def postings_feed(request: Request, conn: Connection, title: str, where: PostingFilter) -> Response:
    """The Atom answer at `request`'s URL: the FEED_SIZE newest postings `where` keeps."""
    query = queries.search(conn.dialect.name, where, "-first_seen", FEED_SIZE)
    rows = conn.execute(query).all()[:FEED_SIZE]
    url = str(request.url)
    return Response(atom_feed(url, title, url, rows), media_type="application/atom+xml")


def atom_feed(feed_id: str, title: str, link: str, rows: Sequence[Any]) -> bytes:
    """The feed of `rows` (search rows, newest first): one entry per posting."""
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    _text(feed, "id", feed_id)
    _text(feed, "title", title)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", href=link)
    updated = max((r.first_seen_at for r in rows), default=datetime(1970, 1, 1, tzinfo=UTC))
    _text(feed, "updated", updated.isoformat())
    for row in rows:
        entry = ET.SubElement(feed, f"{{{ATOM}}}entry")
        _text(entry, "id", f"{feed_id}/postings/{row.id}")
        _text(entry, "title", row.title or row.external_id)
        _text(entry, "updated", row.first_seen_at.isoformat())
        if row.url:
            ET.SubElement(entry, f"{{{ATOM}}}link", href=row.url)
        place = ", ".join(p for p in (row.location, row.remote_type) if p)
        _text(entry, "summary", f"{row.company}: {place}" if place else row.company)
        author = ET.SubElement(entry, f"{{{ATOM}}}author")
        _text(author, "name", row.company)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)


def _text(parent: ET.Element, tag: str, value: str) -> None:
    ET.SubElement(parent, f"{{{ATOM}}}{tag}").text = _xml_safe(value)


def _xml_safe(value: str) -> str:
    """XML 1.0 cannot carry most control characters, which scraped titles may hold."""
    return "".join(c for c in value if c in "\t\n\r" or c >= " ")
