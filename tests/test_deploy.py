"""Deployment to real scrapyd nodes: the egg, the nodes' environment, and the deploy check.

These tests start scrapyd from `.scrapyd-venv/` (built on first use, about 20 s) and upload
eggs with the real scrapyd-deploy, so they exercise what production runs.
"""

from __future__ import annotations

import ast
import configparser
import json
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from fakeats import FakeATS
from jobcrawler.db import make_engine
from scheduler.deploy import (
    DeployError,
    build_egg,
    check_egg,
    deploy_target,
    egg_contents,
    expected_spiders,
    targets,
)
from tests.helpers.crawling import FAST, Crawl
from tests.helpers.pgserver import free_port
from tests.helpers.scrapyd_nodes import (
    PROJECT,
    REQUIREMENTS,
    ROOT,
    ScrapydNode,
    deploy,
    next_version,
    running_nodes,
    scrapyd_env,
    scrapyd_python,
    session_egg,
)

SESSION_TIMEOUT = 120.0


@pytest.fixture(scope="module")
def egg() -> Path:
    return session_egg()


@pytest.fixture(scope="module")
def packaged_spiders() -> list[str]:
    spiders = expected_spiders()
    assert spiders, "`scrapy list` of the packaged catalog is empty"
    return spiders


@pytest.fixture(scope="module")
def node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ScrapydNode]:
    """One node on the packaged catalog: JOBCRAWLER_COMPANIES_DIR is not set."""
    base = tmp_path_factory.mktemp("scrapyd")
    with running_nodes(1, base, env=scrapyd_env(f"sqlite:///{base / 'unused.sqlite3'}")) as nodes:
        yield nodes[0]


def _versions(node: ScrapydNode) -> list[str]:
    answer = node.get("listversions.json", project=PROJECT)
    assert answer["status"] == "ok", answer
    return answer["versions"]


# --- the egg -------------------------------------------------------------------------------


@pytest.mark.e2e
def test_egg_holds_catalog_and_migrations_but_no_test_code(egg: Path) -> None:
    names = egg_contents(egg)

    def packaged(pattern: str) -> set[str]:
        return {name.rsplit("/", 1)[1] for name in names if fnmatch(name, pattern)}

    catalog = {path.name for path in (ROOT / "companies").glob("*.yaml")}
    migrations = {path.name for path in (ROOT / "jobcrawler/db/migrations/versions").glob("*.py")}
    assert catalog and packaged("jobcrawler/companies/*.yaml") == catalog
    assert migrations and packaged("jobcrawler/db/migrations/versions/*.py") == migrations
    dashboard = {p.name for p in (ROOT / "jobcrawler/dashboard").glob("*/*.*")}
    assert dashboard and packaged("jobcrawler/dashboard/*/*") == dashboard  # templates, CSS
    assert {name.split("/")[0] for name in names} == {"jobcrawler", "EGG-INFO"}
    assert not [name for name in names if fnmatch(name, "*test_*.py") or "conftest" in name]
    assert not [name for name in names if "fakeats" in name]
    with zipfile.ZipFile(egg) as archive:
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert re.search(r"settings\s*=\s*jobcrawler\.settings", entry_points)


@pytest.mark.e2e
def test_check_egg_names_what_is_wrong(egg: Path) -> None:
    names = egg_contents(egg)
    check_egg(names)
    no_catalog = [name for name in names if not name.startswith("jobcrawler/companies/")]
    with pytest.raises(DeployError, match="no company YAML"):
        check_egg(no_catalog)
    no_migrations = [name for name in names if "/migrations/versions/" not in name]
    with pytest.raises(DeployError, match="no Alembic migrations"):
        check_egg(no_migrations)
    with pytest.raises(DeployError, match="unexpected top-level entries: tests"):
        check_egg([*names, "tests/test_deploy.py"])
    with pytest.raises(DeployError, match="fake ATS is test scaffolding"):
        check_egg([*names, "jobcrawler/fakeats/server.py"])
    with pytest.raises(DeployError, match=r"not in companies/ \(stale build\?\): ghost\.yaml"):
        check_egg([*names, "jobcrawler/companies/ghost.yaml"])


# --- the scrapyd environment ------------------------------------------------------------


