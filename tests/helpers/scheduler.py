"""Scheduler helpers: a farm of real scrapyd nodes, scrapyd stand-ins on raw sockets, and
ledger rows and sessions written by hand."""

from __future__ import annotations

import itertools
import json
import os
import re
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from fakeats import Board, FakeATS
from jobcrawler.db import make_engine
from jobcrawler.db.models import CrawlSession
from jobcrawler.db.schedule import ScheduleRun
from scheduler.cluster import Cluster, NodeState
from scheduler.scrapyd import Node
from tests.helpers.crawling import ROOT
from tests.helpers.scrapyd_nodes import ScrapydNode, deploy, scrapyd_env, start_nodes, stop_nodes

_tokens = itertools.count()


def recent_daily_schedule() -> tuple[str, datetime]:
    """A daily cron that fired two minutes ago, and that due time: stable for ~24 hours."""
    due = (datetime.now(UTC) - timedelta(minutes=2)).replace(second=0, microsecond=0)
    return f"{due.minute} {due.hour} * * *", due


class Farm:
    """Companies on the fake ATS, a catalog dir, real scrapyd nodes and one database."""

    def __init__(self, fake: FakeATS, db_url: str, tmp_path: Path) -> None:
        self.fake = fake
        self.db_url = db_url
        self.tmp_path = tmp_path
        self.catalog = tmp_path / "companies"
        self.catalog.mkdir()
        self.schedule, self.due = recent_daily_schedule()
        self.nodes: list[ScrapydNode] = []
        self.extra_env: dict[str, str] = {}
        self.engine = make_engine(db_url)

    def company(self, slug: str, *, size: int = 3, **extra: Any) -> Board:
        """A board of its own on the fake ATS, crawled as company `slug` (due 2 minutes ago)."""
        token = f"{slug}{next(_tokens)}x{os.getpid()}"
        board = self.fake.add_board("greenhouse", token, size=size, seed=len(slug))
        lines = [
            f"name: {slug}",
            "ats: greenhouse",
            f"board: {token}",
            f"base_url: {self.fake.url}",
            f"schedule: '{extra.pop('schedule', self.schedule)}'",
            "settings: {DOWNLOAD_DELAY: 0, AUTOTHROTTLE_ENABLED: false}",
            *(f"{key}: {value}" for key, value in extra.items()),
        ]
        (self.catalog / f"{slug}.yaml").write_text("\n".join(lines) + "\n")
        return board

    def start(self, count: int, *, deployed: bool = True, **env: str) -> list[ScrapydNode]:
        """Start nodes (after the catalog is written: scrapyd caches the spider list)."""
        env = {**scrapyd_env(self.db_url, self.catalog), **env}
        self.nodes = start_nodes(count, self.tmp_path / "nodes", env=env)
        if deployed:
            deploy(self.nodes)
        return self.nodes

    def close(self) -> None:
        try:
            stop_nodes(self.nodes)
        finally:
            self.engine.dispose()

    def env(self) -> dict[str, str]:
        """The scheduler's environment; `self.extra_env` adds to it (e.g. credentials)."""
        return {
            **{k: v for k, v in os.environ.items() if not k.startswith("SCRAPYD_")},
            # trailing slashes on purpose: the scheduler strips them
            "SCRAPYD_URLS": ",".join(n.url + "/" for n in self.nodes),
            # generous: a loaded CI machine (xdist on every core) can keep a real node busy
            "SCRAPYD_TIMEOUT": "30",
            "DATABASE_URL": self.db_url,
            "JOBCRAWLER_COMPANIES_DIR": str(self.catalog),
            "JOBCRAWLER_BATCH_SIZE": "1",  # a job per company; tests of batches set their size
            **self.extra_env,
        }

    def scheduler(self, *args: str) -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "scheduler", *args],
            cwd=ROOT,
            env=self.env(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
        process = self.scheduler(*args)
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            out, err = process.communicate()
            raise AssertionError(f"scheduler {args} hung:\n{out}\n{err}") from None
        return subprocess.CompletedProcess(process.args, process.returncode, out, err)

    def tick(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run("tick", "--jitter", "0", *args)

    def rows(self, sql: str, **params: Any) -> list[Any]:
        with self.engine.connect() as conn:
            return conn.execute(text(sql), params).all()

    def jobs(self) -> dict[str, list[dict]]:
        """Every job of every running node: {node url: [job, ...]} (all states)."""
        found: dict[str, list[dict]] = {}
        for node in self.nodes:
            if node.running:
                answer = node.get("listjobs.json", project="jobcrawler")
                states = ("pending", "running", "finished")
                found[node.url] = [job for s in states for job in answer.get(s, [])]
        return found

    @staticmethod
    def wait_for(check: Callable[[], Any], what: str, timeout: float = 90) -> Any:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            result = check()
            if result:
                return result
            time.sleep(0.5)
        raise AssertionError(f"timed out after {timeout:g}s waiting for {what}")


#: The UTC time that starts every line tick, daily and maintain print.
STAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ ", re.MULTILINE)


def unstamped(output: str) -> str:
    """A cron command's output without the time at the start of its lines."""
    return STAMP.sub("", output)


def scheduled_lines(output: str) -> list[str]:
    return [line for line in unstamped(output).splitlines() if line.startswith("scheduled ")]


NODE = "http://node1:6800"


def snapshot(jobs: dict[str, list[dict]], fetched_at: datetime) -> Cluster:
    """A cluster as if one node (NODE) had answered listjobs with `jobs`."""
    cluster = Cluster([])
    cluster.states = [NodeState(Node(NODE), load=0, jobs=jobs)]
    cluster.fetched_at = fetched_at
    return cluster


def ledger_run(engine: Engine, company_id: int, job_id: str, **values: Any) -> None:
    values = {
        "company_id": company_id,
        "due_at": datetime(2026, 11, 22, 7, tzinfo=UTC),
        "attempt": 0,
        "trigger": "schedule",
        "job_id": job_id,
        "node": NODE,
        "scheduled_at": datetime.now(UTC) - timedelta(minutes=5),
        "status": "scheduled",
        **values,
    }
    with engine.begin() as conn:
        conn.execute(ScheduleRun.__table__.insert().values(values))


def crawl_session(engine: Engine, company_id: int, job_id: str, status: str, **values: Any) -> None:
    with engine.begin() as conn:
        conn.execute(
            CrawlSession.__table__.insert().values(
                company_id=company_id,
                spider="acme",
                job_id=job_id,
                trigger="schedule",
                status=status,
                started_at=values.pop("started_at", datetime.now(UTC) - timedelta(minutes=4)),
                **values,
            )
        )


#: (method, endpoint, form or query fields) -> the raw bytes to send back, or None: send
#: nothing and keep the connection open until the server closes (a read timeout).
Reply = Callable[[str, str, dict[str, str]], bytes | None]


TIMEOUT = 0.5  # seconds per call: a silent node costs this much


def http_json(payload: object) -> bytes:
    body = json.dumps(payload).encode()
    head = f"HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: {len(body)}"
    return head.encode() + b"\r\n\r\n" + body


def scrapyd_like(schedule: bytes | str | None = "ok", jobs: dict | None = None) -> Reply:
    """Answers daemonstatus and listjobs like an idle scrapyd holding `jobs`; schedule.json
    with `schedule` ("ok": scrapyd's own answer)."""

    def reply(method: str, endpoint: str, fields: dict[str, str]) -> bytes | None:
        if endpoint == "daemonstatus.json":
            return http_json({"status": "ok", "pending": 0, "running": 0, "finished": 0})
        if endpoint == "listjobs.json":
            states = {"pending": [], "running": [], "finished": [], **(jobs or {})}
            return http_json({"status": "ok", **states})
        if endpoint == "schedule.json" and method == "POST":
            if schedule == "ok":
                return http_json({"status": "ok", "jobid": fields["jobid"]})
            return schedule
        return http_json({"status": "error", "message": f"no {endpoint} here"})

    return reply


class SocketNode:
    """A TCP server on 127.0.0.1 that answers each request with `reply`'s raw bytes."""

    def __init__(self, reply: Reply) -> None:
        self.reply = reply
        self.requests: list[tuple[str, str, dict[str, str]]] = []
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.1)
        self.url = f"http://127.0.0.1:{self._server.getsockname()[1]}"
        self._held: list[socket.socket] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def node(self) -> Node:
        return Node(self.url, timeout=TIMEOUT)

    def endpoints(self) -> list[str]:
        return [endpoint for _, endpoint, _ in self.requests]

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self._server.accept()
            except TimeoutError:
                continue
            request = _read_request(conn)
            self.requests.append(request)
            answer = self.reply(*request)
            if answer is None:
                self._held.append(conn)
                continue
            conn.sendall(answer)
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self._server.close()
        for conn in self._held:
            conn.close()


def _read_request(conn: socket.socket) -> tuple[str, str, dict[str, str]]:
    conn.settimeout(5)
    data = b""
    while b"\r\n\r\n" not in data:
        data += conn.recv(65536)
    head, body = data.split(b"\r\n\r\n", 1)
    lines = head.decode("latin-1").split("\r\n")
    method, target, _ = lines[0].split(" ")
    headers = dict(line.lower().split(": ", 1) for line in lines[1:])
    while len(body) < int(headers.get("content-length", 0)):
        body += conn.recv(65536)
    path, _, query = target.partition("?")
    fields = dict(urllib.parse.parse_qsl(body.decode() or query))
    return method, path.lstrip("/"), fields


BROKEN = {
    "garbage status line": b"garbage\r\n\r\n",  # http.client.BadStatusLine
    "truncated body": b'HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\n{"status"',  # IncompleteRead
    "closed without answer": b"",  # RemoteDisconnected
    "not JSON": b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    "silence": None,  # read timeout
}
