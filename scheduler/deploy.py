"""Build the jobcrawler egg, check it, and deploy it to scrapyd targets (`make deploy`).

scrapyd-deploy on its own is not a safe deploy step. It exits 0 when scrapyd rejects the egg
(`status: error` comes back with HTTP 200). scrapyd keeps the rejected egg as the latest
version anyway. And an egg that lacks its YAML catalog still deploys "fine", with no
spiders. So this module:

1. builds the egg once, with `scrapyd-deploy --build-egg`;
2. checks what is inside it;
3. uploads the same file, under the same version, to each target with `scrapyd-deploy`;
4. checks each answer: the status, and that listspiders.json of the new version names
   exactly the spiders of `scrapy list`;
5. deletes a rejected version again, so that node keeps running the previous one.

    python -m scheduler.deploy                  # every [deploy] / [deploy:NAME] of scrapy.cfg
    python -m scheduler.deploy node2            # only these targets
    python -m scheduler.deploy --url http://scrapyd:6800   # an ad-hoc node (docker compose)
"""

from __future__ import annotations

import argparse
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from configparser import ConfigParser
from contextlib import contextmanager
from fnmatch import fnmatch
from pathlib import Path
from typing import Any

from scrapy.utils.conf import get_sources

from scheduler.scrapyd import Node, ScrapydError

ROOT = Path(__file__).resolve().parent.parent
PROJECT = "jobcrawler"
COMPANIES_DIR_ENV = "JOBCRAWLER_COMPANIES_DIR"  # jobcrawler.catalog's; kept light to import
TIMEOUT = 300.0
#: Package data that a deploy must never lose silently (docs: scrapy-scrapyd.md, 3.1).
REQUIRED = {
    "company YAML": ("jobcrawler/companies/*.yaml", "jobcrawler/companies/*.yml"),
    "Alembic migrations": ("jobcrawler/db/migrations/versions/*.py",),
    "settings module": ("jobcrawler/settings.py",),
}
#: The only top-level entries an egg of this project has: no tests, no scheduler.
TOP_LEVEL = {"jobcrawler", "EGG-INFO"}

#: The scratch scrapy.cfg for one upload. Values arrive through the environment, so
#: credentials are never written to disk and a `%` or `$` in them is not expanded again.
_TARGET_CFG = """\
[deploy:{name}]
url = ${{JOBCRAWLER_DEPLOY_URL}}
project = ${{JOBCRAWLER_DEPLOY_PROJECT}}
username = ${{JOBCRAWLER_DEPLOY_USERNAME}}
password = ${{JOBCRAWLER_DEPLOY_PASSWORD}}
"""

Target = dict[str, str]


class DeployError(Exception):
    """A deploy step failed. The message names the target and says why."""


def _tool(name: str) -> str:
    """A console script of this interpreter's environment (for example `.venv/bin`), else from PATH."""
    local = Path(sys.executable).parent / name
    found = str(local) if local.exists() else shutil.which(name)
    if not found:
        raise DeployError(f"{name} not found: pip install scrapyd-client")
    return found


def _tail(text: str, limit: int = 1200) -> str:
    text = text.strip()
    return text if len(text) <= limit else "…" + text[-limit:]


def _run(
    args: Sequence[str], *, cwd: Path, env: Mapping[str, str] | None = None, timeout: float
) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            list(args),
            cwd=cwd,
            env=None if env is None else dict(env),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
    except subprocess.TimeoutExpired as exc:
        raise DeployError(f"`{' '.join(args)}` timed out after {timeout:.0f} s") from exc


@contextmanager
def file_lock(name: str) -> Iterator[None]:
    """An exclusive lock between processes, because tests and `make deploy` may share a tree."""
    path = Path(tempfile.gettempdir()) / f"{name}.lock"
    with path.open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def build_egg(dest: Path, *, project_dir: Path = ROOT, timeout: float = TIMEOUT) -> Path:
    """Build the egg with `scrapyd-deploy --build-egg` (same build as a plain deploy); return it.

    The build runs `setup.py clean -a` and `bdist_egg` in the project directory, so builds of
    the same tree are serialized.
    """
    dest = dest.resolve()
    tree = hashlib.sha256(str(project_dir.resolve()).encode()).hexdigest()[:12]
    with file_lock(f"jobcrawler-egg-{tree}"):
        result = _run(
            [_tool("scrapyd-deploy"), "--build-egg", str(dest)], cwd=project_dir, timeout=timeout
        )
    if result.returncode != 0 or not dest.is_file():
        raise DeployError(
            f"building the egg failed (exit {result.returncode}); "
            f"run `python setup.py bdist_egg` to see why: {_tail(result.stderr)}"
        )
    return dest


def egg_contents(egg: Path) -> list[str]:
    """The file names inside an egg (a zip file)."""
    with zipfile.ZipFile(egg) as archive:
        return archive.namelist()


