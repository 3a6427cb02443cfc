"""SQLAlchemy models. Table and column names are a contract: other parts and users' SQL use them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Dialect,
    Double,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    Numeric,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC datetimes on every backend.

    PostgreSQL stores `timestamptz`; SQLite has no time zones, so values are stored as naive
    UTC and made aware again when read. Naive input is taken to be UTC already.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        value = value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


# JSONB on PostgreSQL (indexable, compact); SQL NULL rather than JSON 'null' for None.
JSONType = JSON(none_as_null=True).with_variant(JSONB(none_as_null=True), "postgresql")
# SQLite only auto-increments an INTEGER PRIMARY KEY.
BigId = BigInteger().with_variant(Integer(), "sqlite")
# Money with cents, handed to Python as float.
Money = Numeric(14, 2, asdecimal=False)


class Base(DeclarativeBase):
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(table_name)s_%(column_0_N_name)s",
            "uq": "uq_%(table_name)s_%(column_0_N_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


class Company(Base):
    __tablename__ = "companies"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(Text)
    ats: Mapped[str] = mapped_column(String(50))
    board: Mapped[str | None] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(server_default=text("true"))


class JobPosting(Base):
    __tablename__ = "job_postings"
    __table_args__ = (
        UniqueConstraint("company_id", "external_id"),
        Index("ix_job_postings_company_id_status", "company_id", "status"),
        # search pages sorted by first seen (the API's default) walk this index
        Index("ix_job_postings_first_seen_at_id", "first_seen_at", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    company_id: Mapped[int] = mapped_column(BigId, ForeignKey("companies.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    apply_url: Mapped[str | None] = mapped_column(Text)
    location: Mapped[str | None] = mapped_column(Text)
    city: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    remote_type: Mapped[str | None] = mapped_column(Text)
    employment_type: Mapped[str | None] = mapped_column(Text)
    department: Mapped[str | None] = mapped_column(Text)
    team: Mapped[str | None] = mapped_column(Text)
    salary_min: Mapped[float | None] = mapped_column(Money)
    salary_max: Mapped[float | None] = mapped_column(Money)
    salary_currency: Mapped[str | None] = mapped_column(String(3))
    salary_period: Mapped[str | None] = mapped_column(Text)
    posted_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    description_html: Mapped[str | None] = mapped_column(Text)
    description: Mapped[str | None] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    #: Hash of the posting's entry in the ATS listing; platforms with detail pages refetch
    #: a detail page only when it changes.
    list_hash: Mapped[str | None] = mapped_column(String(64))
    # active, removed or stale
    status: Mapped[str] = mapped_column(String(16), server_default=text("'active'"))
    first_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime)
    removed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    missing_since: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PostingLocation(Base):
    """Every place of a posting, primary first (position 0, the posting's own city/country).

    Written with the posting and replaced whenever its content changes; the indexes let a
    filter on country or city match a posting by any of its places (`db/places.py`).
    """

    __tablename__ = "posting_locations"
    __table_args__ = (
        Index("ix_posting_locations_country", "country"),
        Index("ix_posting_locations_city_lower", text("lower(city)")),
    )

    posting_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("job_postings.id", ondelete="CASCADE"), primary_key=True
    )
    position: Mapped[int] = mapped_column(Integer, primary_key=True)
    city: Mapped[str | None] = mapped_column(Text)
    region: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2))
    raw: Mapped[str | None] = mapped_column(Text)


class CrawlSession(Base):
    __tablename__ = "crawl_sessions"
    __table_args__ = (
        Index("ix_crawl_sessions_company_id_started_at", "company_id", "started_at"),
        Index("ix_crawl_sessions_job_id", "job_id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    company_id: Mapped[int] = mapped_column(BigId, ForeignKey("companies.id", ondelete="CASCADE"))
    spider: Mapped[str] = mapped_column(String(100))
    job_id: Mapped[str | None] = mapped_column(String(100))
    trigger: Mapped[str] = mapped_column(String(16))  # manual, schedule or retry
    status: Mapped[str] = mapped_column(String(16))  # running, succeeded, partial or failed
    finish_reason: Mapped[str | None] = mapped_column(Text)
    started_at: Mapped[datetime] = mapped_column(UTCDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    items_scraped: Mapped[int] = mapped_column(server_default=text("0"))
    new_count: Mapped[int] = mapped_column(server_default=text("0"))
    updated_count: Mapped[int] = mapped_column(server_default=text("0"))
    unchanged_count: Mapped[int] = mapped_column(server_default=text("0"))
    removed_count: Mapped[int] = mapped_column(server_default=text("0"))
    reopened_count: Mapped[int] = mapped_column(server_default=text("0"))
    error_count: Mapped[int] = mapped_column(server_default=text("0"))
    stats: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    error: Mapped[str | None] = mapped_column(Text)


class JobEvent(Base):
    __tablename__ = "job_events"
    __table_args__ = (
        Index("ix_job_events_posting_id", "posting_id"),
        Index("ix_job_events_at", "at"),
        Index("ix_job_events_txid_id", "txid", "id"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    posting_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("job_postings.id", ondelete="CASCADE")
    )
    session_id: Mapped[int | None] = mapped_column(
        BigId, ForeignKey("crawl_sessions.id", ondelete="SET NULL")
    )
    kind: Mapped[str] = mapped_column(String(16))  # created, updated, removed, reopened, stale
    at: Mapped[datetime] = mapped_column(UTCDateTime)
    changes: Mapped[dict[str, Any] | None] = mapped_column(JSONType)
    #: The writing transaction's id on PostgreSQL (column default set by migration 0009),
    #: 0 on SQLite: the events feed's commit order (`jobcrawler/api/changes.py`).
    txid: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))


class HostPace(Base):
    """The next free request slot per pace key, shared by every crawl process on this database.

    `next_at` is Unix seconds on the database's clock, so nodes whose clocks drift apart
    still agree; see `jobcrawler/db/pace.py`.
    """

    __tablename__ = "host_pace"

    host: Mapped[str] = mapped_column(String(255), primary_key=True)
    next_at: Mapped[float] = mapped_column(Double)


class CrawlLease(Base):
    """Who crawls a company right now: at most one row, hence one crawl, per company.

    Taken when a crawl opens its session and renewed with every batch and a heartbeat;
    a holder whose process is gone (same host) or whose lease expired may be replaced.
    See `jobcrawler/db/lease.py`.
    """

    __tablename__ = "crawl_leases"

    company_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("companies.id", ondelete="CASCADE"), primary_key=True
    )
    session_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("crawl_sessions.id", ondelete="CASCADE")
    )
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    acquired_at: Mapped[datetime] = mapped_column(UTCDateTime)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SavedSearch(Base):
    """A search someone follows: a posting filter (kind `postings`) or crawl health (kind
    `health`). Rows come from YAML files (`source` file, kept in sync by the alerts worker)
    or from the API (`source` api). See `jobcrawler/alerts/`."""

    __tablename__ = "saved_searches"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    source: Mapped[str] = mapped_column(String(16))  # file or api
    kind: Mapped[str] = mapped_column(String(16))  # postings or health
    #: The search's filters (names of the /postings query parameters).
    filters: Mapped[dict[str, Any]] = mapped_column(JSONType)
    #: Event kinds delivered: created, removed (postings); health: the alerts wanted.
    notify: Mapped[list[str]] = mapped_column(JSONType)
    #: Health: alert when a company fails this many crawls in a row.
    failures: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)


class Subscription(Base):
    """One receiver of a saved search: a webhook, an email address or a Slack webhook.

    The cursor is the subscription's position in its feed: (txid, id) of the last posting
    event looked at (the `/changes` order), or the last crawl session id (health, txid 0).
    """

    __tablename__ = "subscriptions"
    __table_args__ = (UniqueConstraint("search_id", "channel", "target"),)

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    search_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("saved_searches.id", ondelete="CASCADE")
    )
    channel: Mapped[str] = mapped_column(String(16))  # webhook, email or slack
    target: Mapped[str] = mapped_column(Text)  # URL or email address
    secret: Mapped[str | None] = mapped_column(Text)  # webhook signing key
    cursor_txid: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))
    cursor_id: Mapped[int] = mapped_column(BigInteger, server_default=text("0"))


class Delivery(Base):
    """One event for one subscription. Unique on (subscription, event): matching twice
    inserts nothing, so no subscriber gets an event twice. A sender claims due rows
    (`claimed_by`, `claimed_until`) before sending, so two workers never send one row."""

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_key"),
        Index("ix_deliveries_state_next_attempt_at", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    subscription_id: Mapped[int] = mapped_column(
        BigId, ForeignKey("subscriptions.id", ondelete="CASCADE")
    )
    #: "event:<job_events.id>" or "health:<alert>:<crawl_sessions.id>".
    event_key: Mapped[str] = mapped_column(String(100))
    #: What is sent, fixed when matched: retries send the same event.
    payload: Mapped[dict[str, Any]] = mapped_column(JSONType)
    state: Mapped[str] = mapped_column(String(16))  # pending, sent or failed
    attempts: Mapped[int] = mapped_column(Integer, server_default=text("0"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime)
    first_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    claimed_by: Mapped[str | None] = mapped_column(String(300))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)


from jobcrawler.db import schedule as _schedule  # noqa: E402, F401  (registers schedule_runs)
