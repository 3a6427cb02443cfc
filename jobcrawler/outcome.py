"""What a crawl came to, and the exit status `scrapy crawl` and `python -m jobcrawler crawl` give.

The store pipeline leaves the session's status and counts in the crawl's stats
(`jobcrawler/session/...`). A recorded crawl without a status never closed its session (the
store broke, or the spider could not even be created): that is a failure, never a success.

Exit codes: 0 succeeded, 1 failed, 2 usage error, 3 partial, 4 refused (another crawl of the
company is running), 5 database unreachable. Several companies exit with the worst code by
5 > 1 > 4 > 3 > 0.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # `python -m jobcrawler --help` shows the exit codes without loading Scrapy
    from scrapy.crawler import Crawler

STATS_PREFIX = "jobcrawler/session/"
EXIT_CODES = {"succeeded": 0, "failed": 1, "partial": 3, "refused": 4, "db_unreachable": 5}
USAGE_ERROR = 2
#: Least to most severe: several crawls exit with the code of the most severe outcome.
SEVERITY = ("succeeded", "partial", "refused", "failed", "db_unreachable")
EXIT_CODES_HELP = (
    "exit status: 0 every crawl succeeded, 1 failed, 2 usage error, 3 partial (nothing "
    "removed), 4 refused (another crawl of the company is running), 5 database unreachable; "
    "with several companies the worst, by 5 > 1 > 4 > 3"
)


@dataclass(frozen=True)
class Outcome:
    """One company's crawl as the operator sees it."""

    company: str
    status: str
    new: int = 0
    updated: int = 0
    removed: int = 0
    error: str | None = None


def crawl_outcome(crawler: Crawler, company: str, error: str | None = None) -> Outcome:
    """The outcome of a finished crawler; `error` is why it could not run, if it raised."""
    stats = crawler._stats.get_stats() if crawler._stats is not None else {}
    status = stats.get(f"{STATS_PREFIX}status")
    error = error or stats.get(f"{STATS_PREFIX}error")
    finish = stats.get("finish_reason")
    if status not in EXIT_CODES:
        if status is None and finish == "finished" and not error and not _records(crawler):
            status = "succeeded"  # nothing to record: a crawl that ran to its end succeeded
        else:
            error = error or (
                "the crawl did not start (see the log)"
                if finish is None
                else f"no session outcome recorded (finish reason {finish!r}; see the log)"
            )
            status = "failed"
    return Outcome(
        company,
        status,
        new=stats.get(f"{STATS_PREFIX}new", 0),
        updated=stats.get(f"{STATS_PREFIX}updated", 0),
        removed=stats.get(f"{STATS_PREFIX}removed", 0),
        error=error,
    )


def exit_code(outcomes: Iterable[Outcome]) -> int:
    """0 only when every crawl succeeded, else the code of the most severe outcome."""
    worst = max((o.status for o in outcomes), key=SEVERITY.index, default="succeeded")
    return EXIT_CODES[worst]


def summary_table(outcomes: Iterable[Outcome]) -> str:
    """One line per company, problems last (closest to the prompt), then the totals."""
    ordered = sorted(outcomes, key=lambda o: (SEVERITY.index(o.status), o.company))
    width = max([len("company"), *(len(o.company) for o in ordered)])
    lines = [
        f"{'company':<{width}}  {'status':<14} {'new':>6} {'updated':>7} {'removed':>7}  error"
    ]
    for o in ordered:
        error = " ".join((o.error or "").split())
        lines.append(
            f"{o.company:<{width}}  {o.status:<14} {o.new:>6} {o.updated:>7} {o.removed:>7}"
            f"  {error[:200]}".rstrip()
        )
    counts = {s: sum(o.status == s for o in ordered) for s in SEVERITY}
    totals = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
    lines.append(f"{len(ordered)} companies: {totals or 'none crawled'}")
    return "\n".join(lines)


def _records(crawler: Crawler) -> bool:
    """Whether the crawl was meant to record a session (recording on, store enabled)."""
    from jobcrawler.pipelines.store import StorePipeline

    return crawler.settings.getbool("JOBCRAWLER_RECORD") and (
        crawler._engine is None or crawler.get_item_pipeline(StorePipeline) is not None
    )
