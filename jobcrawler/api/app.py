"""The FastAPI application: routes only; the SQL lives in the modules they call.

Endpoints are plain `def`: FastAPI runs them in its threadpool, so blocking database
reads never hold up the event loop.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from typing import Annotated, Literal

from fastapi import Depends, FastAPI, HTTPException, Path, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from pydantic import StringConstraints
from pydantic_core import to_json
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from jobcrawler.api import (
    atom,
    changes,
    cursor,
    health,
    methods,
    queries,
    reads,
    schemas,
    searches,
)
from jobcrawler.dashboard.routes import router as dashboard_router
from jobcrawler.db.filters import PostingFilter, Since

Id = Annotated[int, Path(ge=1, le=cursor.MAX_ID)]
Text = Annotated[str | None, Query(max_length=200)]
#: Repeatable: postings of any of these companies.
Companies = Annotated[list[Annotated[str, StringConstraints(max_length=200)]], Query(max_length=50)]
Limit = Annotated[int, Query(ge=1, le=200)]
Money = Annotated[int | None, Query(ge=0, le=10**12)]
Status = Literal["active", "stale", "removed", "any"]
Problem = {"model": schemas.Problem}
NOT_FOUND = {404: {**Problem, "description": "No such record"}}


def create_app(engine: Engine, schedules: Mapping[str, str] | None = None) -> FastAPI:
    """The API over `engine`; `schedules` ({slug: cron}) give companies' next due times."""
    app = FastAPI(
        title="jobcrawler",
        version="1",
        description="Read API over the job postings database (issue 10).",
        responses={
            400: {**Problem, "description": "Invalid cursor, or a NUL character in the request"},
            503: {**Problem, "description": "The database cannot be reached"},
        },
    )
    app.state.engine = engine
    app.state.schedules = dict(schedules or {})
    methods.install(app)

    @app.middleware("http")
    async def refuse_nul(request: Request, call_next):  # type: ignore[no-untyped-def]
        # No database takes NUL in text; refuse it up front instead of failing in the driver.
        if "%00" in request.url.query or "%00" in request.url.path:
            return JSONResponse({"detail": "NUL characters are not allowed"}, status_code=400)
        return await call_next(request)

    @app.exception_handler(cursor.BadCursor)
    def bad_cursor(request: Request, exc: cursor.BadCursor) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=400)

    @app.exception_handler(OperationalError)
    def unreachable(request: Request, exc: OperationalError) -> JSONResponse:
        return JSONResponse({"detail": "database unavailable"}, status_code=503)

    _routes(app)
    app.include_router(searches.router)
    app.include_router(dashboard_router)
    return app


def _connection(request: Request) -> Iterator[Connection]:
    with request.app.state.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(_connection)]


