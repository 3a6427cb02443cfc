"""`find --from FILE` and `find --check`: many URLs at once, and boards vetted by a real crawl."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from fakeats import FakeATS
from jobcrawler.catalog import load_catalog
from jobcrawler.finder_command import as_list, find_all, url_lines
from tests.helpers.crawling import ROOT

#: Runs check_boards in a process of its own (a reactor runs once per process).
CHECK = """
import json, sys
from jobcrawler.finder_check import check_boards
outcomes = check_boards(json.loads(sys.argv[1]))
print(json.dumps({o.company: [o.status, o.new, o.error] for o in outcomes}))
"""


def test_url_lines_take_an_optional_name_and_skip_comments() -> None:
    lines = ["# vetted by sales", "", "https://jobs.lever.co/acme", " acme.breezy.hr  Acme Corp "]
    assert list(url_lines(lines)) == [
        ("https://jobs.lever.co/acme", None),
        ("acme.breezy.hr", "Acme Corp"),
    ]


def test_many_urls_make_one_catalog_file(tmp_path: Path, capsys) -> None:
    targets = [
        ("https://jobs.lever.co/acme", None),
        ("https://job-boards.greenhouse.io/globex", "Globex Inc."),
        ("https://boards.greenhouse.io/globex", None),  # the same board again
        ("https://jobs.ashbyhq.com/acme", None),  # another board, but the name is taken
    ]
    found, failed = find_all(targets, sys.stderr, prefix=True)
    err = capsys.readouterr().err
    assert [(f.name, f.slug) for f in found] == [("Acme", "acme"), ("Globex Inc.", "globex_inc")]
    assert failed == 1
    assert "https://boards.greenhouse.io/globex: skipped: the same board as" in err
    assert "https://jobs.ashbyhq.com/acme: error: the name 'Acme' gives no new file name" in err
    text = as_list(found)
    assert yaml.safe_load(text) == [
        {"name": "Acme", "ats": "lever", "board": "acme"},
        {"name": "Globex Inc.", "ats": "greenhouse", "board": "globex"},
    ]
    (tmp_path / "new.yaml").write_text(text, encoding="utf-8")
    catalog = load_catalog(tmp_path)
    assert catalog.errors == [] and [c.slug for c in catalog.companies] == ["acme", "globex_inc"]


def entry(fake: FakeATS, ats: str, token: str) -> str:
    from fakeats.platforms import get_platform

    keys = {"name": token, "ats": ats, "base_url": fake.base_url(ats, token)}
    return yaml.safe_dump({**keys, **get_platform(ats).company_keys(token)}, sort_keys=False)


@pytest.mark.e2e
def test_check_counts_open_postings_without_details_and_records_nothing(
    fake_ats: FakeATS, tmp_path: Path
) -> None:
    """Complete boards are counted; an empty page mid-listing is partial; a board that errors
    is failed;
    Workday's 45 postings cost their 3 listing pages only; the database is never opened."""
    boards = {
        "ghcheck": fake_ats.add_board("greenhouse", "ghcheck", size=12, seed=2),
        "wdcheck": fake_ats.add_board("workday", "wdcheck", size=45, seed=3),
        "lvcheck": fake_ats.add_board("lever", "lvcheck", size=230, seed=4),
        "downcheck": fake_ats.add_board("greenhouse", "downcheck", size=5, seed=5),
    }
    boards["lvcheck"].set_fault("empty", page=1)
    boards["downcheck"].set_fault("http_500")
    ats = {"ghcheck": "greenhouse", "wdcheck": "workday", "lvcheck": "lever"}
    entries = [(slug, entry(fake_ats, ats.get(slug, "greenhouse"), slug)) for slug in boards]
    database = tmp_path / "never.sqlite3"
    fake_ats.clear_requests()
    result = subprocess.run(
        [sys.executable, "-c", CHECK, json.dumps(entries)],
        cwd=ROOT,
        env={**_env(), "DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    outcomes = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcomes["ghcheck"] == ["succeeded", 12, None]
    assert outcomes["wdcheck"] == ["succeeded", 45, None]
    status, count, error = outcomes["lvcheck"]
    assert status == "partial" and 0 < count < 230 and "next page has postings" in error
    status, count, error = outcomes["downcheck"]
    assert (status, count) == ("failed", 0) and "500" in error
    workday = [r for r in fake_ats.requests if r.token == "wdcheck"]
    assert {r.kind for r in workday} == {"list"} and len(workday) == 3
    assert not database.exists()


@pytest.mark.e2e
def test_cli_find_from_a_file_with_check_prints_the_boards_that_work(
    fake_ats: FakeATS, tmp_path: Path
) -> None:
    board = fake_ats.add_board("jsonld", "ldcheck", size=4, seed=6)
    careers = fake_ats.base_url("jsonld", "ldcheck") + "/careers"
    urls = tmp_path / "urls.txt"
    urls.write_text(f"# to vet\n{careers} Quayside Ltd\n{fake_ats.url}/nothing-here\n")
    result = subprocess.run(
        [sys.executable, "-m", "jobcrawler", "find", "--from", str(urls), "--check"],
        cwd=ROOT,
        env={**_env(), "DATABASE_URL": f"sqlite:///{tmp_path / 'never.sqlite3'}"},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 1, result.stderr  # one URL gave no board
    [found] = yaml.safe_load(result.stdout)
    assert found["name"] == "Quayside Ltd" and found["ats"] == "jsonld"
    assert f"check quayside_ltd: {len(board.ids())} open postings" in result.stderr
    assert f"{fake_ats.url}/nothing-here: " in result.stderr
    assert not (tmp_path / "never.sqlite3").exists()


def _env() -> dict[str, str]:
    import os

    return {k: v for k, v in os.environ.items() if k != "JOBCRAWLER_COMPANIES_DIR"}
