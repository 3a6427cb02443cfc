"""Starting the API: the database migrated, catalog schedules read once, uvicorn bound."""

from __future__ import annotations

import logging

from jobcrawler.db.engine import database_url

logger = logging.getLogger(__name__)
#: Connections for the threadpool's concurrent reads (FastAPI runs up to 40 at once).
POOL_SIZE = 8


def serve(host: str, port: int, url: str | None = None) -> int:
    """Serve `url` (default DATABASE_URL) until interrupted."""
    import uvicorn

    from jobcrawler.api.app import create_app
    from jobcrawler.catalog import load_catalog
    from jobcrawler.db.access import write_engine
    from jobcrawler.db.engine import make_engine

    url = url or database_url()
    engine = write_engine(url)
    engine.dispose()  # migrated; the app's own engine is sized for its threadpool
    app_engine = make_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_SIZE)
    catalog = load_catalog()
    for error in catalog.errors:
        logger.warning("catalog: %s", error)
    schedules = {c.slug: c.schedule for c in catalog.companies}
    uvicorn.run(create_app(app_engine, schedules), host=host, port=port, log_level="info")
    return 0
