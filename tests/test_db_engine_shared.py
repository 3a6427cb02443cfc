"""`shared_engine`: one engine, one small pool and one migration check per process and URL."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from jobcrawler.db import dispose_shared_engines, shared_engine
from jobcrawler.db import engine as engine_module
from jobcrawler.db.engine import POOL_TIMEOUT


@pytest.fixture
def migrations(monkeypatch: pytest.MonkeyPatch) -> list[Engine]:
    """The engines migrate() ran on, in order (the real migration runs)."""
    ran: list[Engine] = []
    real = engine_module.migrate

    def migrate(engine: Engine) -> None:
        ran.append(engine)
        real(engine)

    monkeypatch.setattr(engine_module, "migrate", migrate)
    return ran


def test_one_engine_and_one_migration_check_per_url(db_url: str, migrations: list) -> None:
    first = shared_engine(db_url, pool_size=3)
    assert shared_engine(db_url, pool_size=7) is first
    assert migrations == [first]
    pool = first.pool
    assert (pool.size(), pool._max_overflow, pool._timeout) == (3, 0, POOL_TIMEOUT)
    dispose_shared_engines()
    again = shared_engine(db_url)
    assert again is not first and migrations == [first, again]


def test_a_failed_migration_is_tried_again(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[Engine] = []

    def flaky(engine: Engine) -> None:
        calls.append(engine)
        if len(calls) == 1:
            raise ConnectionError("database restarting")

    monkeypatch.setattr(engine_module, "migrate", flaky)
    with pytest.raises(ConnectionError):
        shared_engine(db_url)
    engine = shared_engine(db_url)
    assert calls == [engine, engine]
    shared_engine(db_url)
    assert len(calls) == 2
