"""One spider per company: `scrapy list`, `scrapy crawl`, `scrapy check` and bad YAML."""

import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.http import Request
from scrapy.settings import Settings

from jobcrawler.spiderloader import CompanySpiderLoader
from jobcrawler.spiders.greenhouse import GreenhouseSpider
from jobcrawler.spiders.lever import LeverSpider
from tests.helpers.crawling import ROOT

CATALOG = """\
- name: Acme
  ats: greenhouse
  board: acme
  settings: {ROBOTSTXT_OBEY: false, DOWNLOAD_DELAY: 2}
- name: Globex Corp
  ats: lever
  board: globex
  base_url: https://api.eu.lever.co
- name: Broken
  ats: nowhere
  board: x
"""


@pytest.fixture
def catalog(tmp_path, monkeypatch) -> Path:
    (tmp_path / "companies.yaml").write_text(CATALOG)
    (tmp_path / "bad.yaml").write_text("name: [unclosed\n")
    monkeypatch.setenv("JOBCRAWLER_COMPANIES_DIR", str(tmp_path))
    return tmp_path


def scrapy(*args: str, env_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "JOBCRAWLER_COMPANIES_DIR": str(env_dir)}
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )


def test_loader_lists_valid_companies_and_logs_invalid(catalog, caplog):
    loader = CompanySpiderLoader.from_settings(Settings())
    assert loader.list() == ["acme", "globex_corp"]
    errors = [r.getMessage() for r in caplog.records if r.levelname == "ERROR"]
    assert len(errors) == 2
    assert any("bad.yaml:2" in e and "invalid YAML" in e for e in errors)
    assert any("companies.yaml:10" in e and "unknown ATS 'nowhere'" in e for e in errors)


def test_loaded_classes_carry_company_and_settings(catalog):
    loader = CompanySpiderLoader.from_settings(Settings())
    acme = loader.load("acme")
    assert issubclass(acme, GreenhouseSpider) and acme.name == "acme"
    assert acme.custom_settings == {"ROBOTSTXT_OBEY": False, "DOWNLOAD_DELAY": 2}
    assert acme.__name__ == "AcmeSpider"
    globex = loader.load("globex_corp")
    assert issubclass(globex, LeverSpider) and globex.company.board == "globex"
    assert loader.load("acme") is acme
    with pytest.raises(KeyError, match="Spider not found: nope"):
        loader.load("nope")
    assert loader.find_by_request(Request("https://api.eu.lever.co/v0/postings/globex")) == [
        "globex_corp"
    ]


def test_spider_accepts_scrapyd_arguments(catalog):
    cls = CompanySpiderLoader.from_settings(Settings()).load("acme")
    spider = cls(_job="abc123", _version="1700000000", trigger="retry", setting="ignored")
    assert (spider.job_id, spider.trigger, spider._version) == ("abc123", "retry", "1700000000")
    with pytest.raises(ValueError, match="trigger must be one of manual, schedule, retry"):
        cls(trigger="sometimes")


@pytest.mark.e2e
def test_scrapy_list_shows_valid_companies_and_names_the_broken_file(catalog):
    result = scrapy("list", env_dir=catalog)
    assert result.returncode == 0
    assert result.stdout.split() == ["acme", "batch", "globex_corp"]  # batch: many in a job
    assert f"{catalog}/bad.yaml:2: invalid YAML" in result.stderr
    assert "unknown ATS 'nowhere'" in result.stderr


@pytest.mark.e2e
def test_scrapy_check_runs(catalog):
    result = scrapy("check", env_dir=catalog)
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.e2e
def test_companies_validate_command(catalog, tmp_path):
    bad = subprocess.run(
        [sys.executable, "-m", "jobcrawler", "companies", "validate", "--dir", str(catalog)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert bad.returncode == 1
    assert "2 valid companies, 2 errors" in bad.stdout
    assert f"error: {catalog}/companies.yaml:10: company 'Broken': key 'ats'" in bad.stderr
    good = tmp_path / "good"
    good.mkdir()
    (good / "a.yaml").write_text("name: A\nats: ashby\nboard: a\n")
    ok = subprocess.run(
        [sys.executable, "-m", "jobcrawler", "companies", "validate", "--dir", str(good)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert ok.returncode == 0 and "1 valid companies, 0 errors" in ok.stdout


@pytest.mark.e2e
def test_scrapy_list_refuses_hostile_files_and_keeps_the_rest(catalog):
    laughs = ['  a0: &a0 "lol"'] + [
        f"  a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 9)}]" for n in range(1, 10)
    ]
    (catalog / "bomb.yaml").write_text("name: Bomb\nats: lever\nboard: b\nx:\n" + "\n".join(laughs))
    (catalog / "feeds.yaml").write_text(
        f"name: Feeds\nats: lever\nboard: f\nsettings:\n  FEEDS: {{{catalog}/out.json: {{}}}}\n"
    )
    result = scrapy("list", env_dir=catalog)
    assert result.returncode == 0
    assert result.stdout.split() == ["acme", "batch", "globex_corp"]  # batch: many in a job
    assert f"{catalog}/bomb.yaml:10: invalid YAML: aliases expand" in result.stderr
    assert f"{catalog}/feeds.yaml:5: company 'Feeds': key 'settings.FEEDS'" in result.stderr
