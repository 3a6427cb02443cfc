"""normalize.urls and the stages that use it: only http(s) links survive, however disguised."""

import pytest
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from jobcrawler.items import JobPosting
from jobcrawler.normalize.description import sanitize_html
from jobcrawler.normalize.urls import http_url, safe_url
from jobcrawler.pipelines.normalize import NormalizePipeline
from jobcrawler.pipelines.validate import ValidatePipeline
from tests.helpers import make_spider

UNSAFE = [
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "java\tscript:alert(1)",
    "java\nscr\ript:alert(1)",
    "\x00javascript:alert(1)",
    "\x1f javascript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "DATA:text/html,<script>alert(1)</script>",
    "vbscript:msgbox(1)",
    "file:///etc/passwd",
    "ftp://example.com/job",
    "mailto:jobs@example.com",
    "https://",  # no host
    "https://exa\x00mple.com/job",  # NUL: no browser link, and PostgreSQL refuses it
    "http://[::1/job",  # urlsplit raises
    "",
    42,
]


@pytest.mark.parametrize("value", UNSAFE)
def test_unsafe_urls_become_none(value):
    assert safe_url(value) is None and http_url(value) is None


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("https://example.com/jobs/1?a=b#c", "https://example.com/jobs/1?a=b#c"),
        ("HTTP://Example.com/jobs/1", "HTTP://Example.com/jobs/1"),
        ("  https://example.com/jobs/1\n", "https://example.com/jobs/1"),
        ("https://example.com/jo\tbs/1", "https://example.com/jobs/1"),
    ],
)
def test_http_urls_are_kept_without_what_browsers_ignore(value, expected):
    assert safe_url(value) == expected and http_url(value) == expected


@pytest.mark.parametrize("value", ["/jobs/1", "jobs/1?x=a:b", "//cdn.example.com/apply"])
def test_relative_urls_are_safe_but_no_posting_url(value):
    assert safe_url(value) == value and http_url(value) is None


@pytest.fixture
def spider():
    return make_spider("greenhouse", "acme")


def posting(**fields):
    base = {"company": "acme", "external_id": "1", "title": "Engineer", "url": "https://x.io/1"}
    return JobPosting(**{**base, **fields})


def test_normalize_nulls_and_counts_unsafe_url_fields(spider):
    pipeline = NormalizePipeline.from_crawler(spider.crawler)
    bad = ItemAdapter(pipeline.process_item(posting(apply_url=" JaVaScRiPt:alert(1)")))
    assert bad["apply_url"] is None and bad["url"] == "https://x.io/1"
    worse = posting(url="data:text/html,x", apply_url="java\tscript:alert(1)")
    assert ItemAdapter(pipeline.process_item(worse))["url"] is None
    good = ItemAdapter(pipeline.process_item(posting(apply_url="https://x.io/1/apply ")))
    assert good["apply_url"] == "https://x.io/1/apply"
    empty = ItemAdapter(pipeline.process_item(posting(apply_url="")))
    assert empty["apply_url"] is None
    assert spider.crawler.stats.get_value("jobcrawler/urls/unsafe") == 3


@pytest.mark.parametrize(
    "url", [" javascript:alert(1)//https://x.io", "java\tscript:x", "https://"]
)
def test_validate_drops_a_posting_whose_url_is_unsafe(spider, url):
    pipeline = ValidatePipeline.from_crawler(spider.crawler)
    with pytest.raises(DropItem):
        pipeline.process_item(posting(url=url))
    assert spider.crawler.stats.get_value("jobcrawler/dropped/missing_url") == 1


def test_validate_reads_urls_as_normalize_does(spider):
    pipeline = ValidatePipeline.from_crawler(spider.crawler)
    assert pipeline.process_item(posting(url=" HTTPS://x.io/1"))  # a browser follows it


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        " JaVaScRiPt:alert(1)",
        "java&#9;script:alert(1)",
        "data:text/html,x",
        "tel:+1555",
        "ftp://x.io/",
    ],
)
def test_description_links_keep_only_http_and_mailto(href):
    assert "href" not in sanitize_html(f'<p><a href="{href}">apply</a></p>')


@pytest.mark.parametrize("href", ["https://x.io/apply", "mailto:jobs@x.io", "/apply"])
def test_description_keeps_http_mailto_and_relative_links(href):
    assert f'href="{href}"' in sanitize_html(f'<p><a href="{href}">apply</a></p>')
