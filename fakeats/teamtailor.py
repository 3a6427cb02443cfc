"""Teamtailor public RSS feed (`{tenant}.teamtailor.com/jobs.rss`).

Quirks reproduced: served on the tenant's own host (here `/teamtailor/{token}/jobs.rss`);
the first 100 items unless `per_page` asks for more (or fewer), capped at 500; `page` is
ignored; `offset` skips items; `description` is entity-escaped HTML; `pubDate` in RFC 2822
with the tenant's UTC offset; the job id only inside `link` (`/jobs/{id}-{slug}`), `guid`
a UUID; `remoteStatus` `fully`/`hybrid`/`temporary`/`none`; locations, department and role
in the `tt:` namespace (fully remote jobs may have no location at all); no salary or
employment type field.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta, timezone
from email.utils import format_datetime
from html import escape

from . import vocab
from .base import Platform, Request, Response, Route
from .boards import Board
from .postings import Posting
from .xmlfeeds import DECLARATION, bullets, closing_with_pay, element, html_not_found, paragraphs

RSS_TYPE = "application/rss+xml; charset=utf-8"
NAMESPACE = uuid.UUID("3d0c5f7a-8b21-4e9c-a6d4-5f1e2c7b9a30")
TT_NAMESPACE = "https://teamtailor.com/locations"
ID_BASE = 7_000_000
DEFAULT_PER_PAGE = 100
MAX_PER_PAGE = 500
UTC_OFFSETS = (0, 1, 2, 3)  # hours; one per board, as the tenant's time zone


def _int(value: str | None, default: int, minimum: int) -> int:
    """A query integer; missing, malformed or too small values give the default."""
    try:
        number = int(value) if value else default
    except ValueError:
        return default
    return number if number >= minimum else default


def _paging(request: Request) -> tuple[int, int]:
    """(offset, per_page) as the feed reads them: `page` is not looked at."""
    per_page = min(_int(request.query.get("per_page"), DEFAULT_PER_PAGE, 1), MAX_PER_PAGE)
    return _int(request.query.get("offset"), 0, 0), per_page


def _remote_status(p: Posting) -> str:
    if p.workplace == "remote":
        return "fully"
    if p.workplace == "hybrid":
        return "temporary" if p.variant % 5 == 0 else "hybrid"
    return "none"


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def _location(place: vocab.Place) -> str:
    fields = (
        element("tt:name", place.office),
        element("tt:address", place.office_location),
        element("tt:zip", None),
        element("tt:city", place.city),
        element("tt:country", place.country),
    )
    return "<tt:location>" + "".join(fields) + "</tt:location>"


class Teamtailor(Platform):
    name = "teamtailor"
    tenant_prefix = True

    def routes(self) -> Sequence[Route]:
        return (Route("/teamtailor/{token}/jobs.rss", "list", self.feed),)

    def external_id(self, seed: int, index: int) -> str:
        """The numeric id of the job link: 7,000,000 + (seed % 100) * 100,000 + index."""
        return str(ID_BASE + (seed % 100) * 100_000 + index)

    def page_of(self, request: Request) -> int:
        offset, per_page = _paging(request)
        return offset // per_page

    def not_found(self, request: Request, kind: str) -> Response:
        return html_not_found()

    def feed(self, request: Request, board: Board) -> Response:
        offset, per_page = _paging(request)
        items: list[str] = []
        if not request.empty:
            items = board.render_cached("rss", lambda ps: [self.item(p, board) for p in ps])
        company = escape(board.company)
        body = (
            f'{DECLARATION}<rss version="2.0" xmlns:tt="{TT_NAMESPACE}"><channel>'
            f"<title>{company}</title><link>https://{escape(board.token)}.teamtailor.com/jobs</link>"
            f"<description>Jobs at {company}</description>\n"
            + "".join(items[offset : offset + per_page])
            + "</channel></rss>\n"
        )
        return Response(200, body.encode(), RSS_TYPE)

    def item(self, p: Posting, board: Board) -> str:
        zone = timezone(timedelta(hours=UTC_OFFSETS[board.seed % len(UTC_OFFSETS)]))
        published = datetime.fromtimestamp(p.created_ms / 1000, UTC).astimezone(zone)
        link = f"https://{board.token}.teamtailor.com/jobs/{p.external_id}-{_slug(p.title)}"
        places = () if p.workplace == "remote" and p.variant % 4 == 0 else p.places
        locations = "".join(_location(place) for place in places)
        fields = (
            element("title", p.title),
            element("description", self._description(p)),
            element("pubDate", format_datetime(published.replace(microsecond=0))),
            element("link", link),
            element("remoteStatus", _remote_status(p)),
            element("guid", str(uuid.uuid5(NAMESPACE, f"{board.seed}/{p.external_id}"))),
            f"<tt:locations>{locations}</tt:locations>" if locations else "<tt:locations/>",
            element("tt:department", p.department),
            element("tt:role", p.team),
        )
        return "<item>" + "".join(fields) + "</item>\n"

    def _description(self, p: Posting) -> str:
        """HTML (escaped once more by `element`, as the feed sends it)."""
        d = p.description()
        parts = [paragraphs(d.intro)]
        for heading, items in d.sections:
            parts.append(f"<h3>{escape(heading, quote=False)}</h3>{bullets(items)}")
        parts.append(paragraphs(closing_with_pay(p)))
        return "".join(parts)


FAKE = Teamtailor()