@pytest.mark.e2e
def test_scrapyd_venv_has_the_dependencies_but_not_the_project(tmp_path: Path) -> None:
    python = str(scrapyd_python())
    env = {key: value for key, value in os.environ.items() if key != "PYTHONPATH"}

    def run(code: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [python, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )

    deps = run(
        "import pkg_resources, scrapyd, scrapy, sqlalchemy, alembic, psycopg2, yaml, pydantic"
    )
    assert deps.returncode == 0, deps.stderr
    project = run("import jobcrawler")
    assert project.returncode != 0
    assert "No module named 'jobcrawler'" in project.stderr


def _requirement_lines(path: Path) -> set[str]:
    lines = (line.split("#", 1)[0].replace(" ", "") for line in path.read_text().splitlines())
    return {line for line in lines if line}


def _install_requires() -> set[str]:
    tree = ast.parse((ROOT / "setup.py").read_text())
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "setup":
            for keyword in call.keywords:
                if keyword.arg == "install_requires":
                    return {req.replace(" ", "") for req in ast.literal_eval(keyword.value)}
    raise AssertionError("setup.py has no install_requires")


def test_scrapyd_requirements_are_the_runtime_dependencies_plus_scrapyd() -> None:
    assert _requirement_lines(REQUIREMENTS) == _install_requires() | {
        "scrapyd>=1.6,<1.7",
        "setuptools<81",
    }


# --- deploying ------------------------------------------------------------------------------


@pytest.mark.e2e
def test_deployed_egg_lists_the_spiders_of_scrapy_list(
    node: ScrapydNode, egg: Path, packaged_spiders: list[str]
) -> None:
    assert "JOBCRAWLER_COMPANIES_DIR" not in node.env
    answer = deploy_target(node.name, node.target(), egg, next_version(), expected=packaged_spiders)
    assert answer["status"] == "ok"
    assert answer["spiders"] == len(packaged_spiders)
    listed = node.get("listspiders.json", project=PROJECT)
    assert listed["status"] == "ok", listed
    assert listed["spiders"] == packaged_spiders


def _broken_egg(dest: Path) -> Path:
    """An egg of a copy of the project whose settings module raises on import."""
    copy = dest / "project"
    ignore = shutil.ignore_patterns("__pycache__")
    for folder in ("jobcrawler", "companies"):
        shutil.copytree(ROOT / folder, copy / folder, ignore=ignore)
    for name in ("setup.py", "scrapy.cfg"):
        shutil.copy(ROOT / name, copy / name)
    with (copy / "jobcrawler" / "settings.py").open("a") as settings:
        settings.write('\nraise RuntimeError("settings broken on purpose")\n')
    return build_egg(dest / "broken.egg", project_dir=copy)


@pytest.mark.e2e
def test_deploy_rejects_an_egg_that_scrapyd_cannot_load(
    node: ScrapydNode, egg: Path, tmp_path: Path
) -> None:
    good = next_version()
    deploy_target(node.name, node.target(), egg, good)
    bad = next_version()
    with pytest.raises(DeployError) as failure:
        deploy_target(node.name, node.target(), _broken_egg(tmp_path), bad)
    message = str(failure.value)
    assert f"target {node.name} ({node.url})" in message
    assert f"scrapyd rejected version {bad}" in message
    assert "settings broken on purpose" in message
    assert "removed again" in message
    assert _versions(node)[-1] == good


@pytest.mark.e2e
def test_deploy_rejects_spiders_that_differ_from_scrapy_list(
    node: ScrapydNode, egg: Path, packaged_spiders: list[str]
) -> None:
    """Same count, other names: the check compares listspiders.json of that version."""
    first, *others = packaged_spiders
    version = next_version()
    with pytest.raises(DeployError) as failure:
        deploy_target(node.name, node.target(), egg, version, expected=[*others, "ghost"])
    assert str(failure.value).startswith(
        f"target {node.name} ({node.url}): version {version}: its spiders differ from "
        f"`scrapy list`: missing ghost; unexpected {first}; the version was removed again"
    )
    assert version not in _versions(node)


@pytest.mark.e2e
def test_deploy_command_deploys_and_names_the_failing_target(
    node: ScrapydNode, packaged_spiders: list[str]
) -> None:
    dead = f"http://127.0.0.1:{free_port()}"
    env = {
        key: value
        for key, value in os.environ.items()
        if key != "JOBCRAWLER_COMPANIES_DIR" and not key.startswith("SCRAPYD_")
    }
    result = subprocess.run(
        [sys.executable, "-m", "scheduler.deploy", "--url", node.url, "--url", dead],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    line = re.fullmatch(
        rf"url1: {re.escape(node.url)} jobcrawler version (\d+), (\d+) spiders\n", result.stdout
    )
    assert line, result.stdout + result.stderr
    assert int(line[2]) == len(packaged_spiders)
    assert _versions(node)[-1] == line[1]
    assert f"FAILED target url2 ({dead}): upload failed" in result.stderr


def test_targets_are_read_like_scrapyd_deploy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))  # no user-level scrapy.cfg
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("SCRAPYD_USERNAME", "ops")
    monkeypatch.delenv("SCRAPYD_PASSWORD", raising=False)
    config = tmp_path / "scrapy.cfg"
    config.write_text(
        "[deploy]\nurl = http://localhost:6800\nproject = jobcrawler\n"
        "username = ${SCRAPYD_USERNAME}\npassword = ${SCRAPYD_PASSWORD}\n\n"
        "[deploy:node2]\nurl = http://node2.example.com:6800\n"
    )
    credentials = {"project": "jobcrawler", "username": "ops", "password": ""}
    assert targets(config) == {
        "default": {"url": "http://localhost:6800", **credentials},
        "node2": {"url": "http://node2.example.com:6800", **credentials},
    }
    assert targets()["default"]["url"] == "http://localhost:6800"  # the repository's


