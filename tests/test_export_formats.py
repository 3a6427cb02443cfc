"""Export rows to csv, jsonl and parquet, in process; and which item fields feeds carry."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime

import pyarrow as pa
import pyarrow.parquet as pq

from jobcrawler.export import COLUMNS
from jobcrawler.export_formats import CsvWriter, JsonlWriter, ParquetWriter, csv_cells
from jobcrawler.items import FEED_FIELDS, JobPosting

BERLIN = {"city": "Berlin", "region": "Berlin", "country": "DE", "raw": "Berlin, Germany"}
PARIS = {"city": "Paris", "region": None, "country": "FR", "raw": "Paris"}


def row(i: int, **changes) -> dict:
    values = dict.fromkeys(COLUMNS)
    values |= {
        "id": i,
        "company": "acme",
        "company_name": 'Acme, "Inc"',
        "external_id": str(i),
        "title": f"Engineer {i}",
        "description": "line one\nline two, with comma",
        "salary_min": 60000.0,
        "salary_max": 80000.5,
        "posted_at": datetime(2026, 11, 1, 9, 30, tzinfo=UTC),
        "first_seen_at": datetime(2026, 11, 2, tzinfo=UTC),
        "last_seen_at": datetime(2026, 11, 3, tzinfo=UTC),
        "status": "active",
        "places": [BERLIN, PARIS],
    }
    return values | changes


def test_no_internal_column_is_exported():
    assert not {"list_hash", "content_hash", "company_id"} & set(COLUMNS)


def test_csv_cells_are_iso_utc_and_places_json():
    cells = dict(zip(COLUMNS, csv_cells(row(1)), strict=True))
    assert cells["posted_at"] == "2026-11-01T09:30:00+00:00"
    assert cells["removed_at"] is None
    assert cells["salary_max"] == 80000.5
    assert json.loads(cells["places"]) == [BERLIN, PARIS]


def test_csv_round_trips_through_a_reader():
    out = io.StringIO()
    writer = CsvWriter(out)
    writer.write(row(1))
    writer.write(row(2, places=[]))
    writer.close()
    read = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(read[0]) == list(COLUMNS)
    assert [r["id"] for r in read] == ["1", "2"]
    assert read[0]["company_name"] == 'Acme, "Inc"'
    assert read[0]["description"] == "line one\nline two, with comma"
    assert read[0]["removed_at"] == ""
    assert json.loads(read[1]["places"]) == []


def test_jsonl_is_one_object_a_line():
    out = io.StringIO()
    writer = JsonlWriter(out)
    writer.write(row(1))
    writer.write(row(2, title="Ingénieur"))
    lines = out.getvalue().splitlines()
    assert len(lines) == 2
    first, second = map(json.loads, lines)
    assert list(first) == list(COLUMNS)
    assert first["places"] == [BERLIN, PARIS]
    assert first["first_seen_at"] == "2026-11-02T00:00:00+00:00"
    assert second["title"] == "Ingénieur"


def test_parquet_writes_row_groups_with_typed_columns(tmp_path):
    path = tmp_path / "out.parquet"
    writer = ParquetWriter(str(path), row_group_rows=2)
    for i in range(5):
        writer.write(row(i, salary_min=None if i == 3 else 60000.0))
    writer.close()
    file = pq.ParquetFile(path)
    assert file.metadata.num_row_groups == 3
    schema = file.schema_arrow
    assert schema.field("posted_at").type == pa.timestamp("us", tz="UTC")
    assert schema.field("salary_min").type == pa.float64()
    assert schema.field("id").type == pa.int64()
    table = file.read()
    assert table.column("id").to_pylist() == [0, 1, 2, 3, 4]
    assert table.column("salary_min").to_pylist()[2:4] == [60000.0, None]
    assert table.column("places").to_pylist()[0] == [BERLIN, PARIS]
    assert table.column("posted_at").to_pylist()[0] == datetime(2026, 11, 1, 9, 30, tzinfo=UTC)


def test_parquet_row_groups_are_bounded_by_their_text_too(tmp_path):
    """Long descriptions end a row group early: memory is bounded by text, not rows."""
    path = tmp_path / "long.parquet"
    writer = ParquetWriter(str(path), row_group_rows=100, row_group_text=25_000)
    for i in range(6):
        writer.write(row(i, description="x" * 10_000))
    writer.close()
    file = pq.ParquetFile(path)
    assert file.metadata.num_row_groups == 2
    assert [file.metadata.row_group(g).num_rows for g in range(2)] == [3, 3]
    assert file.read().column("id").to_pylist() == list(range(6))


def test_an_empty_parquet_export_still_has_the_schema(tmp_path):
    path = tmp_path / "out.parquet"
    ParquetWriter(str(path)).close()
    table = pq.read_table(path)
    assert (table.num_rows, table.column_names) == (0, list(COLUMNS))


def test_feeds_carry_every_item_field_but_the_internal_ones():
    internal = {"list_hash", "posted_at_relative", "salary_text"}
    assert set(JobPosting.fields) - set(FEED_FIELDS) == internal
    assert set(FEED_FIELDS) <= set(JobPosting.fields)
