"""company_settings: a company's `settings:` takes the documented allow-list, type-checked."""

import inspect
import textwrap

import pytest
import scrapy_playwright.handler
from scrapy.settings import default_settings

from jobcrawler import settings as project_settings
from jobcrawler.catalog import load_catalog
from jobcrawler.company_settings import ALLOWED_SETTINGS
from tests.helpers.crawling import ROOT

HEAD = "name: Acme\nats: lever\nboard: acme\nsettings:\n"


def errors_for(tmp_path, settings_yaml: str) -> list[str]:
    (tmp_path / "acme.yaml").write_text(HEAD + textwrap.indent(settings_yaml, "  "))
    (tmp_path / "good.yaml").write_text("name: Good\nats: greenhouse\nboard: good\n")
    catalog = load_catalog(tmp_path)
    assert "good" in [c.slug for c in catalog.companies]
    return [str(error).removeprefix(f"{tmp_path}/") for error in catalog.errors]


def test_allowed_settings_load_with_their_values(tmp_path):
    body = """\
        DOWNLOAD_DELAY: 2
        DOWNLOAD_DELAY_JITTER: 0.2
        HOST_DELAY: 0
        AUTOTHROTTLE_ENABLED: false
        AUTOTHROTTLE_TARGET_CONCURRENCY: 0.5
        CONCURRENT_REQUESTS_PER_DOMAIN: 1
        ROBOTSTXT_OBEY: false
        USER_AGENT: "Mozilla/5.0 (compatible; jobcrawler)"
        DEFAULT_REQUEST_HEADERS: {Accept-Language: en}
        RETRY_TIMES: 5
        RETRY_HTTP_CODES: [429, 503]
        DOWNLOAD_TIMEOUT: 30
        PLAYWRIGHT_DEFAULT_NAVIGATION_TIMEOUT: 45000
        """
    assert errors_for(tmp_path, textwrap.dedent(body)) == []
    acme = load_catalog(tmp_path).by_slug()["acme"]
    assert acme.settings["DOWNLOAD_DELAY"] == 2 and acme.settings["ROBOTSTXT_OBEY"] is False
    assert acme.settings["RETRY_HTTP_CODES"] == [429, 503]
    assert acme.settings["DEFAULT_REQUEST_HEADERS"] == {"Accept-Language": "en"}


@pytest.mark.parametrize(
    "key",
    [
        "TELNETCONSOLE_ENABLED",
        "FEEDS",
        "ITEM_PIPELINES",
        "DATABASE_URL",
        "JOBCRAWLER_RECORD",
        "PLAYWRIGHT_LAUNCH_OPTIONS",
        "DOWNLOAD_HANDLERS",
        "LOG_FILE",
        "SPIDER_LOADER_CLASS",
    ],
)
def test_other_settings_are_errors_naming_file_line_company_and_key(tmp_path, key):
    [message] = errors_for(tmp_path, f"DOWNLOAD_DELAY: 1\n{key}: x\n")
    assert message.startswith(
        f"acme.yaml:6: company 'Acme': key 'settings.{key}': setting not allowed for a company"
    ), message


def test_a_misspelled_setting_names_the_intended_one(tmp_path):
    [message] = errors_for(tmp_path, "DOWNLOAD_DELAYY: 1\n")
    assert message == (
        "acme.yaml:5: company 'Acme': key 'settings.DOWNLOAD_DELAYY':"
        " setting not allowed for a company; did you mean DOWNLOAD_DELAY?"
    )


@pytest.mark.parametrize(
    ("body", "line", "key", "problem"),
    [
        ("DOWNLOAD_DELAY: '2'\n", 5, "DOWNLOAD_DELAY", "valid number"),
        ("DOWNLOAD_DELAY: true\n", 5, "DOWNLOAD_DELAY", "valid number"),
        ("DOWNLOAD_DELAY: -1\n", 5, "DOWNLOAD_DELAY", "greater than or equal to 0"),
        ("DOWNLOAD_DELAY: .inf\n", 5, "DOWNLOAD_DELAY", "finite number"),
        ("CONCURRENT_REQUESTS: 0\n", 5, "CONCURRENT_REQUESTS", "greater than or equal to 1"),
        ("CONCURRENT_REQUESTS: 2.5\n", 5, "CONCURRENT_REQUESTS", "valid integer"),
        ("ROBOTSTXT_OBEY: 'no'\n", 5, "ROBOTSTXT_OBEY", "valid boolean"),
        ("RETRY_HTTP_CODES:\n  - 429\n  - '500'\n", 7, "RETRY_HTTP_CODES.1", "valid integer"),
        ('USER_AGENT: "bot\\r\\nX-Admin: 1"\n', 5, "USER_AGENT", "should match pattern"),
        ("DEFAULT_REQUEST_HEADERS: {Accept: 1}\n", 5, "DEFAULT_REQUEST_HEADERS.Accept", "string"),
    ],
)
def test_values_are_type_checked(tmp_path, body, line, key, problem):
    [message] = errors_for(tmp_path, body)
    assert message.startswith(f"acme.yaml:{line}: company 'Acme': key 'settings.{key}': "), message
    assert problem in message


def test_settings_must_be_a_mapping(tmp_path):
    (tmp_path / "acme.yaml").write_text(HEAD.replace("settings:\n", "settings: [FEEDS]\n"))
    [error] = load_catalog(tmp_path).errors
    assert (error.line, error.key) == (4, "settings") and "valid dictionary" in error.message


def test_every_allowed_setting_exists_and_is_documented():
    readme = (ROOT / "README.md").read_text()
    playwright = inspect.getsource(scrapy_playwright.handler)
    for name in ALLOWED_SETTINGS:
        known = hasattr(default_settings, name) or hasattr(project_settings, name)
        assert known or f'"{name}"' in playwright, name
        assert f"`{name}`" in readme, name
