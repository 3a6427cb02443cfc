"""`load_company`: one company from its own file, None whenever the whole catalog must decide."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from jobcrawler import catalog as catalog_module
from jobcrawler.catalog import load_catalog, load_company


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "acme.yaml").write_text("name: Acme\nats: greenhouse\nboard: acme\n")
    (tmp_path / "globex.yml").write_text("name: Globex\nats: lever\nboard: globex\n")
    (tmp_path / "several.yaml").write_text(
        "- name: Initech\n  ats: ashby\n  board: ini\n- name: Several\n  ats: ashby\n  board: s\n"
    )
    (tmp_path / "broken.yaml").write_text("name: Broken\nats: nowhere\nboard: b\n")
    return tmp_path


def test_reads_the_slugs_own_file_as_the_catalog_does(folder: Path) -> None:
    catalog = load_catalog(folder).by_slug()
    for slug in ("acme", "globex", "several"):
        assert load_company(slug, folder) == catalog[slug]


def test_none_when_the_file_does_not_settle_it(folder: Path) -> None:
    assert load_company("initech", folder) is None  # defined, but in another file
    assert load_company("broken", folder) is None  # its file is invalid
    assert load_company("nope", folder) is None


def test_never_reads_outside_the_folder(folder: Path) -> None:
    outside = folder / "sub"
    outside.mkdir()
    (folder / "x.yaml").write_text("name: X\nats: greenhouse\nboard: x\nslug: x\n")
    assert load_company("../x", outside) is None


def test_catalog_from_environment(folder: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOBCRAWLER_COMPANIES_DIR", str(folder))
    company = load_company("acme")
    assert company is not None and company.board == "acme"


def test_packaged_catalog(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("JOBCRAWLER_COMPANIES_DIR", raising=False)
    catalog = load_catalog().by_slug()
    assert catalog
    for slug, company in catalog.items():
        assert load_company(slug) in (company, None)  # None: its file has another name
    assert any(load_company(slug) == company for slug, company in catalog.items())


def test_catalog_inside_a_zipped_egg(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """scrapyd runs the project from a zip: the catalog is a zipfile.Path there."""
    archive = tmp_path / "project.egg"
    with zipfile.ZipFile(archive, "w") as egg:
        egg.writestr("jobcrawler/companies/acme.yaml", "name: Acme\nats: greenhouse\nboard: a\n")
    monkeypatch.delenv("JOBCRAWLER_COMPANIES_DIR", raising=False)
    monkeypatch.setattr(
        catalog_module, "files", lambda _: zipfile.Path(archive, "jobcrawler/companies/")
    )
    company = load_company("acme")
    assert company is not None and company.board == "a"
    assert load_company("other") is None