# --- crawling through scrapyd ----------------------------------------------------------------


def _finished_session(
    url: str, node: ScrapydNode, spider: str, job: str, timeout: float = SESSION_TIMEOUT
) -> dict[str, Any]:
    """The job's crawl_sessions row once it is no longer running. Fails when the job ends
    without one, or at the timeout."""
    engine = make_engine(url)
    deadline, ended_at, row = time.monotonic() + timeout, None, None
    try:
        while time.monotonic() < deadline:
            try:
                with engine.connect() as conn:
                    row = (
                        conn.execute(
                            text("SELECT * FROM crawl_sessions WHERE job_id = :job"), {"job": job}
                        )
                        .mappings()
                        .first()
                    )
            except DBAPIError:  # a fresh database has no tables until the crawl migrates it
                row = None
            if row is not None and row["status"] != "running":
                return dict(row)
            if ended_at is None and node.get("status.json", job=job)["currstate"] == "finished":
                ended_at = time.monotonic()
            if ended_at is not None and time.monotonic() - ended_at > 5:
                break
            time.sleep(0.5)
    finally:
        engine.dispose()
    pytest.fail(
        f"job {job} left no finished crawl session (row: {row}); job log:\n"
        f"{node.job_log(spider, job)[-3000:]}\nscrapyd log:\n{node.log()[-2000:]}"
    )


@pytest.mark.postgres
def test_scheduled_crawl_records_its_session_under_scrapyds_job_id(
    tmp_path: Path, fake_ats: FakeATS, pg_url: str
) -> None:
    crawl = Crawl(fake_ats, pg_url, tmp_path)
    crawl.board("greenhouse", "scrapyd_acme", size=5)
    crawl.write_company("scrapyd_acme")
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"  # unmigrated: the egg's migrations run
    settings = [("setting", setting) for setting in FAST]
    with running_nodes(1, tmp_path / "nodes", env=scrapyd_env(pg_url, crawl.catalog)) as nodes:
        node = nodes[0]
        deploy(nodes)
        jobs = {}
        for url, extra in ((pg_url, []), (fresh, [("setting", f"DATABASE_URL={fresh}")])):
            answer = node.post(
                "schedule.json",
                [*settings, *extra],
                project=PROJECT,
                spider="scrapyd_acme",
                trigger="schedule",
            )
            assert answer["status"] == "ok", answer
            jobs[url] = answer["jobid"]
        sessions = {
            url: _finished_session(url, node, "scrapyd_acme", job) for url, job in jobs.items()
        }
    for url, session in sessions.items():
        assert session["job_id"] == jobs[url]
        assert session["status"] == "succeeded", session["error"]
        assert (session["spider"], session["trigger"]) == ("scrapyd_acme", "schedule")
        assert session["items_scraped"] == 5


# --- the harness itself ----------------------------------------------------------------------


