"""The alerts worker end to end: a real crawl changes a board on the fake ATS, and a real
webhook receiver, SMTP server and Slack-style receiver subscribed through a YAML saved
search get exactly the new matching postings, once each, the webhook correctly signed;
a receiver that is down gets everything once it is back; two workers at once send
nothing twice; the command refuses a bad file, naming the file and the field."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from fakeats import FakeATS
from jobcrawler.alerts import deliveries
from jobcrawler.alerts.mail import SmtpSettings
from jobcrawler.alerts.worker import run_pass
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.models import Subscription
from tests.helpers.alerts import (
    SECRET,
    SlackReceiver,
    SmtpSink,
    WebhookReceiver,
    queued,
    subscribe,
)
from tests.helpers.crawling import ROOT, Crawl, run
from tests.helpers.store import session_rows

pytestmark = pytest.mark.e2e


def write_search(directory: Path, department: str, hook: str, slack: str) -> None:
    directory.mkdir(exist_ok=True)
    (directory / "team.yaml").write_text(
        f"filters:\n  company: acme\n  department: {department.lower()}\n"
        "notify: [created]\n"
        f"subscribers:\n  - webhook: {hook}\n    secret: {SECRET}\n"
        "  - email: [ops@example.com]\n"
        f"  - slack: {slack}\n"
    )


def test_changed_board_reaches_every_subscriber_once(
    fake_ats: FakeATS, db_url: str, engine: Engine, tmp_path: Path
) -> None:
    crawl = Crawl(fake_ats, db_url, tmp_path)
    board = crawl.board("greenhouse", "acme", size=20, seed=3)
    run(crawl, board)
    receiver, slack = WebhookReceiver(SECRET), SlackReceiver()
    slack.start()
    searches = tmp_path / "searches"
    added = board.add(15)
    department = board.posting(added[0]).department
    write_search(searches, department, receiver.url, slack.url)
    with SmtpSink() as smtp:
        settings = SmtpSettings("127.0.0.1", smtp.port, None, None, "jobcrawler@test", False)
        clock = [datetime.now(UTC)]

        def now() -> datetime:
            return clock[0]

        def one_pass() -> None:
            result = run_pass(engine, searches_dir=searches, smtp=settings, now=now)
            assert result.errors == []

        one_pass()  # subscribes: from now on
        board.remove(2)
        run(crawl, board)
        expected = sorted(i for i in added if board.posting(i).department == department)
        assert 0 < len(expected) < len(added)
        deadline = datetime.now(UTC) + timedelta(seconds=300)
        while len(queued(engine)) < 3 * len(expected):  # PostgreSQL: the horizon may lag
            assert datetime.now(UTC) < deadline, queued(engine)
            one_pass()
        # the webhook receiver is down: its deliveries wait, the others went out
        assert receiver.received == []
        assert {state for _, state in queued(engine)} == {"pending", "sent"}
        clock[0] += timedelta(minutes=5)
        one_pass()  # still down: a second attempt fails
        receiver.start()
        one_pass()  # not due yet: the back-off after two failures is 60 s
        assert receiver.received == []
        clock[0] += timedelta(minutes=2)
        workers = [threading.Thread(target=one_pass) for _ in range(2)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        clock[0] += timedelta(hours=1)
        one_pass()
        receiver.stop()

    assert sorted(ext for _, ext in receiver.events()) == expected
    assert all(ok for _, _, ok in receiver.received)
    assert len({delivery for delivery, _, _ in receiver.received}) == len(expected)
    assert {state for _, state in queued(engine)} == {"sent"}
    [message] = smtp.messages  # one digest with every new matching posting
    assert message["To"] == "ops@example.com"
    body = message.get_payload()
    titles = [board.posting(i).title.strip() for i in expected]
    assert all(title in body for title in titles)
    assert body.count("New: ") == len(expected)
    assert len(slack.texts) == len(expected)
    slack.stop()


def test_command_names_the_bad_file_and_field(db_url: str, tmp_path: Path) -> None:
    searches = tmp_path / "searches"
    searches.mkdir()
    (searches / "good.yaml").write_text("subscribers: [{email: a@example.com}]\n")
    (searches / "bad.yaml").write_text("filters:\n  salary_min: lots\n")
    env = {**os.environ, "DATABASE_URL": db_url, "JOBCRAWLER_SEARCHES_DIR": str(searches)}
    result = subprocess.run(
        [sys.executable, "-m", "jobcrawler", "alerts"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert result.returncode == 1, result.stderr
    assert f"{searches / 'bad.yaml'}: filters.salary_min: Input should be a valid integer" in (
        result.stderr
    )
    assert "alerts: 0 sent" in result.stdout


def test_crawl_health_alerts_of_real_crawls(
    fake_ats: FakeATS, db_url: str, engine: Engine, tmp_path: Path
) -> None:
    crawl = Crawl(fake_ats, db_url, tmp_path)
    board = crawl.board("greenhouse", "acme", size=12)
    run(crawl, board)
    receiver = WebhookReceiver(SECRET)
    receiver.start()
    searches = tmp_path / "searches"
    searches.mkdir()
    (searches / "ops.yaml").write_text(
        f"kind: health\nsubscribers:\n  - webhook: {receiver.url}\n    secret: {SECRET}\n"
    )
    settings = SmtpSettings(None, 25, None, None, "jobcrawler@test", False)
    run_pass(engine, searches_dir=searches, smtp=settings)
    board.set_fault("empty")  # the board suddenly lists nothing
    run(crawl, board)
    crawl.companies["acme"] = ("greenhouse", "no-such-board")  # then it answers 404
    run(crawl, board)
    deadline = datetime.now(UTC) + timedelta(seconds=300)  # PostgreSQL: the horizon may lag
    while len(receiver.received) < 2:
        assert datetime.now(UTC) < deadline, (session_rows(engine), receiver.received)
        run_pass(engine, searches_dir=searches, smtp=settings)
    receiver.stop()
    alerts = [(body["alert"], body["company"]) for _, body, ok in receiver.received if ok]
    # no `withheld`: the postings the empty listing missed still exist, so the crawl is
    # partial (the guard acts on complete crawls; tests/test_alerts_health.py covers it)
    assert alerts == [("empty", "acme"), ("board_404", "acme")]


class KillingReceiver(WebhookReceiver):
    """Takes every POST; on the `at`-th it first kills the worker process (SIGKILL), which
    then dies with that delivery in flight."""

    def __init__(self, secret: str, at: int) -> None:
        super().__init__(secret)
        self.at = at
        self.victim: int | None = None

    def handle(self, headers: Any, raw: bytes) -> int:
        status = super().handle(headers, raw)
        if len(self.received) == self.at and self.victim is not None:
            os.kill(self.victim, signal.SIGKILL)
        return status


def test_worker_killed_mid_batch_sends_again_only_the_delivery_in_flight(
    db_url: str, engine: Engine, tmp_path: Path
) -> None:
    receiver = KillingReceiver(SECRET, at=5)
    receiver.start()
    subscribe(engine, subscribers=[{"webhook": receiver.url, "secret": SECRET}])
    with write_transaction(engine) as conn:
        subscription = conn.execute(select(Subscription.id)).scalar_one()
        events = [(f"event:{i}", {"i": i}) for i in range(12)]
        deliveries.add(conn, subscription, events, datetime.now(UTC))
    searches = tmp_path / "searches"
    searches.mkdir()
    env = {**os.environ, "DATABASE_URL": db_url, "JOBCRAWLER_SEARCHES_DIR": str(searches)}
    with receiver.lock:  # no POST is answered before the victim is known
        worker = subprocess.Popen([sys.executable, "-m", "jobcrawler", "alerts"], cwd=ROOT, env=env)
        receiver.victim = worker.pid
    assert worker.wait(timeout=120) == -signal.SIGKILL
    in_flight = receiver.received[-1][0]
    assert len(receiver.received) == 5

    # another pass once the dead worker's claim has expired
    later = datetime.now(UTC) + deliveries.CLAIM + timedelta(minutes=1)
    settings = SmtpSettings("127.0.0.1", 25, None, None, "jobcrawler@test", False)
    run_pass(engine, searches_dir=searches, smtp=settings, now=lambda: later)
    receiver.stop()
    sent = Counter(delivery for delivery, _, _ in receiver.received)
    assert len(sent) == 12 and {state for _, state in queued(engine)} == {"sent"}
    assert [delivery for delivery, times in sent.items() if times > 1] == [in_flight]
