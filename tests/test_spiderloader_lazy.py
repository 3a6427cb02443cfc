"""The spider loader reads only the crawled company's file when its name is the slug."""

from __future__ import annotations

from pathlib import Path

import pytest
from scrapy.settings import Settings

from jobcrawler import spiderloader
from jobcrawler.catalog import Catalog
from jobcrawler.spiderloader import CompanySpiderLoader


@pytest.fixture
def catalog(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "acme.yaml").write_text("name: Acme\nats: greenhouse\nboard: acme\n")
    (tmp_path / "more.yaml").write_text(
        "- name: Globex\n  ats: lever\n  board: globex\n- name: Bad\n  ats: nowhere\n  board: b\n"
    )
    monkeypatch.setenv("JOBCRAWLER_COMPANIES_DIR", str(tmp_path))
    return tmp_path


@pytest.fixture
def full_reads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    reads: list[int] = []
    real = spiderloader.load_catalog

    def counting() -> Catalog:
        reads.append(1)
        return real()

    monkeypatch.setattr(spiderloader, "load_catalog", counting)
    return reads


def test_crawl_of_a_slug_with_its_own_file_reads_nothing_else(
    catalog: Path, full_reads: list[int]
) -> None:
    loader = CompanySpiderLoader.from_settings(Settings())
    assert loader.load("acme").company.board == "acme"
    assert full_reads == []


def test_other_slugs_fall_back_to_the_whole_catalog(
    catalog: Path, full_reads: list[int], caplog: pytest.LogCaptureFixture
) -> None:
    loader = CompanySpiderLoader.from_settings(Settings())
    assert loader.load("globex").company.board == "globex"
    with pytest.raises(KeyError, match="Spider not found: bad"):
        loader.load("bad")
    assert full_reads == [1]  # read once, then kept
    assert loader.list() == ["acme", "globex"]
    assert any("unknown ATS 'nowhere'" in r.getMessage() for r in caplog.records)


def test_after_a_full_read_the_catalog_answers(catalog: Path, full_reads: list[int]) -> None:
    loader = CompanySpiderLoader.from_settings(Settings())
    loader.list()
    (catalog / "acme.yaml").write_text("name: Acme\nats: greenhouse\nboard: changed\n")
    assert loader.load("acme").company.board == "acme"  # one process, one view of the catalog
