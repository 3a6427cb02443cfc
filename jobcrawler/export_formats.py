"""The export's file formats: rows (jobcrawler.export.COLUMNS) written as they come.

csv: one line per posting, timestamps ISO 8601 UTC, empty cells for NULL, `places` as a JSON
array. jsonl: one JSON object per line, `places` a list of objects. parquet: row groups of
`ROW_GROUP_ROWS` postings, or fewer once their text reaches `ROW_GROUP_TEXT` characters
(long descriptions would otherwise grow a group, held whole until written); timestamps `timestamp[us, UTC]`, salaries float64 (as the
database layer reads its cents), `places` a list<struct<city, region, country, raw>>.
"""

from __future__ import annotations

import csv
import json
from datetime import datetime
from typing import IO, Any, Protocol

from jobcrawler.db.content import PLACE_FIELDS
from jobcrawler.export import COLUMNS

FORMATS = ("csv", "jsonl", "parquet")
ROW_GROUP_ROWS = 5_000
ROW_GROUP_TEXT = 16_000_000
_TIMES = frozenset(("posted_at", "first_seen_at", "last_seen_at", "removed_at"))
_NUMBERS = frozenset(("salary_min", "salary_max"))


class Writer(Protocol):
    def write(self, row: dict[str, Any]) -> None: ...
    def close(self) -> None: ...


def plain(row: dict[str, Any]) -> dict[str, Any]:
    """`row` with JSON's types: timestamps as ISO 8601 UTC strings."""
    return {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in row.items()
    }


def csv_cells(row: dict[str, Any]) -> list[Any]:
    """The CSV cells of `row`: `places` as a JSON array, NULL as an empty cell."""
    cells = plain(row)
    cells["places"] = json.dumps(row["places"], ensure_ascii=False)
    return [cells[name] for name in COLUMNS]


class CsvWriter:
    def __init__(self, out: IO[str]) -> None:
        self._csv = csv.writer(out, lineterminator="\n")
        self._csv.writerow(COLUMNS)

    def write(self, row: dict[str, Any]) -> None:
        self._csv.writerow(csv_cells(row))

    def close(self) -> None:
        pass


class JsonlWriter:
    def __init__(self, out: IO[str]) -> None:
        self._out = out

    def write(self, row: dict[str, Any]) -> None:
        self._out.write(json.dumps(plain(row), ensure_ascii=False) + "\n")

    def close(self) -> None:
        pass


def parquet_schema() -> Any:
    import pyarrow as pa

    def kind(name: str) -> Any:
        if name == "id":
            return pa.int64()
        if name in _TIMES:
            return pa.timestamp("us", tz="UTC")
        if name in _NUMBERS:
            return pa.float64()
        if name == "places":
            return pa.list_(pa.struct([(field, pa.string()) for field in PLACE_FIELDS]))
        return pa.string()

    return pa.schema([(name, kind(name)) for name in COLUMNS])


class ParquetWriter:
    """Columns of up to ROW_GROUP_ROWS postings or ROW_GROUP_TEXT characters of text,
    written as one row group when full."""

    def __init__(
        self, path: str, row_group_rows: int = ROW_GROUP_ROWS, row_group_text: int = ROW_GROUP_TEXT
    ) -> None:
        import pyarrow.parquet as pq

        self._schema = parquet_schema()
        self._file = pq.ParquetWriter(path, self._schema, compression="zstd")
        self._rows = row_group_rows
        self._max_text = row_group_text
        self._text = 0
        self._columns: dict[str, list[Any]] = {name: [] for name in COLUMNS}
        self._count = 0

    def write(self, row: dict[str, Any]) -> None:
        for name, column in self._columns.items():
            value = row[name]
            column.append(value)
            if isinstance(value, str):
                self._text += len(value)
        self._count += 1
        if self._count >= self._rows or self._text >= self._max_text:
            self._flush()

    def _flush(self) -> None:
        import pyarrow as pa

        if self._count:
            self._file.write_table(pa.table(self._columns, schema=self._schema))
        self._columns = {name: [] for name in COLUMNS}
        self._count = self._text = 0

    def close(self) -> None:
        self._flush()
        self._file.close()


def open_writer(fmt: str, out: IO[str] | None, path: str | None) -> Writer:
    """The writer of `fmt` on `out` (csv, jsonl) or on the file at `path` (parquet)."""
    if fmt == "parquet":
        if path is None:
            raise ValueError("parquet needs a file: give -o FILE")
        return ParquetWriter(path)
    assert out is not None
    return CsvWriter(out) if fmt == "csv" else JsonlWriter(out)