def check_egg(names: Iterable[str], *, project_dir: Path = ROOT) -> None:
    """Raise unless the egg holds the catalog, the migrations and settings, and nothing else.

    The catalog must match `companies/` file for file. A missing file is lost package data;
    an extra one is a stale `build/` leftover.
    """
    names = list(names)
    problems = [
        f"no {what} ({' or '.join(patterns)})"
        for what, patterns in REQUIRED.items()
        if not any(fnmatch(name, pattern) for name in names for pattern in patterns)
    ]
    packaged = {
        name.removeprefix("jobcrawler/companies/")
        for name in names
        if re.fullmatch(r"jobcrawler/companies/[^/]+\.ya?ml", name)
    }
    source = {
        path.name
        for pattern in ("*.yaml", "*.yml")
        for path in project_dir.glob(f"companies/{pattern}")
    }
    if packaged and packaged != source:
        if missing := sorted(source - packaged):
            problems.append(f"company files missing from the egg: {', '.join(missing)}")
        if extra := sorted(packaged - source):
            problems.append(f"company files not in companies/ (stale build?): {', '.join(extra)}")
    if stray := sorted({name.split("/")[0] for name in names} - TOP_LEVEL):
        problems.append(f"unexpected top-level entries: {', '.join(stray)}")
    if any(name.startswith("jobcrawler/fakeats/") for name in names):
        problems.append("the fake ATS is test scaffolding (stale build of an older layout?)")
    if problems:
        raise DeployError("the egg is incomplete: " + "; ".join(problems))


def expected_spiders(
    *, project_dir: Path = ROOT, companies_dir: Path | None = None, timeout: float = TIMEOUT
) -> list[str]:
    """`scrapy list` of the catalog the nodes will read: what a deployed version must list.

    That is the packaged catalog, unless the nodes read `JOBCRAWLER_COMPANIES_DIR`; then
    `companies_dir` must point at the same catalog.
    """
    env = {key: value for key, value in os.environ.items() if key != COMPANIES_DIR_ENV}
    if companies_dir is not None:
        env[COMPANIES_DIR_ENV] = str(companies_dir)
    result = _run(
        [sys.executable, "-m", "scrapy", "list"], cwd=project_dir, env=env, timeout=timeout
    )
    if result.returncode != 0:
        raise DeployError(
            f"`scrapy list` failed (exit {result.returncode}): {_tail(result.stderr)}"
        )
    return result.stdout.split()


def _expand(value: str) -> str:
    """`$VAR` / `${VAR}` from the environment, like scrapyd-deploy, but unset means empty.

    scrapyd-deploy would send an unset `${SCRAPYD_USERNAME}` as a literal user name.
    """
    return re.sub(r"\$(?:\{(\w+)\}|(\w+))", lambda m: os.environ.get(m[1] or m[2], ""), value)


def targets(config: Path = ROOT / "scrapy.cfg") -> dict[str, Target]:
    """The deploy targets scrapyd-deploy sees in `config` and the user's Scrapy config files.

    `[deploy]` with a url is target `default`. Each `[deploy:NAME]` is NAME, and inherits
    the keys of `[deploy]`.
    """
    parser = ConfigParser()  # BasicInterpolation, as in scrapyd-deploy: write `%%` for `%`
    parser.read([*get_sources(use_closest=False), str(config)])
    base = dict(parser.items("deploy")) if parser.has_section("deploy") else {}
    found = {"default": base} if "url" in base else {}
    for section in parser.sections():
        if section.startswith("deploy:"):
            found[section.removeprefix("deploy:")] = {**base, **dict(parser.items(section))}
    return {name: {key: _expand(value) for key, value in t.items()} for name, t in found.items()}


def url_targets(urls: Sequence[str]) -> dict[str, Target]:
    """Ad-hoc targets `url1`, `url2`, …, with credentials from SCRAPYD_USERNAME/SCRAPYD_PASSWORD."""
    return {
        f"url{index}": {
            "url": url,
            "project": PROJECT,
            "username": os.environ.get("SCRAPYD_USERNAME", ""),
            "password": os.environ.get("SCRAPYD_PASSWORD", ""),
        }
        for index, url in enumerate(urls, start=1)
    }


def _node(target: Mapping[str, str], project: str) -> Node:
    """The target as a scrapyd API client, with its credentials."""
    user = target.get("username")
    auth = (user, target.get("password", "")) if user else None
    return Node(target["url"], project=project, auth=auth, timeout=30)


def _delete_version(node: Node, version: str) -> str:
    """Remove a rejected version, so that the node's latest version is the previous one again."""
    try:
        node.call("delversion.json", {"project": node.project, "version": version}, post=True)
    except ScrapydError as exc:
        return f"removing it failed ({exc}): delete it with delversion.json"
    return "the version was removed again, so the node keeps its previous version"


def _difference(expected: Sequence[str], listed: Sequence[str]) -> str:
    """What `listed` lacks and has in excess of `expected`, for a message."""
    parts = []
    if missing := sorted(set(expected) - set(listed)):
        parts.append(f"missing {', '.join(missing)}")
    if unexpected := sorted(set(listed) - set(expected)):
        parts.append(f"unexpected {', '.join(unexpected)}")
    return "; ".join(parts) or f"{len(listed)} names listed, {len(expected)} expected"


