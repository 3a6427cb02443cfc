"""The scrapyd nodes as one command sees them: who answers, how loaded, which jobs they hold.

Each node is asked once per command (daemonstatus.json, then listjobs.json), so every
decision of a tick works on one consistent snapshot taken before the database is read.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TextIO

from jobcrawler.catalog import BATCH_SPIDER
from scheduler.planning import NodeLoad, rank_nodes
from scheduler.scrapyd import Node, ScrapydError

JOB_STATES = ("pending", "running", "finished")


@dataclass
class NodeState:
    node: Node
    load: int  # pending + running, all projects (daemonstatus.json)
    jobs: dict[str, list[dict]] = field(default_factory=dict)  # listjobs.json of our project

    def state_of(self, job_id: str) -> str | None:
        """pending / running / finished, or None when the node does not know the job."""
        for state in JOB_STATES:
            if any(job.get("id") == job_id for job in self.jobs.get(state, [])):
                return state
        return None

    def active_jobs(self) -> list[dict]:
        return [job for s in ("pending", "running") for job in self.jobs.get(s, [])]


class Cluster:
    """Reachable nodes (with their jobs) and the unreachable ones (with the reason)."""

    def __init__(self, nodes: Sequence[Node], err: TextIO | None = None) -> None:
        self.err = err or sys.stderr
        self.fetched_at = datetime.now(UTC)
        self.states: list[NodeState] = []
        self.down: dict[str, str] = {}
        for node in nodes:
            try:
                self.states.append(self._survey(node))
            except ScrapydError as exc:
                self.mark_down(node.url, str(exc))

    @staticmethod
    def _survey(node: Node) -> NodeState:
        status = node.daemonstatus()
        state = NodeState(node, int(status.get("pending", 0)) + int(status.get("running", 0)))
        try:
            state.jobs = node.listjobs()
        except ScrapydError as exc:
            # Not deployed there (yet): no jobs of ours. Scheduling on it fails and moves on.
            if f"project '{node.project}' not found" not in str(exc):
                raise
        return state

    def mark_down(self, url: str, reason: str) -> None:
        """Stop using a node for the rest of the command; say so on stderr."""
        self.states = [s for s in self.states if s.node.url != url]
        self.down[url] = reason
        print(f"skipping node: {reason}", file=self.err)

    def state(self, url: str) -> NodeState | None:
        return next((s for s in self.states if s.node.url == url), None)

    def holder(self, job_id: str) -> str | None:
        """The URL of a reachable node that knows the job (in any state), if one does."""
        return next((s.node.url for s in self.states if s.state_of(job_id)), None)

    def busy(self) -> dict[str, str]:
        """{spider: node url} of every pending or running one-company job on a reachable node."""
        return {
            job["spider"]: s.node.url
            for s in self.states
            for job in s.active_jobs()
            if job["spider"] != BATCH_SPIDER
        }

    def batch_jobs(self) -> dict[str, str]:
        """{job id: node url} of every pending or running batch job (its companies are in
        schedule_runs: scrapyd does not list a job's arguments)."""
        return {
            job["id"]: s.node.url
            for s in self.states
            for job in s.active_jobs()
            if job["spider"] == BATCH_SPIDER
        }

    def ranked(self) -> list[NodeState]:
        """Reachable nodes, least loaded first."""
        by_url = {s.node.url: s for s in self.states}
        loads = [NodeLoad(s.node.url, s.load, s.node.capacity) for s in self.states]
        return [by_url[n.url] for n in rank_nodes(loads)]
