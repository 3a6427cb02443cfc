"""Make a test database refuse work for a while, as a short outage would.

SQLite: another connection holds the write lock and the store's engine stops waiting for
it (busy_timeout 0), so every write fails with "database is locked". PostgreSQL: the
database stops accepting connections and its open ones are terminated.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, event, make_url, text

from tests.helpers.pgserver import admin_engine


class Outage:
    def __init__(self, engine: Engine, server_url: str | None = None) -> None:
        self.engine = engine
        self.server_url = server_url
        self.url = engine.url
        self.lock: sqlite3.Connection | None = None
        if self.url.get_backend_name() == "sqlite":
            event.listen(engine, "connect", _no_busy_wait)
            engine.dispose()

    def start(self) -> None:
        if self.url.get_backend_name() == "sqlite":
            self.lock = sqlite3.connect(self.url.database, check_same_thread=False)
            self.lock.execute("BEGIN EXCLUSIVE")
            return
        self._admin(
            'ALTER DATABASE "{db}" ALLOW_CONNECTIONS false',
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{db}'",
        )

    def end(self) -> None:
        if self.lock is not None:
            self.lock.rollback()
            self.lock.close()
            self.lock = None
            return
        self._admin('ALTER DATABASE "{db}" ALLOW_CONNECTIONS true')

    def _admin(self, *statements: str) -> None:
        assert self.server_url is not None
        admin = admin_engine(self.server_url)
        with admin.connect() as conn:
            for statement in statements:
                conn.execute(text(statement.format(db=make_url(str(self.url)).database)))
        admin.dispose()


def _no_busy_wait(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.execute("PRAGMA busy_timeout = 0")
