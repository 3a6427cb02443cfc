"""Database layer: schema, migrations and the per-crawl posting store (SQLite or PostgreSQL)."""

from jobcrawler.db.engine import (
    database_url,
    dispose_shared_engines,
    make_engine,
    migrate,
    shared_engine,
)
from jobcrawler.db.store import CompanyRecord, CrawlStore, SessionResult

__all__ = [
    "CompanyRecord",
    "CrawlStore",
    "SessionResult",
    "database_url",
    "dispose_shared_engines",
    "make_engine",
    "migrate",
    "shared_engine",
]
