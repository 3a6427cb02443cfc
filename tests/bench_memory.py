"""`make bench` figure for memory: the peak RSS of one `scrapy crawl` of a big Greenhouse board.

The board (`POSTINGS` postings, ~4.5 KB descriptions: about 125 MB of JSON, under the default
256 MB download limit) is crawled once at default settings but the pace, storing every
posting new in PostgreSQL. Beside it, the peak RSS of a process that only parses the same
body whole, as the spider did before it streamed (body, decoded text and every parsed job at
once): what streaming saves. Peak RSS is the process's VmHWM, read from /proc until it
exits: not `wait4`'s ru_maxrss, which Linux carries across exec from the forking parent,
so every child of this process (which holds the fake ATS's rendered boards) would report
at least the parent's size.
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from fakeats import FakeATS
from tests.helpers.crawling import FAST, ROOT

POSTINGS = int(os.environ.get("BENCH_MEMORY_POSTINGS", "20000"))
#: The spider's parse before it streamed: `response.json()` of the whole board.
WHOLE_PARSE = """
import sys, urllib.request
from scrapy.http import TextResponse
body = urllib.request.urlopen(sys.argv[1]).read()
jobs = TextResponse(sys.argv[1], body=body).json()["jobs"]
print(len(body))
"""


def peak_rss_mb(pid: int) -> float:
    """VmHWM (peak resident set since exec) of a live process, in MB; 0 once it is gone."""
    with contextlib.suppress(FileNotFoundError, ProcessLookupError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_rss(command: list[str], env: dict[str, str]) -> tuple[float, str]:
    """(peak RSS in MB, stdout) of one process run to its end (it must succeed)."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=err)
        peak = 0.0
        while process.poll() is None:  # VmHWM only grows: the last reading is the peak
            peak = max(peak, peak_rss_mb(process.pid))
            time.sleep(0.02)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            raise SystemExit(f"memory benchmark failed: {command}\n{err.read()[-3000:]!r}")
        return peak, out.read().decode()


def figures(fake: FakeATS, db_url: str) -> list[str]:
    """The memory lines `make bench` prints."""
    fake.add_board("greenhouse", "bigboard", size=POSTINGS, seed=7, description_bytes=4500)
    board_url = fake.base_url("greenhouse", "bigboard")
    settings = [arg for setting in FAST for arg in ("-s", setting)]
    with tempfile.TemporaryDirectory() as catalog:
        Path(catalog, "bigboard.yaml").write_text(
            f"name: bigboard\nats: greenhouse\nboard: bigboard\nbase_url: {board_url}\n"
        )
        env = {**os.environ, "JOBCRAWLER_COMPANIES_DIR": catalog, "DATABASE_URL": db_url}
        whole, size = peak_rss(
            [
                sys.executable,
                "-c",
                WHOLE_PARSE,
                f"{board_url}/v1/boards/bigboard/jobs?content=true",
            ],
            env,
        )
        command = [sys.executable, "-m", "scrapy", "crawl", "bigboard", *settings]
        crawl, _ = peak_rss([*command, "-s", "JOBCRAWLER_RECORD=True"], env)
    return [
        f"memory: one `scrapy crawl` of a {POSTINGS:,}-posting Greenhouse board"
        f" ({int(size) / 1e6:,.0f} MB of JSON), stored: peak RSS {crawl:,.0f} MB"
        f" (the whole-document parse alone, as before streaming: {whole:,.0f} MB)",
    ]
