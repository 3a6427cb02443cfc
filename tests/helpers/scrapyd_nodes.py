"""Real scrapyd daemons for tests. Each node has its own workdir, port and scrapyd.conf.

scrapyd runs from its own virtualenv, `.scrapyd-venv/` in the repository. It is built once
from scheduler/requirements-scrapyd.txt and holds jobcrawler's dependencies but not
jobcrawler. The reason: the test `.venv` has the project installed in editable mode, and an
installed copy shadows the deployed egg. Tests run from `.venv` would then pass even with a
broken egg. Building `.scrapyd-venv/` takes about 20 s the first time.

    nodes = start_nodes(2, tmp_path, env=scrapyd_env(db_url, catalog_dir))
    try:
        version = deploy(nodes)          # the session's egg, under one version on every node
        jobid = nodes[0].post("schedule.json", project="jobcrawler", spider="acme")["jobid"]
    finally:
        stop_nodes(nodes)                # also kills crawls left running by stop() or kill()
"""

from __future__ import annotations

import atexit
import base64
import functools
import hashlib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scheduler.deploy import (
    COMPANIES_DIR_ENV,
    PROJECT,
    build_egg,
    check_egg,
    deploy_target,
    egg_contents,
    file_lock,
)
from tests.helpers.pgserver import free_port

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / ".scrapyd-venv"
REQUIREMENTS = ROOT / "scheduler" / "requirements-scrapyd.txt"
START_TIMEOUT = 60.0
STOP_TIMEOUT = 15.0
API_TIMEOUT = 30.0
#: Variables of the test process that must not reach scrapyd. PYTHONPATH could make the
#: project importable, and SCRAPYD_* would override scrapyd.conf (port, auth). The caller's
#: `env` may set any of them again.
_NOT_INHERITED = {
    "PYTHONPATH",
    "PYTHONHOME",
    "VIRTUAL_ENV",
    "DATABASE_URL",
    COMPANIES_DIR_ENV,
    "SCRAPY_SETTINGS_MODULE",
    "SCRAPY_PROJECT",
}


def _run(args: Sequence[str], *, timeout: float, **kwargs: Any) -> str:
    """Run a command; raise with its output if it fails."""
    result = subprocess.run(
        list(args), capture_output=True, text=True, timeout=timeout, check=False, **kwargs
    )
    if result.returncode != 0:
        output = (result.stdout + result.stderr)[-3000:]
        raise RuntimeError(f"`{' '.join(args)}` exited {result.returncode}:\n{output}")
    return result.stdout


@functools.cache
def scrapyd_python() -> Path:
    """The interpreter of `.scrapyd-venv/`, built (or rebuilt when the requirements change)."""
    digest = hashlib.sha256(REQUIREMENTS.read_bytes() + sys.version.encode()).hexdigest()
    python, stamp = VENV / "bin" / "python", VENV / ".requirements.sha256"
    with file_lock("jobcrawler-scrapyd-venv"):
        if python.exists() and stamp.exists() and stamp.read_text() == digest:
            return python
        shutil.rmtree(VENV, ignore_errors=True)
        _run([sys.executable, "-m", "venv", str(VENV)], timeout=120)
        pip = [str(python), "-m", "pip", "install", "--quiet", "-r", str(REQUIREMENTS)]
        _run(pip, timeout=900)
        stamp.write_text(digest)
    return python


def scrapyd_env(db_url: str, companies_dir: Path | None = None) -> dict[str, str]:
    """The variables a jobcrawler node needs. `companies_dir=None` uses the packaged catalog."""
    env = {"DATABASE_URL": db_url}
    if companies_dir is not None:
        env[COMPANIES_DIR_ENV] = str(companies_dir)
    return env


#: Process groups of every scrapyd started, and so of the crawls it started. They are
#: killed at exit in case a test forgot stop_nodes().
_groups: set[int] = set()


def _kill_groups(groups: set[int]) -> None:
    for group in list(groups):
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(group, signal.SIGKILL)
        groups.discard(group)


atexit.register(_kill_groups, _groups)


