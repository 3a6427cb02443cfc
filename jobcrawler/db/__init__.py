"""Database layer: schema, migrations and the per-crawl posting store (SQLite or PostgreSQL)."""

from jobcrawler.db.engine import database_url, make_engine, migrate
from jobcrawler.db.store import CompanyRecord, CrawlStore, SessionResult

__all__ = ["CompanyRecord", "CrawlStore", "SessionResult", "database_url", "make_engine", "migrate"]
