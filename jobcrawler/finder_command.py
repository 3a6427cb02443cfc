"""`python -m jobcrawler find`: careers URLs (one, or a file of them) → catalog entries.

Messages go to stderr, entries to stdout, so `find --from urls.txt > companies/new.yaml`
gives a catalog file: one URL prints one entry, several print a YAML list. `--write`
also writes one file per company. `--check` crawls every board found (nothing is
recorded, no detail page is fetched) and reports its open postings; a board that cannot
be read is left out, so what is printed or written is a list of boards that work.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from jobcrawler.catalog import COMPANIES_DIR_ENV, slugify
from jobcrawler.finder import default_name, entry_yaml, find_board


@dataclass
class Found:
    """One URL's entry: its company name, slug and YAML."""

    url: str
    name: str
    slug: str
    text: str


def url_lines(lines: Iterable[str]) -> Iterator[tuple[str, str | None]]:
    """(URL, company name or None) of each line `URL [NAME...]`; blanks and `#` skipped."""
    for line in lines:
        line = line.strip()
        if line and not line.startswith("#"):
            url, _, name = line.partition(" ")
            yield url, name.strip() or None


def find_all(
    targets: Iterable[tuple[str, str | None]], err: TextIO, *, prefix: bool
) -> tuple[list[Found], int]:
    """Each target's entry; (entries, number of URLs that gave none)."""
    found: list[Found] = []
    boards: dict[str, str] = {}  # YAML without the name -> the URL that found it
    failed = 0
    for url, name in targets:
        lead = f"{url}: " if prefix else ""
        finding = find_board(url)
        print(lead + finding.message, file=err)
        for note in finding.notes:
            print(f"{lead}note: {note}", file=err)
        if finding.entry is None:
            failed += 1
            continue
        name = name or default_name(finding.entry, url)
        board = entry_yaml(finding.entry, "-")
        slug = slugify(name)
        if board in boards:
            print(f"{lead}skipped: the same board as {boards[board]}", file=err)
            continue
        if not slug or any(f.slug == slug for f in found):
            print(f"{lead}error: the name {name!r} gives no new file name; add a name", file=err)
            failed += 1
            continue
        boards[board] = url
        found.append(Found(url, name, slug, entry_yaml(finding.entry, name)))
    return found, failed


def check(found: list[Found], err: TextIO) -> tuple[list[Found], int]:
    """Crawl every board once; keep those that answered, with their posting counts."""
    from jobcrawler.finder_check import check_boards  # imports Scrapy's crawler

    outcomes = {o.company: o for o in check_boards([(f.slug, f.text) for f in found])}
    kept, failed = [], 0
    for entry in found:
        outcome = outcomes[entry.slug]
        if outcome.status == "succeeded":
            print(f"check {entry.slug}: {outcome.new} open postings", file=err)
        elif outcome.status == "partial":
            print(
                f"check {entry.slug}: at least {outcome.new} open postings, but the listing is"
                f" incomplete: {outcome.error}",
                file=err,
            )
        else:
            print(f"check {entry.slug}: cannot read the board: {outcome.error}", file=err)
            failed += 1
            continue
        kept.append(entry)
    return kept, failed


def write(found: list[Found], directory: Path, err: TextIO) -> int:
    """One file per company; an existing file is never overwritten. The number not written."""
    if not directory.is_dir():
        print(f"error: {directory} is not a directory; nothing written", file=err)
        return len(found)
    refused = 0
    for entry in found:
        path = directory / f"{entry.slug}.yaml"
        try:
            with path.open("x", encoding="utf-8") as out:
                out.write(entry.text)
        except FileExistsError:
            print(f"error: refusing to overwrite {path}; pick another name", file=err)
            refused += 1
            continue
        print(f"wrote {path}", file=err)
    return refused


def as_list(found: list[Found]) -> str:
    """The entries as one catalog file: a YAML list."""
    return "".join(
        "".join(
            ("- " if i == 0 else "  ") + line + "\n"
            for i, line in enumerate(entry.text.splitlines())
        )
        for entry in found
    )


def run(
    url: str | None,
    urls_file: str | None,
    *,
    name: str | None = None,
    do_check: bool = False,
    do_write: bool = False,
    directory: str | None = None,
) -> int:
    """The `find` command; 0 when every URL gave a (working, with --check) entry, else 1;
    2 when the file of URLs cannot be read."""
    err = sys.stderr
    if urls_file is not None:
        try:
            text = sys.stdin.read() if urls_file == "-" else Path(urls_file).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            print(f"error: cannot read {urls_file}: {exc}", file=err)
            return 2
        targets = list(url_lines(text.splitlines()))
    else:
        targets = [(url or "", name)]
    found, failed = find_all(targets, err, prefix=urls_file is not None)
    if do_check and found:
        found, not_read = check(found, err)
        failed += not_read
    print("".join(e.text for e in found) if urls_file is None else as_list(found), end="")
    if do_write:
        folder = Path(directory or os.environ.get(COMPANIES_DIR_ENV) or Path.cwd() / "companies")
        failed += write(found, folder, err)
    return 1 if failed else 0
