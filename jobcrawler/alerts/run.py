"""The `alerts` command: the database opened as other commands do, lines stamped for cron."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime

from jobcrawler.alerts import deliveries, mail, worker
from jobcrawler.alerts.spec import searches_dir
from jobcrawler.clitools import stamped_lines
from jobcrawler.db.access import DatabaseProblem, write_engine


def main(*, loop: bool, interval: float, retry_now: bool = False) -> int:
    with stamped_lines():
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
        try:
            engine = write_engine()
        except DatabaseProblem as exc:
            print(f"error: {exc}", file=sys.stderr)
            return exc.status
        if retry_now:
            moved = deliveries.retry_now(engine, datetime.now(UTC))
            print(f"alerts: {moved} undelivered made due now")
        options = {"searches_dir": searches_dir(), "smtp": mail.SmtpSettings.from_env()}
        if loop:
            worker.loop(engine, interval, **options)  # until interrupted
            return 0
        result = worker.run_pass(engine, **options)  # type: ignore[arg-type]
        for error in result.errors:
            print(f"error: {error}", file=sys.stderr)
        print(f"alerts: {result.sent} sent, {result.retried} to retry")
        return 1 if result.errors else 0
