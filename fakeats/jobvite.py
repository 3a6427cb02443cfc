"""Jobvite career pages and XML feed, served under `/jobvite/{token}` for both hosts
(`jobs.jobvite.com` and `app.jobvite.com`).

Quirks reproduced: the board page `/{board}` is HTML (`.jv-job-list` rows) whose inline
script sets `companyEId: '...'`; without `?fr=true&nl=1` it 302s to the company's own
site, as branded boards do. The feed `/CompanyJobs/Xml.aspx?c={companyEId}` is one
unpaginated `<result>` document (another `c` is a 404), with `<date>` as M/D/YYYY,
CDATA `http:` URLs, full HTML descriptions in CDATA, and `&amp;` in some categories;
a board without jobs answers a 302 to `NoJobs.htm`, not an empty `<result/>`.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Sequence
from html import escape
from typing import Any

from .base import HTML_TYPE, Platform, Request, Response, Route
from .boards import Board
from .postings import Posting
from .sites import description_html, html_response, page_html
from .xmlfeeds import DECLARATION, cdata, element, html_not_found

XML_TYPE = "text/xml; charset=utf-8"
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
JOB_TYPES = {
    "full_time": "Full-Time",
    "part_time": "Part-Time",
    "contract": "Contractor",
    "intern": "Intern",
    "temporary": "Temporary",
}


def company_eid(token: str) -> str:
    """The opaque `companyEId` of a board (`q` + 7 characters, like Jobvite's)."""
    digest = hashlib.sha256(token.encode()).digest()
    return "q" + "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:7])


def _us_date(ms: int) -> str:
    day = time.gmtime(ms // 1000)
    return f"{day.tm_mon}/{day.tm_mday}/{day.tm_year}"


class Jobvite(Platform):
    name = "jobvite"
    tenant_prefix = True

    def routes(self) -> Sequence[Route]:
        prefix = "/jobvite/{token}"
        return (
            Route(f"{prefix}/{{board}}", "list", self.board_page),
            Route(f"{prefix}/CompanyJobs/Xml.aspx", "list", self.feed),
            Route(f"{prefix}/CompanyJobs/NoJobs.htm", "detail", self.no_jobs),
        )

    def external_id(self, seed: int, index: int) -> str:
        """`o` + 7 characters, like Jobvite's job ids (`oAbc123x`)."""
        digest = hashlib.sha256(f"{seed}/{index}".encode()).digest()
        return "o" + "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:7])

    def not_found(self, request: Request, kind: str) -> Response:
        return html_not_found()

    def board_page(self, request: Request, board: Board) -> Response:
        if request.params["board"] != board.token:
            return self.not_found(request, "list")
        if request.query.get("fr") != "true" or request.query.get("nl") != "1":
            return Response(
                302, b"", HTML_TYPE, {"Location": f"https://www.{board.token}.com/careers"}
            )
        postings = [] if request.empty else board.postings()
        rows = "".join(
            f'<tr><td class="jv-job-list-name"><a href="/{board.token}/job/{p.external_id}">'
            f'{escape(p.title)}</a></td><td class="jv-job-list-location">'
            f"{escape(p.place.name)}</td></tr>"
            for p in postings
        )
        script = (
            "<script>var jvConfig = { companyEId: '"
            + company_eid(board.token)
            + "', companyName: '"
            + escape(board.company)
            + "' };</script>"
        )
        body = f'<table class="jv-job-list"><tbody>{rows}</tbody></table>'
        return html_response(page_html(f"{board.company} Careers", body, head=script))

    def feed(self, request: Request, board: Board) -> Response:
        if request.query.get("c") != company_eid(board.token):
            return self.not_found(request, "list")
        postings = [] if request.empty else board.postings()
        if not postings:
            return Response(302, b"", HTML_TYPE, {"Location": "NoJobs.htm"})
        jobs = board.render_cached("feed", lambda found: [self.job(p, board) for p in found])
        document = DECLARATION + "<result>" + "".join(jobs) + "</result>\n"
        return Response(200, document.encode(), XML_TYPE)

    def no_jobs(self, request: Request, board: Board) -> Response:
        main = "<p>There are currently no open jobs.</p>"
        return html_response(page_html("No jobs", main))

    def job(self, p: Posting, board: Board) -> str:
        page = f"http://jobs.jobvite.com/{board.token}/job/{p.external_id}"
        category = p.department.replace("&", "&amp;") if p.variant % 2 else p.department
        parts: list[Any] = [
            element("id", p.external_id),
            element("title", p.title),
            element("requisitionid", f"REQ-{p.index:05d}"),
            element("category", category),
            element("jobtype", JOB_TYPES[p.employment]),
            element("location", p.place.name),
            element("date", _us_date(p.created_ms)),
            f"<detail-url>{cdata(page)}</detail-url>",
            f"<apply-url>{cdata(page + '/apply?nl=0')}</apply-url>",
            f"<briefdescription>{cdata(p.description().intro[0][:160])}</briefdescription>",
            f"<description>{cdata(description_html(p, pay_prose=True))}</description>",
        ]
        return "<job>" + "".join(parts) + "</job>"


FAKE = Jobvite()