def _routes(app: FastAPI) -> None:
    @app.get("/postings", response_model=schemas.PostingPage, tags=["postings"])
    def search_postings(
        conn: Conn,
        q: Text = None,
        company: Companies = [],  # noqa: B006 (FastAPI copies defaults)
        country: Annotated[str | None, Query(min_length=2, max_length=2)] = None,
        city: Text = None,
        remote_type: Text = None,
        employment_type: Text = None,
        department: Text = None,
        salary_min: Money = None,
        salary_max: Money = None,
        currency: Annotated[str | None, Query(min_length=3, max_length=3)] = None,
        status: Status = "active",
        posted_since: Since = None,
        first_seen_since: Since = None,
        sort: Literal[queries.SORTS] = "-first_seen",  # type: ignore[valid-type]
        limit: Limit = 50,
        after: Text = None,
    ) -> dict[str, object]:
        """Postings matching every filter given. `q`: words all found in the title or
        description. `company` may repeat. `country`, `city`: any of the posting's places.
        Salary bounds match postings whose range overlaps them. Text matches ignore case.
        Follow `next` as `after` for the next page."""
        where = PostingFilter(
            q=q, companies=tuple(company), country=country, city=city, remote_type=remote_type,
            employment_type=employment_type, department=department, salary_min=salary_min,
            salary_max=salary_max, currency=currency, status=None if status == "any" else status,
            posted_since=posted_since, first_seen_since=first_seen_since,
        )  # fmt: skip
        query = queries.search(conn.dialect.name, where, sort, limit, after)
        rows = conn.execute(query).all()
        following = queries.next_cursor(rows[limit - 1]) if len(rows) > limit else None
        return {"postings": [r._asdict() for r in rows[:limit]], "next": following}

    @app.get(
        "/postings/{posting_id}",
        response_model=schemas.PostingDetail,
        tags=["postings"],
        responses=NOT_FOUND,
    )
    def get_posting(conn: Conn, posting_id: Id) -> dict[str, object]:
        """A posting, its places and its event history (oldest first)."""
        return _found(reads.posting(conn, posting_id), f"no posting {posting_id}")

    @app.get("/changes", response_model=schemas.ChangesPage, tags=["feed"])
    def get_changes(
        conn: Conn, after: Text = None, limit: Annotated[int, Query(ge=1, le=1000)] = 500
    ) -> Response:
        """Posting events in commit order, each once: start without `after`, then pass
        `next`. `created`/`reopened` carry the posting as it is now, `updated` the changed
        fields, `removed` and `stale` (unseen for long) nothing more: the posting leaves the
        active ones. Replaying them rebuilds the active postings."""
        # Serialized as built, not validated through the response model: a 1,000-event page
        # carries megabytes of descriptions, and the model pass was a third of its time
        # (`make bench`). The page already has the model's fields and types (tests check).
        page = changes.changes_page(conn, after, limit)
        return Response(to_json(page), media_type="application/json")

    @app.get("/companies", response_model=schemas.CompanyPage, tags=["companies"])
    def list_companies(conn: Conn, after: Text = None, limit: Limit = 100) -> dict[str, object]:
        """Companies by slug, with their last crawl session and next due time."""
        rows, following = reads.company_page(conn, app.state.schedules, after, limit)
        return {"companies": rows, "next": following}

    @app.get(
        "/companies/{slug}",
        response_model=schemas.CompanyInfo,
        tags=["companies"],
        responses=NOT_FOUND,
    )
    def get_company(conn: Conn, slug: Annotated[str, Path(max_length=200)]) -> dict[str, object]:
        rows, _ = reads.company_page(conn, app.state.schedules, None, 1, slug=slug)
        return _found(rows[0] if rows else None, f"no company {slug!r}")

    @app.get(
        "/companies/{slug}/feed.atom",
        response_class=Response,
        responses={**atom.FEED_RESPONSE, **NOT_FOUND},
        tags=["companies"],
    )
    def company_feed(
        request: Request, conn: Conn, slug: Annotated[str, Path(max_length=200)]
    ) -> Response:
        """Atom feed of the company's newest active postings."""
        rows, _ = reads.company_page(conn, {}, None, 1, slug=slug)
        company = _found(rows[0] if rows else None, f"no company {slug!r}")
        return atom.postings_feed(
            request, conn, f"{company['name']} jobs", PostingFilter(companies=(slug,))
        )

    @app.get("/sessions", response_model=schemas.SessionPage, tags=["sessions"])
    def list_sessions(
        conn: Conn,
        company: Text = None,
        status: Literal["running", "succeeded", "partial", "failed"] | None = None,
        after: Text = None,
        limit: Limit = 50,
    ) -> dict[str, object]:
        """Crawl sessions, newest first, with their errors."""
        before = cursor.decode(after, int)[0] if after else None
        rows, last = reads.session_page(conn, company, status, before, limit)
        return {"sessions": rows, "next": None if last is None else cursor.encode(last)}

    @app.get(
        "/sessions/{session_id}",
        response_model=schemas.SessionDetail,
        tags=["sessions"],
        responses=NOT_FOUND,
    )
    def get_session(conn: Conn, session_id: Id) -> dict[str, object]:
        return _found(reads.session(conn, session_id), f"no session {session_id}")

    @app.get("/healthz", response_model=schemas.Health, tags=["operations"])
    def healthz(request: Request) -> object:
        """Database reachable (else 503), age of the newest successful crawl, failing companies."""
        try:
            with request.app.state.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                return health.health(conn, datetime.now(UTC))
        except OperationalError:
            unreachable = {"database": False, "last_success_age_seconds": None}
            return JSONResponse({**unreachable, "failing_companies": []}, status_code=503)

    @app.get("/metrics", response_class=PlainTextResponse, tags=["operations"])
    def get_metrics(conn: Conn) -> PlainTextResponse:
        """Prometheus text format: sessions by status, active postings, last-success
        age, alert deliveries by state."""
        return PlainTextResponse(
            health.metrics(conn, datetime.now(UTC)), media_type="text/plain; version=0.0.4"
        )


def _found(value: dict[str, object] | None, message: str) -> dict[str, object]:
    if value is None:
        raise HTTPException(404, message)
    return value
