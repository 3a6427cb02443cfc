"""The scrapyd client when a node misbehaves, and what the placement makes of it.

A node that garbles or loses its answer must never crash a command that other nodes could
serve, and a schedule.json whose answer was lost must not be sent to a second node: the
first may have queued it. `SocketNode` is a scrapyd stand-in on a raw socket, so it can
answer with bytes no HTTP server library would send.
"""

from __future__ import annotations

import json
import socket
import threading
import urllib.parse
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select

from jobcrawler.catalog import Company as CatalogCompany
from jobcrawler.db.schedule import ScheduleRun
from scheduler import reports, runs
from scheduler.cluster import Cluster, NodeState
from scheduler.runs import Run
from scheduler.scrapyd import NoAnswer, Node, NodeUnreachable
from scheduler.tick import Placer
from tests.pgserver import free_port
from tests.test_scheduler_tick import crawl_session, ledger_run

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


@pytest.fixture
def serve() -> Iterator[Callable[[Reply], SocketNode]]:
    started: list[SocketNode] = []

    def start(reply: Reply) -> SocketNode:
        started.append(SocketNode(reply))
        return started[-1]

    yield start
    for server in started:
        server.close()


# --- the client -----------------------------------------------------------------------------

BROKEN = {
    "garbage status line": b"garbage\r\n\r\n",  # http.client.BadStatusLine
    "truncated body": b'HTTP/1.0 200 OK\r\nContent-Length: 100\r\n\r\n{"status"',  # IncompleteRead
    "closed without answer": b"",  # RemoteDisconnected
    "not JSON": b"HTTP/1.0 200 OK\r\nContent-Length: 5\r\n\r\nhello",
    "silence": None,  # read timeout
}


@pytest.mark.parametrize("answer", BROKEN.values(), ids=BROKEN.keys())
def test_a_broken_answer_is_no_answer_naming_the_node(
    serve: Callable[[Reply], SocketNode], answer: bytes | None
) -> None:
    server = serve(lambda *_: answer)
    with pytest.raises(NoAnswer, match=rf"^scrapyd {server.url}: "):
        server.node().daemonstatus()
    assert server.endpoints() == ["daemonstatus.json"]  # it was sent


def test_a_node_that_refuses_the_connection_is_unreachable() -> None:
    node = Node(f"http://127.0.0.1:{free_port()}", timeout=TIMEOUT)
    with pytest.raises(NodeUnreachable, match=r"unreachable .*Connection refused"):
        node.daemonstatus()
    with pytest.raises(NodeUnreachable, match="nonnumeric port"):
        Node("http://127.0.0.1:port").daemonstatus()


def test_commands_skip_a_garbling_node_and_use_the_healthy_one(
    serve: Callable[[Reply], SocketNode],
) -> None:
    broken = serve(lambda *_: BROKEN["garbage status line"])
    healthy = serve(scrapyd_like())

    cluster = Cluster([broken.node(), healthy.node()])
    assert [s.node.url for s in cluster.states] == [healthy.url]
    assert "BadStatusLine" in cluster.down[broken.url]

    rows = reports.node_status([broken.node(), healthy.node()])
    assert [row["health"] == "ok" for row in rows] == [False, True]
    assert rows[0]["health"].startswith("no answer from daemonstatus.json (BadStatusLine(")


# --- placement ------------------------------------------------------------------------------

ACME = CatalogCompany(name="Acme", slug="acme", ats="greenhouse", board="acme")
DUE = datetime(2026, 11, 22, 7, tzinfo=UTC)
JOB = "acme-20261122T0700"


def _run(engine: Engine) -> Run:
    [company_id] = runs.ensure_companies(engine, [ACME]).values()
    return Run(ACME, company_id, DUE, 0, "schedule", JOB)


def _claims(engine: Engine) -> list[tuple[str, str, str | None]]:
    table = ScheduleRun.__table__
    with engine.connect() as conn:
        return [
            tuple(row) for row in conn.execute(select(table.c.status, table.c.node, table.c.error))
        ]