@pytest.mark.e2e
def test_nodes_survive_a_crash_and_leave_no_process_behind(tmp_path: Path) -> None:
    with running_nodes(1, tmp_path, env=scrapyd_env("sqlite://")) as nodes:
        node = nodes[0]
        version = deploy(nodes)
        group = node.process.pid
        node.kill()
        assert not node.running
        node.start()
        assert node.url == f"http://127.0.0.1:{node.port}"
        assert _versions(node) == [version]
        assert "Scrapyd 1.6.0 started" in node.log()
    with pytest.raises(ProcessLookupError):
        os.killpg(group, 0)


# --- production files ----------------------------------------------------------------------


def test_sample_scrapyd_conf_is_fit_for_production() -> None:
    parser = configparser.ConfigParser()
    parser.read_string((ROOT / "scheduler" / "scrapyd.conf").read_text())
    conf = parser["scrapyd"]
    assert int(conf["max_proc"]) > 0
    assert conf["jobstorage"] == "scrapyd.jobstorage.SqliteJobStorage"
    assert int(conf["finished_to_keep"]) > 0
    assert conf["items_dir"] == ""
    dirs = [conf[key] for key in ("eggs_dir", "logs_dir", "dbs_dir")]
    assert all(d.startswith("/var/lib/scrapyd/") for d in dirs) and len(set(dirs)) == 3
    assert {"bind_address", "poll_interval"} <= set(conf)
    assert conf["username"] and conf["password"]  # basic auth is on only when both are set


def _dockerfile_copies(dockerfile: Path) -> list[str]:
    sources = []
    for line in dockerfile.read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            sources += line.split()[1:-1]
    return sources


def test_docker_compose_is_consistent() -> None:
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    services = compose["services"]
    assert set(services) == {"postgres", "scrapyd", "scheduler", "deploy", "api"}
    declared = set(compose["volumes"])
    for name, service in services.items():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            assert source in declared or source.startswith((".", "/")), (name, volume)
        for dependency, rule in service.get("depends_on", {}).items():
            assert dependency in services, (name, dependency)
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], (name, dependency)
        if "build" in service:
            dockerfile = ROOT / service["build"]["context"] / service["build"]["dockerfile"]
            for source in _dockerfile_copies(dockerfile):
                assert (ROOT / source).exists(), (dockerfile.name, source)
    # Every ${VAR} has a default, so the file works without an .env; `$$` escapes a dollar.
    raw = (ROOT / "docker-compose.yml").read_text().replace("$$", "")
    assert all(":-" in ref for ref in re.findall(r"\$\{[^}]*\}", raw))
    assert not re.search(r"\$(?!\{)", raw)
    assert services["postgres"]["image"] == "postgres:15"
    assert any(v.endswith(":/var/lib/postgresql/data") for v in services["postgres"]["volumes"])
    assert services["scrapyd"]["environment"]["DATABASE_URL"].startswith("postgresql://")
    for name in ("scrapyd", "scheduler", "deploy"):
        assert {"SCRAPYD_USERNAME", "SCRAPYD_PASSWORD"} <= set(services[name]["environment"])
    assert services["deploy"]["command"][:3] == ["python", "-m", "scheduler.deploy"]
    api = services["api"]
    assert api["command"][:4] == ["python", "-m", "jobcrawler", "serve"]
    assert api["image"] == services["scheduler"]["image"]  # one image holds the package
    assert all(port.startswith("127.0.0.1:") for port in api["ports"])  # never published wide
    assert (
        api["environment"]["DATABASE_URL"] == services["scheduler"]["environment"]["DATABASE_URL"]
    )
    assert "/healthz" in " ".join(api["healthcheck"]["test"])
    scrapyd_image = (ROOT / "docker" / "scrapyd.Dockerfile").read_text()
    assert "requirements-scrapyd.txt" in scrapyd_image
    assert not re.search(r"pip install[^\n]*(\s\.(\s|$)|-e\s)", scrapyd_image)
    assert "COPY jobcrawler" not in scrapyd_image
    assert "apt-get install -y --no-install-recommends chromium" in scrapyd_image
    assert "docker/crontab" in (ROOT / "docker" / "scheduler.Dockerfile").read_text()


