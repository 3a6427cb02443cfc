"""Response shapes: the OpenAPI description at /openapi.json is generated from these."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel


class Posting(BaseModel):
    id: int
    company: str
    external_id: str
    title: str | None
    url: str | None
    apply_url: str | None
    location: str | None
    city: str | None
    region: str | None
    country: str | None
    remote_type: str | None
    employment_type: str | None
    department: str | None
    team: str | None
    salary_min: float | None
    salary_max: float | None
    salary_currency: str | None
    salary_period: str | None
    posted_at: datetime | None
    status: str
    first_seen_at: datetime
    last_seen_at: datetime
    removed_at: datetime | None


class PostingPage(BaseModel):
    postings: list[Posting]
    #: Pass as `after` for the next page; null on the last page.
    next: str | None


class Place(BaseModel):
    city: str | None
    region: str | None
    country: str | None
    raw: str | None


class Event(BaseModel):
    id: int
    session_id: int | None
    #: `stale`: `scheduler maintain` found the posting unseen for long (it leaves the active).
    kind: Literal["created", "updated", "removed", "reopened", "stale"]
    at: datetime
    changes: dict[str, Any] | None


class PostingDetail(Posting):
    description: str | None
    description_html: str | None
    places: list[Place]
    events: list[Event]


class MirroredPosting(Posting):
    description: str | None


class FeedEvent(Event):
    posting_id: int
    company: str
    external_id: str
    #: The posting as it is now, on `created` and `reopened` events.
    posting: MirroredPosting | None


class ChangesPage(BaseModel):
    events: list[FeedEvent]
    #: Pass as `after` next time (also when no event came: nothing is new yet).
    next: str
    #: True when the page is full: more events may follow at once.
    more: bool


class Session(BaseModel):
    id: int
    company: str
    spider: str
    job_id: str | None
    trigger: str
    status: str
    finish_reason: str | None
    started_at: datetime
    finished_at: datetime | None
    items_scraped: int
    new_count: int
    updated_count: int
    unchanged_count: int
    removed_count: int
    reopened_count: int
    error_count: int
    error: str | None


class SessionDetail(Session):
    stats: dict[str, Any] | None


class SessionPage(BaseModel):
    sessions: list[Session]
    next: str | None


class CompanyInfo(BaseModel):
    slug: str
    name: str
    ats: str
    board: str | None
    active: bool
    active_postings: int
    last_session: Session | None
    #: The next time the company's catalog schedule fires; null if it is not in the catalog.
    next_due: datetime | None


class CompanyPage(BaseModel):
    companies: list[CompanyInfo]
    next: str | None


class Health(BaseModel):
    database: bool
    last_success_age_seconds: float | None
    failing_companies: list[str]


class Problem(BaseModel):
    detail: str
