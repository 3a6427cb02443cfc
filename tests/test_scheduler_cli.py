"""`python -m scheduler ... --help`: every command explains itself, its environment and exit
statuses."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from scheduler.cli import COMMANDS, main

ROOT = Path(__file__).resolve().parent.parent

#: Words of each command's purpose that its --help page must carry.
PURPOSE = {
    "tick": "Cron entry point",
    "daily": "every active company once for today",
    "crawl": "trigger=manual",
    "maintain": "Deletes crawl sessions",
    "status": "each node's health and queue",
    "stats": "success rate (of the finished crawls",
    "new": "postings first seen in the last --hours",
}


def test_every_command_has_a_purpose() -> None:
    assert set(PURPOSE) == set(COMMANDS)


@pytest.mark.parametrize("command", PURPOSE)
def test_command_help_says_what_it_does(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as leaving:
        main([command, "--help"])
    assert leaving.value.code == 0
    page = " ".join(capsys.readouterr().out.split())  # unwrapped
    assert f"usage: python -m scheduler {command} " in page
    assert PURPOSE[command] in page
    assert "SCRAPYD_URLS" in page and "DATABASE_URL" in page
    assert "exit status: 0 ok 1 " in page


@pytest.mark.e2e
def test_top_level_help_lists_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scheduler", "--help"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for command in PURPOSE:
        assert f"\n    {command} " in result.stdout
    assert "SCRAPYD_URLS" in result.stdout and "exit status:" in result.stdout
