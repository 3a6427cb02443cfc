"""Pipeline stages validate and dedupe, and the normalize stage on raw platform values."""

from datetime import UTC, datetime

import pytest
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from jobcrawler.items import JobPosting
from jobcrawler.pipelines.dedupe import DedupePipeline
from jobcrawler.pipelines.normalize import NormalizePipeline
from jobcrawler.pipelines.validate import ValidatePipeline
from tests.helpers import make_spider


@pytest.fixture
def spider():
    return make_spider("greenhouse", "acme")


def item(**fields):
    base = {"company": "acme", "external_id": "1", "title": "Engineer", "url": "https://x.io/1"}
    return JobPosting(**{**base, **fields})


@pytest.mark.parametrize(
    ("fields", "reason"),
    [
        ({"external_id": None}, "missing_external_id"),
        ({"title": "   "}, "missing_title"),
        ({"title": None}, "missing_title"),
        ({"url": "/jobs/1"}, "missing_url"),
        ({"url": None}, "missing_url"),
    ],
)
def test_validate_drops_with_counted_reason(spider, fields, reason):
    pipeline = ValidatePipeline.from_crawler(spider.crawler)
    with pytest.raises(DropItem):
        pipeline.process_item(item(**fields))
    assert spider.crawler.stats.get_value(f"jobcrawler/dropped/{reason}") == 1


@pytest.mark.parametrize(
    "external_id",
    ["12\x003", "line\nbreak", "tab\there", "\x7f", "\x85next", "lone\ud800surrogate", "9" * 256],
)
def test_validate_drops_ids_no_database_can_take(spider, external_id):
    pipeline = ValidatePipeline.from_crawler(spider.crawler)
    with pytest.raises(DropItem) as dropped:
        pipeline.process_item(item(external_id=external_id))
    assert spider.crawler.stats.get_value("jobcrawler/dropped/bad_external_id") == 1
    message = str(dropped.value)
    assert message.startswith("bad external_id: acme/'") and len(message) < 120
    assert "\x00" not in message and "\n" not in message
    assert dropped.value.log_level == "WARNING"


@pytest.mark.parametrize("external_id", ["9" * 255, "Senior-Engineer_JR-10452", "ünïcode-42"])
def test_validate_keeps_long_and_unicode_ids(spider, external_id):
    pipeline = ValidatePipeline.from_crawler(spider.crawler)
    assert pipeline.process_item(item(external_id=external_id))["external_id"] == external_id


def test_validate_passes_and_stringifies_ids(spider):
    pipeline = ValidatePipeline.from_crawler(spider.crawler)
    result = pipeline.process_item(item(external_id=7))
    assert result["external_id"] == "7"


def test_dedupe_counts_repeats(spider):
    pipeline = DedupePipeline.from_crawler(spider.crawler)
    pipeline.process_item(item())
    pipeline.process_item(item(external_id="2"))
    with pytest.raises(DropItem):
        pipeline.process_item(item(title="Other title, same id"))
    assert spider.crawler.stats.get_value("jobcrawler/duplicates") == 1


def test_normalize_raw_values(spider):
    pipeline = NormalizePipeline.from_crawler(spider.crawler)
    result = ItemAdapter(
        pipeline.process_item(
            item(
                title="  Senior   Engineer ",
                location="Hybrid - London",
                employment_type="FULL_TIME",
                salary_min="3750",
                salary_max="5250",
                salary_currency="eur",
                salary_period="month",
                posted_at="2026-09-18 12:55:59 UTC",
                description_html="<p onclick='x()'>Build <b>things</b></p><script>bad()</script>",
                salary_text="ignored when structured salary exists: $1,000,000 per year",
            )
        )
    )
    assert result["title"] == "Senior Engineer"
    assert (result["city"], result["country"], result["remote_type"]) == ("London", "GB", "hybrid")
    assert result["employment_type"] == "full_time"
    assert (result["salary_min"], result["salary_max"]) == (3750, 5250)
    assert (result["salary_currency"], result["salary_period"]) == ("EUR", "month")
    assert result["posted_at"] == datetime(2026, 9, 18, 12, 55, 59, tzinfo=UTC)
    assert result["description_html"] == "<p>Build <b>things</b></p>"
    assert result["description"] == "Build **things**"
    assert "salary_text" not in result


def test_normalize_salary_from_prose_and_swapped_bounds(spider):
    pipeline = NormalizePipeline.from_crawler(spider.crawler)
    prose = ItemAdapter(
        pipeline.process_item(
            item(
                description_html="<p>We pay $120,000 - $150,000 per year.</p>",
                location="Remote - US",
            )
        )
    )
    assert (prose["salary_min"], prose["salary_max"], prose["salary_currency"]) == (
        120000,
        150000,
        "USD",
    )
    assert (prose["remote_type"], prose["country"]) == ("remote", "US")
    swapped = ItemAdapter(pipeline.process_item(item(salary_min=9, salary_max=5)))
    assert (swapped["salary_min"], swapped["salary_max"]) == (5, 9)