def _check_spiders(node: Node, version: str, expected: Sequence[str]) -> str | None:
    """Why `version` on the node does not list exactly the `expected` spiders, or None."""
    try:
        answer = node.call("listspiders.json", {"project": node.project, "_version": version})
    except ScrapydError as exc:
        return f"listing its spiders failed ({exc})"
    listed = sorted(answer.get("spiders", []))
    if listed == sorted(expected):
        return None
    return f"its spiders differ from `scrapy list`: {_difference(expected, listed)}"


def deploy_target(
    name: str,
    target: Mapping[str, str],
    egg: Path,
    version: str,
    *,
    expected: Sequence[str] | None = None,
    timeout: float = TIMEOUT,
) -> dict[str, Any]:
    """Upload `egg` to one target with scrapyd-deploy and return scrapyd's answer.

    Raises DeployError, naming the target, when the upload fails, when scrapyd answers
    `status: error`, or when listspiders.json of the new version does not name exactly the
    `expected` spiders. A version that scrapyd stored but that failed these checks is
    deleted again.
    """
    url = target.get("url", "")
    if not url:
        raise DeployError(f"target {name}: no url")
    project = target.get("project") or PROJECT
    label = f"target {name} ({url})"
    env = {
        **os.environ,
        "JOBCRAWLER_DEPLOY_URL": url,
        "JOBCRAWLER_DEPLOY_PROJECT": project,
        "JOBCRAWLER_DEPLOY_USERNAME": target.get("username", ""),
        "JOBCRAWLER_DEPLOY_PASSWORD": target.get("password", ""),
    }
    command = [_tool("scrapyd-deploy"), name, "-p", project, "--egg", str(egg.resolve())]
    with tempfile.TemporaryDirectory(prefix="jobcrawler-deploy-") as scratch:
        # scrapyd-deploy reads the closest scrapy.cfg; with --egg it needs no sources.
        Path(scratch, "scrapy.cfg").write_text(_TARGET_CFG.format(name=name))
        result = _run([*command, "-v", version], cwd=Path(scratch), env=env, timeout=timeout)
    try:
        answer = json.loads(result.stdout)
    except ValueError:
        answer = None
    if result.returncode != 0 or not isinstance(answer, dict):
        output = _tail(f"{result.stdout}\n{result.stderr}")
        raise DeployError(f"{label}: upload failed (exit {result.returncode}): {output}")
    node = _node(target, project)
    if answer.get("status") != "ok":
        undo = _delete_version(node, version)
        message = _tail(str(answer.get("message", answer)), 800)
        raise DeployError(f"{label}: scrapyd rejected version {version}: {message}\n{undo}")
    if expected is not None and (problem := _check_spiders(node, version, expected)):
        undo = _delete_version(node, version)
        raise DeployError(f"{label}: version {version}: {problem}; {undo}")
    return answer


def _choose(args: argparse.Namespace) -> dict[str, Target]:
    if args.url:
        if args.targets:
            raise DeployError("give either target names or --url, not both")
        return url_targets(args.url)
    known = targets()
    if not known:
        raise DeployError("scrapy.cfg has no [deploy] or [deploy:NAME] target with a url")
    if unknown := [name for name in args.targets if name not in known]:
        raise DeployError(f"unknown target(s) {', '.join(unknown)}; known: {', '.join(known)}")
    return {name: known[name] for name in args.targets} if args.targets else known


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m scheduler.deploy",
        description="Build, check and deploy the jobcrawler egg to scrapyd targets.",
    )
    parser.add_argument("targets", nargs="*", metavar="TARGET", help="default: every target")
    parser.add_argument(
        "--url",
        action="append",
        default=[],
        help="deploy to this scrapyd URL instead (repeatable); credentials from "
        "SCRAPYD_USERNAME / SCRAPYD_PASSWORD",
    )
    parser.add_argument("-v", "--version", help="default: the current Unix timestamp")
    parser.add_argument(
        "--companies-dir",
        type=Path,
        help="the JOBCRAWLER_COMPANIES_DIR catalog the nodes read, if any: the expected "
        "spiders come from it instead of the packaged catalog",
    )
    args = parser.parse_args(argv)
    failed = 0
    try:
        chosen = _choose(args)
        with tempfile.TemporaryDirectory(prefix="jobcrawler-egg-") as scratch:
            egg = build_egg(Path(scratch) / "jobcrawler.egg")
            check_egg(egg_contents(egg))
            expected = expected_spiders(companies_dir=args.companies_dir)
            version = args.version or str(int(time.time()))
            for name, target in chosen.items():
                try:
                    answer = deploy_target(name, target, egg, version, expected=expected)
                except DeployError as exc:
                    failed += 1
                    print(f"FAILED {exc}", file=sys.stderr)
                    continue
                print(
                    f"{name}: {target['url']} {answer['project']} version {answer['version']}, "
                    f"{answer['spiders']} spiders"
                )
    except DeployError as exc:
        print(f"deploy failed: {exc}", file=sys.stderr)
        return 1
    if failed:
        print(f"deploy failed on {failed} of {len(chosen)} target(s)", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
