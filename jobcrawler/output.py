"""How every report (`report`, `status`, `stats`, `new`) prints its rows, whichever CLI runs it.

`table` is for people: one line per row, at most 100 characters, the columns marked `shrink`
cut short with "…" (long names, titles, errors) while numbers, dates and statuses stay whole.
`json`, `jsonl` and `csv` are for machines: every field, nothing cut.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TextIO

from jobcrawler.clitools import FORMATS
from jobcrawler.db.content import jsonable

#: Table width: fits a 100-column terminal.
WIDTH = 100
GAP = "  "
#: A shrinking column keeps at least this many characters (or its title's, if longer).
MIN_SHRUNK = 6

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Column:
    """A table column: the row's `key`, shown by `show` (default: the value), headed `title`
    (default: the key); `shrink` columns give up width when the table is too wide."""

    key: str
    title: str = ""
    show: Callable[[Row], str] | None = None
    shrink: bool = False

    @property
    def header(self) -> str:
        return self.title or self.key


def render(
    rows: Sequence[Row],
    fmt: str,
    out: TextIO,
    columns: Sequence[Column],
    *,
    fields: Sequence[str] = (),
    empty: str = "",
) -> None:
    """Print `rows` in `fmt`. A table without rows is the line `empty` (if any); a CSV header is
    `fields`, else every key of the rows, else (no rows) the columns' keys."""
    if fmt == "table":
        if rows or empty:
            print(table(rows, columns) if rows else empty, file=out)
        return
    data = [jsonable(dict(row)) for row in rows]
    if fmt == "json":
        print(json.dumps(data, indent=2), file=out)
    elif fmt == "jsonl":
        for item in data:
            print(json.dumps(item), file=out)
    elif fmt == "csv":
        keys = dict.fromkeys(key for item in data for key in item)
        names = list(fields or keys or (c.key for c in columns))
        writer = csv.DictWriter(out, fieldnames=names, lineterminator="\n", restval="")
        writer.writeheader()
        writer.writerows(data)
    else:
        raise ValueError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")


def cell(value: Any) -> str:
    """A value as one table cell: `-` for none, dates to the minute, whitespace collapsed."""
    if value is None:
        return "-"
    if isinstance(value, datetime):
        return f"{value:%Y-%m-%d %H:%M}"
    return " ".join(str(value).split())


def table(rows: Sequence[Row], columns: Sequence[Column], width: int = WIDTH) -> str:
    """An aligned table with a rule under the header, fitted to `width` characters."""
    header = [c.header for c in columns]
    body = [
        [" ".join(c.show(row).split()) if c.show else cell(row.get(c.key)) for c in columns]
        for row in rows
    ]
    natural = [max(len(line[i]) for line in [header, *body]) for i in range(len(columns))]
    widths = fit(natural, columns, width - len(GAP) * (len(columns) - 1))
    lines = [
        GAP.join(_cut(v, w).ljust(w) for v, w in zip(line, widths, strict=True))
        for line in [header, *body]
    ]
    lines.insert(1, GAP.join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def fit(natural: Sequence[int], columns: Sequence[Column], budget: int) -> list[int]:
    """Column widths within `budget`: the shrinking columns are capped at one common width,
    the largest that fits, so the widest give up the most and short ones stay whole."""

    def capped(cap: int) -> list[int]:
        return [
            max(min(w, cap), min(w, max(MIN_SHRUNK, len(c.header)))) if c.shrink else w
            for w, c in zip(natural, columns, strict=True)
        ]

    cap = max(natural, default=0)
    while cap > 0 and sum(capped(cap)) > budget:
        cap -= 1
    return capped(cap)


def _cut(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
