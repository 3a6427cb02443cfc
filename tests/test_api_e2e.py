"""`python -m jobcrawler serve` as a real process: it answers on 127.0.0.1, describes
itself at /openapi.json, and a property-based tester (schemathesis) finds no server error."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import httpx
import pytest
from sqlalchemy import Engine

from tests.helpers.api import Mirror, active_titles, event_count, serve_process
from tests.helpers.store import OTHER, crawl, posting

pytestmark = pytest.mark.e2e
#: Every check but `positive_data_acceptance`: to the schema a cursor is any string and
#: `notify` any list, and an invalid cursor (400), a NUL (400) or notices the search's kind
#: does not take (422) are refused, as documented.
EXCLUDED = "positive_data_acceptance"


def test_serve_process_feed_and_fuzzing(
    db_url: str, engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("JOBCRAWLER_API_TOKEN", "fuzz-token")  # the fuzzer writes too
    crawl(engine, [posting(i) for i in range(5)])
    crawl(engine, [posting(i, title="Chef") for i in range(1, 5)], gone=["0"])
    crawl(engine, [posting(7)], company=OTHER, complete=False)
    with serve_process(db_url, tmp_path) as base:
        spec = httpx.get(f"{base}/openapi.json").json()
        assert {"/postings", "/changes", "/healthz", "/metrics", "/searches"} <= set(spec["paths"])
        mirror = Mirror()
        mirror.catch_up(lambda path: httpx.get(base + path).json(), event_count(engine))
        assert {k: p["title"] for k, p in mirror.postings.items()} == active_titles(engine)
        for path in ("/", "/healthz", "/postings?q=chef", "/dashboard/", "/nowhere"):
            got, head = httpx.get(base + path), httpx.head(base + path)
            assert (head.status_code, head.content) == (got.status_code, b""), path
            assert head.headers.get("content-type") == got.headers.get("content-type"), path
        fuzz = subprocess.run(
            [
                sys.executable, "-m", "schemathesis.cli", "run", f"{base}/openapi.json",
                "--checks", "all", "--exclude-checks", EXCLUDED, "--max-examples", "25",
                "--generation-deterministic", "--workers", "1",
                "-H", "Authorization: Bearer fuzz-token",
            ],
            capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        assert fuzz.returncode == 0, fuzz.stdout[-4000:] + fuzz.stderr[-2000:]
