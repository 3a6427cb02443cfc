"""PostgreSQL fast path: COPY postings into a staging table, merge them in one statement.

About 3x faster than multi-row INSERT … ON CONFLICT and 25x faster than per-posting ORM
writes (see docs/performance.md).
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, text

from jobcrawler.db.models import UTCDateTime

STAGE_TABLE = "jobcrawler_posting_stage"


def copy_text(value: Any) -> str:
    """One field in COPY text format: NULL is \\N; backslash, tab, newline and CR escaped."""
    if value is None:
        return "\\N"
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, str):
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return str(value)


def upsert_postings(
    conn: Connection,
    company_id: int,
    columns: Sequence[str],
    rows: Sequence[Mapping[str, Any]],
    now: datetime,
) -> dict[str, int]:
    """Insert new and overwrite changed/reopened postings; return {external_id: id}.

    `columns` must include `external_id`; every row is (re)activated and marked seen `now`.
    Runs inside the caller's transaction (the staging table is dropped at commit).
    """
    cols = ", ".join(columns)
    # Descriptions are TOASTed: lz4 compresses them ~3x faster than the default pglz (the
    # staged values are moved into job_postings as they are). Only if the server has lz4.
    conn.exec_driver_sql(
        "SELECT set_config('default_toast_compression', 'lz4', true) FROM pg_settings "
        "WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)"
    )
    conn.exec_driver_sql(
        f"CREATE TEMPORARY TABLE {STAGE_TABLE} ON COMMIT DROP AS "
        f"SELECT {cols} FROM job_postings WITH NO DATA"
    )
    buf = io.StringIO()
    buf.writelines("\t".join([copy_text(row[c]) for c in columns]) + "\n" for row in rows)
    buf.seek(0)
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.copy_expert(f"COPY {STAGE_TABLE} ({cols}) FROM STDIN", buf)
    finally:
        cursor.close()
    updates = ", ".join(f"{c} = EXCLUDED.{c}" for c in columns if c != "external_id")
    merge = text(
        f"INSERT INTO job_postings (company_id, {cols}, status, first_seen_at, last_seen_at) "
        f"SELECT :company_id, {cols}, 'active', :now, :now FROM {STAGE_TABLE} "
        "ON CONFLICT (company_id, external_id) DO UPDATE SET "
        f"{updates}, status = 'active', removed_at = NULL, missing_since = NULL, "
        "last_seen_at = EXCLUDED.last_seen_at "
        "RETURNING id, external_id"
    ).bindparams(bindparam("now", type_=UTCDateTime()))
    result = conn.execute(merge, {"company_id": company_id, "now": now})
    return {external_id: posting_id for posting_id, external_id in result}
