"""Personio XML feed (`{tenant}.jobs.personio.de/xml?language=en`).

Quirks reproduced: served on the tenant's own host (here `/personio/{token}/xml`); the whole
board in one `<workzag-jobs>` document, one `<position>` per job; `<name>` is the job title
and also the heading of every description section (`jobDescriptions/jobDescription`), whose
HTML comes in CDATA; the contract (`employmentType`: permanent, intern, trainee, freelance,
temporary) and the hours (`schedule`) are separate fields; no URL, remote or salary field
(pay only as prose in the description); `text/xml` or `application/xml` depending on the
tenant; unknown tenants get the HTML 404 page.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from .base import Platform, Request, Response, Route
from .boards import Board
from .postings import Posting
from .xmlfeeds import (
    DECLARATION,
    bullets,
    cdata,
    closing_with_pay,
    element,
    html_not_found,
    paragraphs,
)

ID_BASE = 1_000_000
CONTENT_TYPES = ("text/xml; charset=UTF-8", "application/xml; charset=utf-8")
CONTRACTS = {
    "full_time": ("permanent",),
    "part_time": ("permanent",),
    "contract": ("freelance",),
    "intern": ("intern", "trainee"),
    "temporary": ("temporary",),
}
# department -> (occupation, occupationCategory), Personio's snake_case vocabulary
OCCUPATIONS: dict[str, tuple[str, str]] = {
    "Engineering": ("software_and_web_development", "it_software"),
    "Product": ("product_management", "it_software"),
    "Sales": ("sales_management", "sales"),
    "Marketing": ("online_marketing", "marketing_and_advertising"),
    "Customer Success": ("customer_service", "customer_service_and_support"),
    "Data": ("data_science_and_analytics", "it_software"),
    "People & Operations": ("human_resources", "administration_and_hr"),
}
ABOUT_TITLES = ("About us", "Who we are", "About {company}")
CLOSING_TITLES = ("Interested?", "Your application", "Sounds like you?")


def _seniority(p: Posting) -> tuple[str, str]:
    """(seniority, yearsOfExperience) read off the title's level."""
    if p.employment == "intern":
        return "student", "lt-1"
    if p.title.startswith("Junior"):
        return "entry-level", "1-2"
    if p.title.startswith(("Staff", "Principal", "Lead")):
        return "executive" if p.variant % 7 == 0 else "experienced", "7-10"
    return "experienced", ("2-5", "5-7")[p.variant % 2]


class Personio(Platform):
    name = "personio"
    tenant_prefix = True

    def routes(self) -> Sequence[Route]:
        return (Route("/personio/{token}/xml", "list", self.feed),)

    def external_id(self, seed: int, index: int) -> str:
        """Seven-digit integers: 1,000,000 + (seed % 100) * 100,000 + index."""
        return str(ID_BASE + (seed % 100) * 100_000 + index)

    def not_found(self, request: Request, kind: str) -> Response:
        return html_not_found()

    def feed(self, request: Request, board: Board) -> Response:
        content_type = CONTENT_TYPES[board.seed % len(CONTENT_TYPES)]
        if request.empty:
            return Response(200, (DECLARATION + "<workzag-jobs/>\n").encode(), content_type)

        def render(postings: list[Posting]) -> bytes:
            positions = "".join(self.position(p) for p in postings)
            return f"{DECLARATION}<workzag-jobs>\n{positions}</workzag-jobs>\n".encode()

        return Response(200, board.render_cached("xml", render), content_type)

    def position(self, p: Posting) -> str:
        seniority, years = _seniority(p)
        occupation, category = OCCUPATIONS[p.department]
        primary = p.place.office
        others = [o for o in dict.fromkeys(place.office for place in p.places[1:]) if o != primary]
        additional = "".join(element("office", office) for office in others)
        contracts = CONTRACTS[p.employment]
        fields = [
            element("id", p.external_id),
            element("subcompany", f"{p.company} GmbH" if p.variant % 3 else None),
            element("office", primary),
            f"<additionalOffices>{additional}</additionalOffices>" if additional else "",
            element("department", p.department),
            element("recruitingCategory", p.team),
            element("name", p.title),
            f"<jobDescriptions>{self._sections(p)}</jobDescriptions>",
            element("employmentType", contracts[p.variant % len(contracts)]),
            element("seniority", seniority),
            element("schedule", "part-time" if p.employment == "part_time" else "full-time"),
            element("yearsOfExperience", years),
            element("keywords", f"{p.team},{p.department}" if p.variant % 4 == 0 else None),
            element("occupation", occupation),
            element("occupationCategory", category),
            element("createdAt", _iso_utc(p.created_ms)),
        ]
        return "  <position>\n    " + "\n    ".join(f for f in fields if f) + "\n  </position>\n"

    def _sections(self, p: Posting) -> str:
        d = p.description()
        about = ABOUT_TITLES[p.variant % 3].format(company=p.company)
        sections = [(about, paragraphs(d.intro))]
        sections += [(heading, bullets(items)) for heading, items in d.sections]
        sections.append((CLOSING_TITLES[p.variant % 3], paragraphs(closing_with_pay(p))))
        return "".join(
            f"<jobDescription><name>{cdata(name)}</name><value>{cdata(value)}</value>"
            "</jobDescription>"
            for name, value in sections
        )


def _iso_utc(ms: int) -> str:
    """Personio style: '2024-11-13T14:10:41+00:00'."""
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ms // 1000))


FAKE = Personio()