def _place(engine: Engine, cluster: Cluster, run: Run) -> Placer:
    placer = Placer(engine, cluster)
    placer.place_all([run])
    return placer


@pytest.mark.parametrize("answer", [BROKEN["silence"], BROKEN["garbage status line"]])
def test_a_lost_schedule_answer_leaves_the_claim_uncertain_on_that_node(
    engine: Engine,
    serve: Callable[[Reply], SocketNode],
    capsys: pytest.CaptureFixture[str],
    answer: bytes | None,
) -> None:
    lossy = serve(scrapyd_like(schedule=answer))
    healthy = serve(scrapyd_like())
    cluster = Cluster([lossy.node(), healthy.node()])  # equal load: lossy is tried first

    placer = _place(engine, cluster, _run(engine))

    assert lossy.endpoints()[-1] == "schedule.json"
    assert "schedule.json" not in healthy.endpoints()  # not sent a second time
    assert (placer.placed, placer.failures) == ([], 1)
    [(status, node, error)] = _claims(engine)
    assert (status, node) == ("uncertain", lossy.url)
    assert error.startswith(f"scrapyd {lossy.url}: no answer from schedule.json")
    assert f"{JOB} may be queued there, the next tick checks" in capsys.readouterr().err
    assert runs.last_scheduled(engine) == {runs.ensure_companies(engine, [ACME])["acme"]: DUE}


def test_a_refused_connection_fails_over_to_the_next_node(
    engine: Engine, serve: Callable[[Reply], SocketNode]
) -> None:
    healthy = serve(scrapyd_like())
    cluster = Cluster([])
    dead = Node(f"http://127.0.0.1:{free_port()}", timeout=TIMEOUT)  # went down after the survey
    cluster.states = [NodeState(dead, load=0), NodeState(healthy.node(), load=1)]

    placer = _place(engine, cluster, _run(engine))

    assert [url for _, url in placer.placed] == [healthy.url]
    assert _claims(engine) == [("scheduled", healthy.url, None)]
    assert dead.url in cluster.down


def _released(engine: Engine) -> None:
    company_id = runs.ensure_companies(engine, [ACME])["acme"]
    ledger_run(
        engine, company_id, JOB, due_at=DUE, node=None, status="failed_to_schedule", error="gone"
    )


def test_a_retaken_claim_whose_job_a_node_holds_is_not_placed_again(
    engine: Engine, serve: Callable[[Reply], SocketNode], capsys: pytest.CaptureFixture[str]
) -> None:
    _released(engine)
    holder = serve(scrapyd_like(jobs={"finished": [{"id": JOB, "spider": "acme"}]}))
    other = serve(scrapyd_like())

    placer = _place(engine, Cluster([other.node(), holder.node()]), _run(engine))

    assert "schedule.json" not in holder.endpoints() + other.endpoints()
    assert placer.placed == [] and placer.failures == 0
    assert _claims(engine) == [("scheduled", holder.url, None)]
    assert f"skip acme: run {JOB} already reached {holder.url}" in capsys.readouterr().out


def test_a_retaken_claim_with_a_crawl_session_is_not_placed_again(
    engine: Engine, serve: Callable[[Reply], SocketNode]
) -> None:
    _released(engine)
    crawl_session(engine, runs.ensure_companies(engine, [ACME])["acme"], JOB, "succeeded")
    node = serve(scrapyd_like())  # restarted since: it forgot the job

    _place(engine, Cluster([node.node()]), _run(engine))

    assert "schedule.json" not in node.endpoints()
    assert _claims(engine) == [("scheduled", None, None)]


def test_a_retaken_claim_nobody_knows_is_placed(
    engine: Engine, serve: Callable[[Reply], SocketNode]
) -> None:
    _released(engine)
    node = serve(scrapyd_like())

    placer = _place(engine, Cluster([node.node()]), _run(engine))

    assert [url for _, url in placer.placed] == [node.url]
    assert node.requests[-1][2]["jobid"] == JOB
    assert _claims(engine) == [("scheduled", node.url, None)]
