"""Saved searches over the API (FastAPI's TestClient, SQLite and PostgreSQL): open reads,
token-guarded writes, file searches read only, an Atom feed per search, deliveries in
/metrics."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from jobcrawler.alerts import records
from jobcrawler.alerts.spec import load_dir
from jobcrawler.api.app import create_app
from tests.helpers.store import crawl, posting

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")
TOKEN = {"Authorization": "Bearer t0ken"}
RUST = {
    "name": "rust",
    "filters": {"q": "rust", "company": ["acme"]},
    "notify": ["created", "removed"],
    "subscribers": [
        {"webhook": "https://hooks.example.com/jobs", "secret": "0123456789abcdef"},
        {"email": ["a@example.com", "b@example.com"]},
    ],
}


@pytest.fixture
def client(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[TestClient]:
    monkeypatch.setenv("JOBCRAWLER_API_TOKEN", "t0ken")
    with TestClient(create_app(engine)) as client:
        yield client


def test_crud_with_the_token(client: TestClient) -> None:
    assert client.post("/searches", json=RUST).status_code == 401
    created = client.post("/searches", json=RUST, headers=TOKEN)
    assert created.status_code == 201, created.text
    search = created.json()
    assert search["source"] == "api" and search["notify"] == ["created", "removed"]
    assert search["subscribers"] == [
        {"webhook": "https://hooks.example.com/jobs"},  # never the secret
        {"email": "a@example.com"},
        {"email": "b@example.com"},
    ]
    assert client.post("/searches", json=RUST, headers=TOKEN).status_code == 409
    path = f"/searches/{search['id']}"
    changed = client.put(path, json={**RUST, "notify": ["created"]}, headers=TOKEN).json()
    assert changed["notify"] == ["created"] and changed["created_at"] == search["created_at"]
    assert client.get("/searches").json()["searches"] == [changed]
    assert client.delete(path).status_code == 401
    assert client.delete(path, headers=TOKEN).status_code == 204
    assert client.get(path).status_code == 404
    bad = client.post("/searches", json={**RUST, "notify": ["updated"]}, headers=TOKEN)
    assert bad.status_code == 422 and "notify of a postings search" in bad.text


def test_file_searches_are_read_only_here(
    engine: Engine, client: TestClient, tmp_path: Path
) -> None:
    (tmp_path / "ops.yaml").write_text(
        "kind: health\nfailures: 2\nsubscribers: [{email: o@x.io}]\n"
    )
    records.sync_files(engine, load_dir(tmp_path), datetime.now(UTC))
    [search] = client.get("/searches").json()["searches"]
    assert (search["name"], search["source"], search["kind"]) == ("ops", "file", "health")
    path = f"/searches/{search['id']}"
    assert client.put(path, json=RUST, headers=TOKEN).status_code == 409
    assert client.delete(path, headers=TOKEN).status_code == 409
    assert client.post("/searches", json={**RUST, "name": "ops"}, headers=TOKEN).status_code == 409
    assert client.get(f"{path}/feed.atom").status_code == 404  # health: no postings


def test_atom_feed_and_metrics(engine: Engine, client: TestClient) -> None:
    crawl(engine, [posting(1, title="Rust Engineer"), posting(2, title="Chef")])
    search = client.post("/searches", json=RUST, headers=TOKEN).json()
    feed = ET.fromstring(client.get(f"/searches/{search['id']}/feed.atom").content)
    atom = "{http://www.w3.org/2005/Atom}"
    assert [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")] == ["Rust Engineer"]
    metrics = client.get("/metrics").text
    assert 'jobcrawler_alert_deliveries{state="pending"} 0' in metrics
