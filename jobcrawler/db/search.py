"""Full-text search over postings' title and description, on either backend.

PostgreSQL matches the GIN-indexed stored generated column `search_doc` of migration 0009
(computed on insert and when title or description change: PostgreSQL 13+ skips it on
updates of other columns, such as a recrawl's last_seen_at);
SQLite matches its FTS5 table. User text never reaches a query parser raw: PostgreSQL's `websearch_to_tsquery`
accepts any input, and for FTS5 each word becomes a quoted phrase (all must match).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import ColumnElement, func, literal_column, select, text

from jobcrawler.db.models import JobPosting

postings = JobPosting.__table__

FTS_INDEX = "ix_job_postings_fts"
PG_CONFIG = "simple"
PG_DOCUMENT = (
    f"to_tsvector('{PG_CONFIG}'::regconfig, "
    "coalesce(title, '') || ' ' || coalesce(description, ''))"
)
#: PostgreSQL: a stored generated column holding PG_DOCUMENT, computed by the server on
#: every insert and update (COPY included), so matching rows never re-parse descriptions
#: and ANALYZE keeps word statistics the planner needs to choose the GIN index.
PG_COLUMN = "search_doc"
#: The alias of job_postings inside the PostgreSQL match subquery.
MATCHED = "matched"
SQLITE_FTS_TABLE = (
    "CREATE VIRTUAL TABLE job_postings_fts USING fts5("
    "title, description, content='job_postings', content_rowid='id')"
)
_FTS_DELETE = (
    "INSERT INTO job_postings_fts (job_postings_fts, rowid, title, description) "
    "VALUES ('delete', old.id, old.title, old.description);"
)
_FTS_INSERT = (
    "INSERT INTO job_postings_fts (rowid, title, description) "
    "VALUES (new.id, new.title, new.description);"
)
SQLITE_FTS_TRIGGERS = (
    f"CREATE TRIGGER job_postings_fts_ai AFTER INSERT ON job_postings BEGIN {_FTS_INSERT} END",
    f"CREATE TRIGGER job_postings_fts_ad AFTER DELETE ON job_postings BEGIN {_FTS_DELETE} END",
    "CREATE TRIGGER job_postings_fts_au AFTER UPDATE OF title, description ON job_postings "
    f"BEGIN {_FTS_DELETE} {_FTS_INSERT} END",
)
#: Search pages sorted by posting date (`api/queries.py` sorts by the same expression).
POSTED_INDEX = "ix_job_postings_posted_sort"
POSTED_KEY = "coalesce(posted_at, first_seen_at)"
#: PostgreSQL planning aids (migration 0010). Statistics on the filters' lower(...)
#: expressions: without them the planner guesses 0.5% of rows match `remote_type=remote`,
#: sorts every match instead of walking the sort index, and a filter-only search took 190 ms
#: instead of 6 (`make bench`, 100,000 postings).
PG_FILTER_STATISTICS = "job_postings_filters"
PG_FILTER_EXPRESSIONS = "lower(remote_type), lower(employment_type), lower(department), status"
#: Schema objects of this module's, not of the models (model/migration comparisons skip them).
SEARCH_OBJECTS = ("job_postings_fts", FTS_INDEX, POSTED_INDEX, PG_COLUMN, PG_FILTER_STATISTICS)


def fts5_query(words: str) -> str:
    """`words` as an FTS5 query: every word a quoted phrase, so no input is a syntax error."""
    return " ".join('"' + word.replace('"', '""') + '"' for word in words.split())


def matches(dialect: str, words: str) -> ColumnElement[Any]:
    """A WHERE clause over job_postings: title or description contain all `words`."""
    if dialect == "postgresql":
        query = func.websearch_to_tsquery(literal_column(f"'{PG_CONFIG}'::regconfig"), words)
        # As `id IN (matches)`, not a filter on the row: testing a row reads its search_doc
        # from TOAST, which the planner does not cost, so with the match as a filter it
        # tested 13,000 rows before a cheap place filter (`make bench`'s quota + London +
        # full_time search: 165 ms in PostgreSQL, 102 ms so).
        matched = postings.alias(MATCHED)
        document = literal_column(f"{MATCHED}.{PG_COLUMN}")
        return postings.c.id.in_(select(matched.c.id).where(document.op("@@")(query)))
    hits = select(literal_column("rowid")).select_from(text("job_postings_fts"))
    hits = hits.where(
        text("job_postings_fts MATCH :fts_words").bindparams(fts_words=fts5_query(words))
    )
    return postings.c.id.in_(hits)
