"""Saved searches over HTTP: read them openly, change them with the token, follow one as
an Atom feed. Searches from YAML files show here (`source: file`) but change only in
their files; the alerts worker (`python -m jobcrawler alerts`) delivers both alike."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Request, Response
from pydantic import BaseModel
from sqlalchemy import Connection

from jobcrawler.alerts import records
from jobcrawler.alerts.spec import Filters, SearchSpec
from jobcrawler.api import atom, cursor, schemas
from jobcrawler.api.auth import require_token
from jobcrawler.db.engine import write_transaction

Id = Annotated[int, Path(ge=1, le=cursor.MAX_ID)]
Problem = {"model": schemas.Problem}
NOT_FOUND = {404: {**Problem, "description": "No such saved search"}}
GUARDED = {
    401: {**Problem, "description": "No valid bearer token (JOBCRAWLER_API_TOKEN)"},
    403: {**Problem, "description": "The server has no JOBCRAWLER_API_TOKEN: writes are off"},
    409: {**Problem, "description": "The name is taken, or the search comes from a YAML file"},
}


class SavedSearchOut(BaseModel):
    id: int
    name: str
    #: `file` (JOBCRAWLER_SEARCHES_DIR, read only here) or `api`.
    source: str
    kind: str
    filters: dict[str, Any]
    notify: list[str]
    failures: int
    #: One {channel: target} per subscriber; webhook secrets are never shown.
    subscribers: list[dict[str, str]]
    created_at: datetime
    updated_at: datetime


class SavedSearchList(BaseModel):
    searches: list[SavedSearchOut]


def _connection(request: Request) -> Iterator[Connection]:
    with request.app.state.engine.connect() as conn:
        yield conn


Conn = Annotated[Connection, Depends(_connection)]
router = APIRouter(prefix="/searches", tags=["saved searches"])


@router.get("", response_model=SavedSearchList)
def list_searches(conn: Conn) -> dict[str, Any]:
    """Every saved search, oldest first."""
    return {"searches": records.read(conn)}


@router.get("/{search_id}", response_model=SavedSearchOut, responses=NOT_FOUND)
def get_search(conn: Conn, search_id: Id) -> dict[str, Any]:
    return _one(conn, search_id)


@router.post(
    "",
    response_model=SavedSearchOut,
    status_code=201,
    responses=GUARDED,
    dependencies=[Depends(require_token)],
)
def create_search(request: Request, spec: SearchSpec) -> dict[str, Any]:
    """Save a search; its subscribers get what happens from now on."""
    return _write(request, spec, None)


@router.put(
    "/{search_id}",
    response_model=SavedSearchOut,
    responses={**GUARDED, **NOT_FOUND},
    dependencies=[Depends(require_token)],
)
def replace_search(request: Request, search_id: Id, spec: SearchSpec) -> dict[str, Any]:
    """Replace a search; subscribers it keeps keep their place in the feed."""
    return _write(request, spec, search_id)


@router.delete(
    "/{search_id}",
    status_code=204,
    responses={**GUARDED, **NOT_FOUND},
    dependencies=[Depends(require_token)],
)
def delete_search(request: Request, search_id: Id) -> Response:
    """Delete a search with its subscriptions and deliveries."""
    with write_transaction(request.app.state.engine) as conn:
        _api_search(conn, search_id)
        records.remove(conn, search_id)
    return Response(status_code=204)


@router.get(
    "/{search_id}/feed.atom",
    response_class=Response,
    responses={**atom.FEED_RESPONSE, **NOT_FOUND},
)
def search_feed(request: Request, conn: Conn, search_id: Id) -> Response:
    """Atom feed of the newest postings the search matches (postings searches)."""
    search = _one(conn, search_id)
    if search["kind"] != "postings":
        raise HTTPException(404, f"saved search {search_id} is a health search: no feed")
    where = Filters.model_validate(search["filters"]).posting_filter()
    return atom.postings_feed(request, conn, f"{search['name']} jobs", where)


def _write(request: Request, spec: SearchSpec, search_id: int | None) -> dict[str, Any]:
    with write_transaction(request.app.state.engine) as conn:
        if search_id is not None:
            _api_search(conn, search_id)
        try:
            saved = records.save(conn, spec, "api", datetime.now(UTC), search_id)
        except records.NameTaken as exc:
            raise HTTPException(409, str(exc)) from None
        return _one(conn, saved)


def _one(conn: Connection, search_id: int) -> dict[str, Any]:
    found = records.read(conn, search_id)
    if not found:
        raise HTTPException(404, f"no saved search {search_id}")
    return found[0]


def _api_search(conn: Connection, search_id: int) -> None:
    if _one(conn, search_id)["source"] != "api":
        raise HTTPException(409, f"saved search {search_id} comes from a file: edit the file")
