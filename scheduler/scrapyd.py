"""A small scrapyd client over urllib: explicit timeouts, and errors that name the node.

scrapyd answers most errors with HTTP 200 and `{"status": "error", "message": ...}`, so every
answer's `status` is checked; only a failed basic auth is a real HTTP error (401). A call that
fails in transit says whether the request can have reached the node: NodeUnreachable (it did
not) or NoAnswer (it was sent, so a schedule.json may have been queued).
"""

from __future__ import annotations

import base64
import http.client
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

DEFAULT_URL = "http://localhost:6800"
DEFAULT_CAPACITY = 4


class ScrapydError(Exception):
    """scrapyd refused a call; the message names the node and says why."""

    def __init__(self, node: str, message: str) -> None:
        super().__init__(f"scrapyd {node}: {message}")
        self.node = node


class NodeUnreachable(ScrapydError):
    """The request never reached the node (refused, connect timeout, DNS): try another one."""


class NoAnswer(ScrapydError):
    """The request was sent but no usable answer came back (read timeout, broken HTTP, not
    JSON): the node may have acted on it."""


class AuthError(ScrapydError):
    """HTTP 401: SCRAPYD_USERNAME / SCRAPYD_PASSWORD are missing or wrong."""


@dataclass(frozen=True)
class Config:
    """Scheduler settings from the environment (see scheduler/cli.py)."""

    urls: tuple[str, ...]
    capacities: tuple[int, ...]
    project: str = "jobcrawler"
    username: str | None = None
    password: str | None = None
    timeout: float = 10.0

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Config:
        env = os.environ if environ is None else environ
        urls = tuple(
            url.strip().rstrip("/")
            for url in env.get("SCRAPYD_URLS", DEFAULT_URL).split(",")
            if url.strip()
        )
        if not urls:
            raise ValueError("SCRAPYD_URLS is empty")
        raw = [c.strip() for c in env.get("SCRAPYD_CAPACITY", "").split(",") if c.strip()]
        try:
            numbers = [int(c) for c in raw] or [DEFAULT_CAPACITY]
        except ValueError:
            raise ValueError(
                f"SCRAPYD_CAPACITY={env['SCRAPYD_CAPACITY']!r}: not integers"
            ) from None
        if len(numbers) == 1:
            numbers *= len(urls)
        if len(numbers) != len(urls) or min(numbers) < 1:
            raise ValueError("SCRAPYD_CAPACITY: one positive number, or one per SCRAPYD_URLS entry")
        return cls(
            urls=urls,
            capacities=tuple(numbers),
            project=env.get("SCRAPYD_PROJECT") or "jobcrawler",
            username=env.get("SCRAPYD_USERNAME") or None,
            password=env.get("SCRAPYD_PASSWORD") or None,
            timeout=float(env.get("SCRAPYD_TIMEOUT") or 10),
        )

    def nodes(self) -> list[Node]:
        return [
            Node(url, project=self.project, auth=self.auth(), timeout=self.timeout, capacity=cap)
            for url, cap in zip(self.urls, self.capacities, strict=True)
        ]

    def auth(self) -> tuple[str, str] | None:
        if self.username and self.password:
            return self.username, self.password
        return None


class Node:
    """One scrapyd node of one project."""

    def __init__(
        self,
        url: str,
        *,
        project: str = "jobcrawler",
        auth: tuple[str, str] | None = None,
        timeout: float = 10.0,
        capacity: int = DEFAULT_CAPACITY,
    ) -> None:
        self.url = url.rstrip("/")
        self.project = project
        self.timeout = timeout
        self.capacity = capacity
        self._headers = {"Accept": "application/json"}
        if auth:
            token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode()
            self._headers["Authorization"] = f"Basic {token}"

    def __repr__(self) -> str:
        return f"Node({self.url!r})"

    def call(self, endpoint: str, params: Mapping[str, Any], *, post: bool = False) -> dict:
        """The JSON answer of `endpoint`; ScrapydError unless its status is "ok"."""
        query = urllib.parse.urlencode({k: str(v) for k, v in params.items()})
        url = f"{self.url}/{endpoint}"
        data = None
        if post:
            data = query.encode()
        elif query:
            url += f"?{query}"
        request = urllib.request.Request(url, data=data, headers=self._headers)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:
                body = response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 401:
                raise AuthError(
                    self.url, "HTTP 401: check SCRAPYD_USERNAME and SCRAPYD_PASSWORD"
                ) from None
            raise ScrapydError(self.url, f"HTTP {exc.code} from {endpoint}") from None
        except urllib.error.URLError as exc:  # urllib wraps what fails connecting or sending
            raise NodeUnreachable(self.url, f"unreachable ({exc.reason})") from None
        except http.client.InvalidURL as exc:
            raise NodeUnreachable(self.url, f"unreachable ({exc})") from None
        except (OSError, http.client.HTTPException) as exc:  # the answer timed out or broke off
            raise NoAnswer(self.url, f"no answer from {endpoint} ({exc!r})") from None
        try:
            answer = json.loads(body)
        except ValueError:
            raise NoAnswer(self.url, f"{endpoint} did not answer JSON: {body[:200]!r}") from None
        if not isinstance(answer, dict) or answer.get("status") != "ok":
            message = answer.get("message") if isinstance(answer, dict) else answer
            raise ScrapydError(self.url, f"{endpoint} failed: {message}")
        return answer

    def daemonstatus(self) -> dict:
        return self.call("daemonstatus.json", {})

    def listjobs(self) -> dict[str, list[dict]]:
        answer = self.call("listjobs.json", {"project": self.project})
        return {state: answer.get(state, []) for state in ("pending", "running", "finished")}

    def job_state(self, job: str) -> str | None:
        """pending, running, finished, or None when the node does not know the job."""
        return self.call("status.json", {"job": job, "project": self.project}).get("currstate")

    def schedule(
        self,
        spider: str,
        *,
        jobid: str,
        priority: int = 0,
        args: Mapping[str, str] | None = None,
    ) -> str:
        """Queue a crawl; spider arguments go as plain parameters (see scrapyd's API)."""
        params = {"project": self.project, "spider": spider, "jobid": jobid, "priority": priority}
        params.update(args or {})
        return self.call("schedule.json", params, post=True)["jobid"]
