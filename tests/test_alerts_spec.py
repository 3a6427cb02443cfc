"""Saved-search files: the /postings filter names, one channel per subscriber, and errors
that name the file and the field."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from jobcrawler.alerts.spec import SearchSpec, load_dir
from jobcrawler.db.filters import PostingFilter


def write(directory: Path, name: str, text: str) -> Path:
    path = directory / name
    path.write_text(text)
    return path


def test_a_search_file_becomes_the_search_filter(tmp_path: Path) -> None:
    write(
        tmp_path,
        "rust.yaml",
        "filters:\n  q: rust\n  company: [acme, globex]\n  country: DE\n  salary_min: 50000\n"
        "  first_seen_since: 2026-11-01T00:00:00Z\n  status: any\n"
        "notify: [removed, created]\n"
        "subscribers:\n  - webhook: https://hooks.example.com/x\n    secret: 0123456789abcdef\n"
        "  - email: [a@example.com, b@example.com]\n  - slack: https://hooks.slack.com/T/B/x\n",
    )
    loaded = load_dir(tmp_path)
    assert loaded.errors == []
    spec = loaded.searches["rust"]
    assert spec.notify == ["created", "removed"]
    assert spec.filters.posting_filter() == PostingFilter(
        q="rust", companies=("acme", "globex"), country="DE", salary_min=50000, status=None,
        first_seen_since=datetime(2026, 11, 1, tzinfo=UTC),
    )  # fmt: skip
    assert [target for sub in spec.subscribers for _, target, _ in sub.targets()] == [
        "https://hooks.example.com/x",
        "a@example.com",
        "b@example.com",
        "https://hooks.slack.com/T/B/x",
    ]
    assert spec.filters.posting_filter(status=False).status is None


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("filters:\n  salary_min: lots\n", "filters.salary_min: Input should be a valid integer"),
        ("filters:\n  titel: x\n", "filters.titel: Extra inputs are not permitted"),
        ("notify: [updated]\n", "notify of a postings search takes created, removed"),
        ("subscribers:\n  - webhook: https://x.example/h\n", "subscribers.0: a webhook needs a secret"),
        ("subscribers:\n  - email: not-an-address\n", "subscribers.0: not an email address"),
        ("subscribers:\n  - {email: a@b.c, slack: 'https://x.example'}\n", "subscribers.0: give exactly one"),
        ("kind: health\nfilters: {q: rust}\n", "a health search filters by company only"),
        ("kind: health\nfailures: 0\n", "failures: Input should be greater than or equal to 1"),
        ("- a list\n", "expected a mapping"),
        ("filters: [\n", "while parsing a flow"),
        ("name: \"a\\0b\"\n", "NUL characters are not allowed"),
    ],
)  # fmt: skip
def test_errors_name_the_file_and_the_field(tmp_path: Path, text: str, message: str) -> None:
    path = write(tmp_path, "bad.yaml", text)
    write(tmp_path, "good.yml", "kind: health\n")
    loaded = load_dir(tmp_path)
    assert list(loaded.searches) == ["good"]
    [error] = loaded.errors
    assert error.startswith(f"{path}: ") and message in error, error


def test_names_are_unique_and_the_directory_must_exist(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", "name: same\n")
    write(tmp_path, "b.yaml", "name: same\n")
    assert load_dir(tmp_path).errors == [
        f"{tmp_path / 'b.yaml'}: name: 'same' is used by another file"
    ]
    assert "no such directory" in load_dir(tmp_path / "nope").errors[0]


def test_health_defaults() -> None:
    spec = SearchSpec.model_validate({"name": "ops", "kind": "health"})
    assert spec.notify == ["failing", "withheld", "board_404", "empty"] and spec.failures == 3
