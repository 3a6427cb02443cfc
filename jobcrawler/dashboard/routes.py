"""The dashboard's pages, as one router the API app includes.

Plain `def` endpoints: FastAPI runs them in its threadpool, so database reads never block the
event loop. None of them is in the OpenAPI description: they are pages for people, not API.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from jobcrawler.api import cursor, queries, reads
from jobcrawler.dashboard import chart, form, pages
from jobcrawler.dashboard.queries import daily_series, recent_counts

router = APIRouter(include_in_schema=False)
COMPANIES_PAGE = 200
RECENT_SESSIONS = 20
RECENT_DAYS = 7
CHART_DAYS = 90
Slug = Annotated[str, Path(max_length=200)]


@router.get("/")
def root() -> RedirectResponse:
    return RedirectResponse("/dashboard/")


@router.get("/dashboard/static/{name}")
def static(name: Annotated[str, Path(max_length=50)]) -> Response:
    """The stylesheet and the icon, read from the package (a zipped egg included)."""
    if name not in pages.STATIC:
        return Response("not found", status_code=404, media_type="text/plain")
    return Response(
        pages.static_file(name),
        media_type=pages.STATIC[name],
        headers={"Cache-Control": "max-age=3600"},
    )


@router.get("/dashboard/", response_class=HTMLResponse)
def overview(
    request: Request, after: Annotated[str | None, Query(max_length=200)] = None
) -> HTMLResponse:
    """Every company: last crawl, active postings, new and removed in 7 days, next due."""
    now = datetime.now(UTC)
    with request.app.state.engine.connect() as conn:
        rows, following = reads.company_page(
            conn, request.app.state.schedules, after, COMPANIES_PAGE
        )
        recent = recent_counts(conn, [r["slug"] for r in rows], now - timedelta(days=RECENT_DAYS))
    for row in rows:
        row["new_recent"], row["removed_recent"] = recent.get(row["slug"], (0, 0))
    statuses = [r["last_session"]["status"] if r["last_session"] else "never" for r in rows]
    summary = {s: statuses.count(s) for s in dict.fromkeys(statuses)}
    return _page(
        "overview.html",
        companies=rows,
        summary=summary,
        next_url=f"/dashboard/?{urlencode({'after': following})}" if following else None,
        days=RECENT_DAYS,
    )


@router.get("/dashboard/companies/{slug}", response_class=HTMLResponse)
def company(request: Request, slug: Slug) -> HTMLResponse:
    """A company's 90-day chart and its recent sessions with their errors."""
    with request.app.state.engine.connect() as conn:
        found, _ = reads.company_page(conn, request.app.state.schedules, None, 1, slug=slug)
        if not found:
            return _missing(f"No company {slug!r}.")
        series = daily_series(conn, slug, datetime.now(UTC).date(), CHART_DAYS)
        recent, _ = reads.session_page(conn, slug, None, None, RECENT_SESSIONS)
    return _page(
        "company.html",
        company=found[0],
        chart=chart.build(series),
        series=series,
        sessions=recent,
        search_url=f"/dashboard/postings?{urlencode({'company': slug, 'status': 'any'})}",
    )


@router.get("/dashboard/postings", response_class=HTMLResponse)
def search(request: Request) -> HTMLResponse:
    """The search form and one page of results, with a link to the next page."""
    asked = form.read_form(request.query_params)
    results, next_url = [], None
    if not asked.errors:
        with request.app.state.engine.connect() as conn:
            try:
                query = queries.search(
                    conn.dialect.name, asked.where, asked.sort, form.PAGE_SIZE, asked.after
                )
                results = conn.execute(query).all()
            except cursor.BadCursor:
                asked.errors.append("this page link is out of date: search again")
    given = {k: v for k, v in asked.values.items() if v}
    if len(results) > form.PAGE_SIZE:
        following = queries.next_cursor(results[form.PAGE_SIZE - 1])
        next_url = f"/dashboard/postings?{urlencode({**given, 'after': following})}"
    return _page(
        "postings.html",
        form=asked,
        results=results[: form.PAGE_SIZE],
        next_url=next_url,
        first_url=f"/dashboard/postings?{urlencode(given)}",
        statuses=form.STATUSES,
        sorts=queries.SORTS,
    )


@router.get("/dashboard/postings/{posting_id}", response_class=HTMLResponse)
def posting(
    request: Request, posting_id: Annotated[int, Path(ge=1, le=cursor.MAX_ID)]
) -> HTMLResponse:
    """A posting, its places and its event history."""
    with request.app.state.engine.connect() as conn:
        found = reads.posting(conn, posting_id)
    if found is None:
        return _missing(f"No posting {posting_id}.")
    return _page("posting.html", posting=found)


def _page(template: str, status_code: int = 200, **context: object) -> HTMLResponse:
    html = pages.render(template, now=datetime.now(UTC), **context)
    return HTMLResponse(html, status_code=status_code)


def _missing(message: str) -> HTMLResponse:
    return _page("missing.html", status_code=404, message=message)
