"""The scrapyd client when a node misbehaves, and what the placement makes of it.

A node that garbles or loses its answer must never crash a command that other nodes could
serve, and a schedule.json whose answer was lost must not be sent to a second node: the
first may have queued it. `SocketNode` is a scrapyd stand-in on a raw socket, so it can
answer with bytes no HTTP server library would send.
"""

from __future__ import annotations

from collections.abc import Callable
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
from tests.helpers.pgserver import free_port
from tests.helpers.scheduler import (
    BROKEN,
    TIMEOUT,
    Reply,
    SocketNode,
    crawl_session,
    ledger_run,
    scrapyd_like,
)

# --- the client -----------------------------------------------------------------------------


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
