"""What the fake careers sites (`jsonld`, `html`) share: paged lists, the JS variant, HTML 404s.

Both are served on a tenant prefix (`/jsonld/{token}`, `/html/{token}`), like a company's
own careers host; links and sitemap `<loc>`s use the host the request came to.

JS-rendered variants (`careers-js`, `jobs-js`): the whole list is an inline JSON array
that a script turns into the same markup 300 ms after load, so a plain HTTP client sees
no postings at all.
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Callable
from html import escape
from typing import Any

from .base import HTML_TYPE, Platform, Request, Response, Route
from .boards import Board
from .postings import Posting
from .xmlfeeds import bullets, closing_with_pay, html_not_found, paragraphs

PAGE_SIZE = 10
JS_DELAY_MS = 300
_JS = """<script>
(function () {
  var template = %(template)s;
  var entities = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;"};
  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) { return entities[c]; });
  }
  setTimeout(function () {
    var jobs = JSON.parse(document.getElementById("jobs-data").textContent);
    document.getElementById("jobs").innerHTML = jobs.map(function (job) {
      return template.replace(/\\{(\\w+)\\}/g, function (match, key) {
        return escapeHtml(job[key] == null ? "" : job[key]);
      });
    }).join("");
    document.getElementById("loading").remove();
  }, %(delay)d);
})();
</script>"""


def script_json(data: Any) -> str:
    """JSON safe inside a <script> element (`</` cannot close it)."""
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")


def page_html(title: str, body: str, head: str = "") -> str:
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{head}</head>\n<body>{body}</body></html>\n"
    )


def html_response(markup: str) -> Response:
    return Response(200, markup.encode(), HTML_TYPE)


def date(ms: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(ms // 1000))


def datetime_text(ms: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime(ms // 1000))


def date_text(ms: int) -> str:
    """'4 Mar 2025', as the list shows it."""
    day = time.gmtime(ms // 1000)
    return f"{day.tm_mday} {time.strftime('%b %Y', day)}"


def description_html(p: Posting, *, pay_prose: bool) -> str:
    """HTML; sites without a salary field (`pay_prose`) state structured pay as prose."""
    d = p.description()
    parts = [paragraphs(d.intro)]
    parts += [f"<h3>{escape(h, quote=False)}</h3>{bullets(items)}" for h, items in d.sections]
    parts.append(paragraphs(closing_with_pay(p) if pay_prose else d.closing))
    return "".join(parts)


class Site(Platform):
    """What both fake careers sites share: paged lists, the JS variant, HTML 404s."""

    tenant_prefix = True
    id_base = 0
    list_path = ""  # the list's path under the tenant prefix
    list_title = "Open positions"
    #: markup of one list entry; `{key}`s are filled (escaped) by Python or by the JS variant
    item_template = ""

    def external_id(self, seed: int, index: int) -> str:
        return str(self.id_base + (seed % 100) * 100_000 + index)

    def not_found(self, request: Request, kind: str) -> Response:
        return html_not_found()

    def page_of(self, request: Request) -> int:
        """0-based: `?page=N` is 1-based on these sites; `jobs-N.xml` sitemaps are page N."""
        name = request.params.get("file", "")
        if name.startswith("jobs-") and name.endswith(".xml"):
            return _number(name[5:-4], 0)
        return max(_number(request.query.get("page"), 1), 1) - 1

    def prefix(self, board: Board) -> str:
        return f"/{self.name}/{board.token}"

    def origin(self, request: Request) -> str:
        return "http://" + request.headers.get("host", "localhost")

    def item_values(self, p: Posting, board: Board, request: Request) -> dict[str, str]:
        raise NotImplementedError

    def entries(self, request: Request, board: Board) -> list[dict[str, str]]:
        if request.empty:
            return []
        origin = self.origin(request)
        return board.render_cached(
            ("entries", origin), lambda ps: [self.item_values(p, board, request) for p in ps]
        )

    def fill(self, values: dict[str, str]) -> str:
        return self.item_template.format(**{k: escape(v) for k, v in values.items()})

    def chrome(self, board: Board, main: str) -> str:
        """A page body: navigation with links that are not jobs, the content, a footer."""
        prefix = self.prefix(board)
        return (
            f'<header><nav><a href="{prefix}/about">About us</a> '
            f'<a href="{prefix}/{self.list_path}">Careers</a></nav></header>\n'
            f"<main>{main}</main>\n"
            f'<footer><a href="{prefix}/privacy">Privacy</a> '
            f'<img src="{prefix}/static/logo.png" alt="{escape(board.company)}"></footer>'
        )

    def index(self, request: Request, board: Board) -> Response:
        """One page of the list, with a Next link until the last page."""
        entries = self.entries(request, board)
        page = self.page_of(request) + 1
        pages = max(1, math.ceil(len(entries) / PAGE_SIZE))
        shown = entries[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        items = "\n".join(self.fill(values) for values in shown)
        listing = (
            f'<ul class="jobs">\n{items}\n</ul>'
            if shown
            else '<p class="no-jobs">We have no open positions right now.</p>'
        )
        previous = f'<a class="prev" href="?page={page - 1}">Previous</a> ' if page > 1 else ""
        following = (
            f'<a class="next" rel="next" href="?page={page + 1}">Next</a>'
            if page < pages
            else '<span class="next disabled">Next</span>'
        )
        main = (
            f"<h1>{self.list_title}</h1>\n{listing}\n"
            f'<nav class="pagination">{previous}{following}</nav>'
        )
        return html_response(page_html(f"Careers at {board.company}", self.chrome(board, main)))

    def js_index(self, request: Request, board: Board) -> Response:
        """Every posting at once, but only as data a script turns into the list later."""
        main = (
            f'<h1>{self.list_title}</h1>\n<ul class="jobs" id="jobs"></ul>\n'
            '<p id="loading">Loading open positions…</p>\n'
            f'<script id="jobs-data" type="application/json">'
            f"{script_json(self.entries(request, board))}</script>\n"
            + _JS
            % {"template": script_json(self.item_template), "delay": JS_DELAY_MS}
        )
        return html_response(page_html(f"Careers at {board.company}", self.chrome(board, main)))

    def other_page(self, request: Request, board: Board) -> Response:
        main = f"<h1>{escape(board.company)}</h1><p>We build useful things.</p>"
        return html_response(page_html(board.company, self.chrome(board, main)))

    def job_route(self, render: Callable[[Posting, Board, Request], str]) -> Route:
        def handler(request: Request, board: Board) -> Response:
            posting = board.posting(request.params["job_id"])
            if posting is None:
                return self.not_found(request, "detail")
            return html_response(render(posting, board, request))

        return Route(f"/{self.name}/{{token}}/jobs/{{job_id}}", "detail", handler)


def _number(text: str | None, default: int) -> int:
    try:
        return int(text) if text else default
    except ValueError:
        return default