@dataclass(eq=False)
class ScrapydNode:
    """One scrapyd daemon started with `python -m scrapyd`, with cwd = its workdir."""

    name: str
    port: int
    workdir: Path
    url: str  # no trailing slash
    env: dict[str, str] = field(default_factory=dict, repr=False)
    max_proc: int = 2
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)
    _groups: set[int] = field(default_factory=set, repr=False)

    @property
    def log_path(self) -> Path:
        return self.workdir / "scrapyd.log"

    @property
    def auth(self) -> tuple[str, str] | None:
        """Basic-auth credentials, when the node's env turns auth on (both must be set)."""
        user, password = self.env.get("SCRAPYD_USERNAME"), self.env.get("SCRAPYD_PASSWORD")
        return (user, password) if user and password else None

    def target(self) -> dict[str, str]:
        """This node as a scheduler.deploy target."""
        user, password = self.auth or ("", "")
        return {"url": self.url, "project": PROJECT, "username": user, "password": password}

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def write_config(self) -> None:
        dirs = {
            key: self.workdir / key.removesuffix("_dir")
            for key in ("eggs_dir", "logs_dir", "dbs_dir")
        }
        lines = [
            "[scrapyd]",
            "bind_address = 127.0.0.1",
            f"http_port = {self.port}",
            f"max_proc = {self.max_proc}",
            *(f"{key} = {path}" for key, path in dirs.items()),
            "items_dir =",
            # Auth only from `env`, whatever an installed /etc/scrapyd/scrapyd.conf says.
            "username =",
            "password =",
            "jobstorage = scrapyd.jobstorage.SqliteJobStorage",
            "poll_interval = 0.5",
            f"node_name = {self.name}",
        ]
        (self.workdir / "scrapyd.conf").write_text("\n".join(lines) + "\n")

    def start(self, timeout: float = START_TIMEOUT) -> None:
        """Start scrapyd and wait until daemonstatus.json answers."""
        if self.running:
            raise RuntimeError(f"scrapyd {self.name} is already running")
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                [str(scrapyd_python()), "-m", "scrapyd"],
                cwd=self.workdir,
                env=self.env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,  # its own process group, shared by its crawls
            )
        self._groups.add(self.process.pid)
        _groups.add(self.process.pid)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"scrapyd {self.name} exited with {self.process.returncode}:\n{self.log()[-3000:]}"
                )
            with suppress(OSError, ValueError):
                if self.get("daemonstatus.json", timeout=2).get("status") == "ok":
                    return
            time.sleep(0.1)
        self.kill()
        raise TimeoutError(
            f"scrapyd {self.name} did not answer within {timeout:.0f} s:\n{self.log()[-3000:]}"
        )

    def _signal(self, signum: int, timeout: float) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signum)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout)

    def stop(self, timeout: float = STOP_TIMEOUT) -> None:
        """SIGTERM scrapyd and wait. Running crawls go on as orphans, as in production."""
        self._signal(signal.SIGTERM, timeout)

    def kill(self) -> None:
        """SIGKILL scrapyd itself (not its crawls), like a crash."""
        self._signal(signal.SIGKILL, STOP_TIMEOUT)

    def close(self) -> None:
        """Stop scrapyd and kill every crawl it ever started: the cleanup for finalizers."""
        self.stop()
        _kill_groups(self._groups)

    def log(self) -> str:
        """scrapyd's own stdout/stderr, across restarts."""
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def job_log(self, spider: str, job: str) -> str:
        """The Scrapy log of one job ("" until it exists)."""
        path = self.workdir / "logs" / PROJECT / spider / f"{job}.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def _request(
        self, endpoint: str, data: bytes | None, query: str, timeout: float
    ) -> dict[str, Any]:
        request = urllib.request.Request(f"{self.url}/{endpoint}{query}", data=data)
        if self.auth:
            token = base64.b64encode(":".join(self.auth).encode()).decode()
            request.add_header("Authorization", f"Basic {token}")
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)

    def get(self, endpoint: str, *, timeout: float = API_TIMEOUT, **params: str) -> dict[str, Any]:
        """GET a scrapyd endpoint. The answer is returned as is, `status: error` included."""
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        return self._request(endpoint, None, query, timeout)

    def post(
        self,
        endpoint: str,
        fields: Sequence[tuple[str, str]] = (),
        *,
        timeout: float = API_TIMEOUT,
        **params: str,
    ) -> dict[str, Any]:
        """POST a form; `fields` carries repeated keys such as `("setting", "K=V")`."""
        data = urllib.parse.urlencode([*params.items(), *fields]).encode()
        return self._request(endpoint, data, "", timeout)


def _node_env(env: Mapping[str, str], workdir: Path) -> dict[str, str]:
    inherited = {
        key: value
        for key, value in os.environ.items()
        if key not in _NOT_INHERITED and not key.startswith("SCRAPYD_")
    }
    return {**inherited, **env, "PYTHON_EGG_CACHE": str(workdir / "egg-cache")}


def start_nodes(
    count: int, base: Path, *, env: Mapping[str, str], max_proc: int = 2
) -> list[ScrapydNode]:
    """Start `count` nodes in `base/node1`, `base/node2`, …; all or none are left running."""
    nodes: list[ScrapydNode] = []
    try:
        for index in range(1, count + 1):
            workdir = base / f"node{index}"
            workdir.mkdir(parents=True)
            port = free_port()
            node = ScrapydNode(
                name=f"node{index}",
                port=port,
                workdir=workdir,
                url=f"http://127.0.0.1:{port}",
                env=_node_env(env, workdir),
                max_proc=max_proc,
            )
            node.write_config()
            nodes.append(node)
            node.start()
    except BaseException:
        stop_nodes(nodes)
        raise
    return nodes


def stop_nodes(nodes: Sequence[ScrapydNode]) -> None:
    """close() every node, even when one of them fails."""
    errors = []
    for node in nodes:
        try:
            node.close()
        except Exception as exc:
            errors.append(exc)
    if errors:
        raise errors[0]


@contextmanager
def running_nodes(
    count: int, base: Path, *, env: Mapping[str, str], max_proc: int = 2
) -> Iterator[list[ScrapydNode]]:
    """start_nodes() for a `with` block or a yield fixture; stop_nodes() at the end."""
    nodes = start_nodes(count, base, env=env, max_proc=max_proc)
    try:
        yield nodes
    finally:
        stop_nodes(nodes)


@functools.cache
def session_egg() -> Path:
    """The project's egg, built once per test process with `scrapyd-deploy --build-egg`."""
    scratch = Path(tempfile.mkdtemp(prefix="jobcrawler-test-egg-"))
    atexit.register(shutil.rmtree, scratch, True)
    egg = build_egg(scratch / "jobcrawler.egg")
    check_egg(egg_contents(egg))
    return egg


_last_version = 0


def next_version() -> str:
    """A Unix timestamp, like scrapyd-deploy's default, and greater than any handed out before."""
    global _last_version
    _last_version = max(int(time.time()), _last_version + 1)
    return str(_last_version)


def deploy(
    nodes: Sequence[ScrapydNode], *, version: str | None = None, egg: Path | None = None
) -> str:
    """Upload the egg with the real `scrapyd-deploy` to every node; return the version.

    Raises DeployError (scheduler.deploy) with scrapyd's message when a node answers
    `status: error`.
    """
    version = version or next_version()
    for node in nodes:
        deploy_target(node.name, node.target(), egg or session_egg(), version)
    return version
