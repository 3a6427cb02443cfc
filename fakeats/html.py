"""Fake careers site read with selectors (`html`).

`html` quirks: a paged list of `li.opening` items (id in `data-job-id`, title link,
location, department, `<time datetime>`), and a job page with the description,
employment type and team; pay only as prose.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from typing import Any

from .base import Request, Route
from .boards import Board
from .postings import Posting
from .sites import (
    Site,
    date,
    date_text,
    description_html,
    page_html,
)

EMPLOYMENT_LABELS = {
    "full_time": "Full-time",
    "part_time": "Part-time",
    "contract": "Contract",
    "intern": "Internship",
    "temporary": "Temporary",
}


#: The selectors that read this site (list items, then the job page's `detail_*`).
SELECTORS = {
    "item": "li.opening",
    "id": "xpath:@data-job-id",
    "title": ".opening-title a::text",
    "url": ".opening-title a",
    "location": ".opening-location",
    "department": ".opening-department::text",
    "posted_at": "time",
    "detail_description": "div.posting-description",
    "detail_employment_type": ".posting-type::text",
    "detail_team": ".posting-team",
}
NEXT = "xpath://a[@rel='next']/@href"


class HtmlSite(Site):
    name = "html"
    id_base = 6_000_000
    list_path = "jobs"
    item_template = (
        '<li class="opening" data-job-id="{id}">'
        '<h3 class="opening-title"><a href="{href}">{title}</a></h3>'
        '<p class="opening-meta"><span class="opening-location">{location}</span> · '
        '<span class="opening-department">{department}</span></p>'
        '<time class="opening-date" datetime="{date}">Posted {date_text}</time></li>'
    )

    def company_keys(self, token: str) -> dict[str, Any]:
        """The paged list with detail pages (so missing postings are checked)."""
        return {
            "careers_url": "https://acme.example/jobs",
            "next_page": NEXT,
            "selectors": SELECTORS,
        }

    def routes(self) -> Sequence[Route]:
        prefix = f"/{self.name}/{{token}}"
        return (
            Route(f"{prefix}/jobs", "list", self.index),
            Route(f"{prefix}/jobs-js", "list", self.js_index),
            self.job_route(self.job_page),
            Route(f"{prefix}/about", "other", self.other_page),
            Route(f"{prefix}/privacy", "other", self.other_page),
        )

    def item_values(self, p: Posting, board: Board, request: Request) -> dict[str, str]:
        return {
            "id": p.external_id,
            "href": f"{self.prefix(board)}/jobs/{p.external_id}",
            "title": p.title,
            "location": "; ".join(place.name for place in p.places),
            "department": p.department,
            "date": date(p.created_ms),
            "date_text": date_text(p.created_ms),
        }

    def job_page(self, p: Posting, board: Board, request: Request) -> str:
        facts = (
            f'<li class="posting-location">{escape(p.place.name)}</li>'
            f'<li class="posting-type">{EMPLOYMENT_LABELS[p.employment]}</li>'
            f'<li class="posting-team">{escape(p.team)}</li>'
        )
        main = (
            f'<article class="posting"><h1 class="posting-title">{escape(p.title)}</h1>'
            f'<ul class="posting-facts">{facts}</ul>'
            f'<div class="posting-description">{description_html(p, pay_prose=True)}</div>'
            f'<a class="posting-apply" href="{self.prefix(board)}/jobs/{p.external_id}/apply">'
            "Apply</a></article>"
        )
        return page_html(f"{p.title} – {board.company}", self.chrome(board, main))


FAKE = HtmlSite()