def _compose_command() -> list[str] | None:
    """`docker compose` (the plugin) when it works, else Debian's `docker-compose`."""
    docker = shutil.which("docker")
    if docker:
        probe = subprocess.run([docker, "compose", "version"], capture_output=True, timeout=30)
        if probe.returncode == 0:
            return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    return [legacy] if legacy else None


@pytest.mark.e2e
def test_docker_compose_config_is_valid() -> None:
    compose = _compose_command()
    if compose is None:
        message = "neither `docker compose` nor `docker-compose` is installed (.ci/run installs it)"
        if os.environ.get("CI") == "true":
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    result = subprocess.run(
        [*compose, "-f", "docker-compose.yml", "config", "-q"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr


def _compose_environment(service: str, variables: dict[str, str]) -> dict[str, str]:
    """A service's `environment` as compose resolves it: `${NAME:-default}` is the operator's
    non-empty NAME, else the default (the only form docker-compose.yml uses)."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    return {
        key: re.sub(r"\$\{(\w+):-([^}]*)\}", lambda m: variables.get(m[1]) or m[2], str(value))
        for key, value in compose["services"][service]["environment"].items()
    }


def _executable(path: Path, script: str) -> None:
    path.write_text(f"#!/bin/sh\n{script}\n")
    path.chmod(0o755)


#: A cron job line: five time fields, then the command.
_CRON_JOB = re.compile(r"^(?:\S+\s+){5}(?P<command>.+)$")


@pytest.mark.e2e
def test_scheduler_container_jobs_get_the_compose_environment(tmp_path: Path) -> None:
    """Run the image's CMD with compose's environment (fake `crontab` and `cron` record what
    the container would install), then load what a job sees under cron's bare environment."""
    dockerfile = (ROOT / "docker" / "scheduler.Dockerfile").read_text()
    command = json.loads(re.search(r"^CMD (\[.*\])$", dockerfile, re.MULTILINE)[1])
    app = tmp_path / "app"  # the image's WORKDIR, as far as the CMD uses it
    (app / "docker").mkdir(parents=True)
    shutil.copy(ROOT / "docker" / "crontab", app / "docker" / "crontab")
    fakes = tmp_path / "bin"
    fakes.mkdir()
    _executable(fakes / "crontab", f'cp "$1" {tmp_path / "installed"}')
    _executable(fakes / "cron", "exit 0")
    password = 'it\'s a $ecret #1 \\ "quoted"'
    compose = _compose_environment("scheduler", {"SCRAPYD_PASSWORD": password})
    assert compose["SCRAPYD_PASSWORD"] == password
    image = {"PATH": f"{fakes}:/usr/local/bin:/usr/bin:/bin", "PYTHONPATH": "/app"}

    subprocess.run(command, cwd=app, env={**image, **compose}, check=True, timeout=30)

    installed = (tmp_path / "installed").read_text()
    assert installed == (ROOT / "docker" / "crontab").read_text()
    lines = [line for line in installed.splitlines() if line.strip() and line[0] != "#"]
    assert not [line for line in lines if re.match(r"\s*\w+\s*=", line)]  # no NAME=value
    jobs = [_CRON_JOB.match(line)["command"] for line in lines]
    assert len(jobs) == 3  # tick, maintain, alerts
    for job in jobs:
        assert job.startswith("cd /app && . ./cron.env && flock -n /tmp/jobcrawler-")
        assert re.search(r" python -m (scheduler|jobcrawler alerts)", job)
        assert job.endswith(" >>/proc/1/fd/1 2>&1")
        assert not re.search(r"\.venv|/opt/|/var/log|\$", job)
    saved = app / "cron.env"
    assert saved.stat().st_mode & 0o077 == 0  # it holds the passwords
    bare = {"PATH": "/usr/bin:/bin", "HOME": "/root", "SHELL": "/bin/sh", "LOGNAME": "root"}
    seen = subprocess.run(
        ["sh", "-c", ". ./cron.env && env -0"],
        cwd=app,
        env=bare,
        capture_output=True,
        check=True,
        timeout=30,
    )
    env = dict(item.split("=", 1) for item in seen.stdout.decode().split("\0") if item)
    assert {key: env.get(key) for key in compose} == compose
    assert {key: env.get(key) for key in image} == image
    assert compose["SCRAPYD_URLS"] == "http://scrapyd:6800"
    assert compose["DATABASE_URL"] == "postgresql://jobcrawler:jobcrawler@postgres:5432/jobcrawler"
