"""The one item every platform spider yields."""

import scrapy

from jobcrawler.db.content import POSTING_FIELDS

__all__ = ["FEED_FIELDS", "POSTING_FIELDS", "JobPosting"]


class JobPosting(scrapy.Item):
    """A job posting as the ATS publishes it.

    Spiders fill what the platform provides, in the platform's own vocabulary
    (`remote_type="on-site"`, `employment_type="FullTime"`, `posted_at=1782214185805`);
    the normalize stage turns those into the canonical values and fills the rest from text.
    `salary_text` is a hint only (prose that may state a salary) and is never stored;
    `list_hash` identifies the listing entry a detail page was fetched for.
    `posted_at_relative` (set by the normalize stage, never stored) says `posted_at` was
    resolved from relative text ("Posted Yesterday"): the store keeps a known posting's date.
    `locations`: the place texts of a posting listed in several places, primary first, as
    the platform lists them; the normalize stage turns them (or the places `location` names)
    into [{city, region, country, raw}], stored in `posting_locations`.
    """

    company = scrapy.Field()
    external_id = scrapy.Field()
    title = scrapy.Field()
    url = scrapy.Field()
    apply_url = scrapy.Field()
    location = scrapy.Field()
    locations = scrapy.Field()
    city = scrapy.Field()
    region = scrapy.Field()
    country = scrapy.Field()
    remote_type = scrapy.Field()
    employment_type = scrapy.Field()
    department = scrapy.Field()
    team = scrapy.Field()
    salary_min = scrapy.Field()
    salary_max = scrapy.Field()
    salary_currency = scrapy.Field()
    salary_period = scrapy.Field()
    posted_at = scrapy.Field()
    description_html = scrapy.Field()
    description = scrapy.Field()
    salary_text = scrapy.Field()
    list_hash = scrapy.Field()
    posted_at_relative = scrapy.Field()


#: What feed exports (`scrapy crawl X -O out.jsonl`) write, in this order: the item's fields
#: but the internal ones (`salary_text`, `list_hash`, `posted_at_relative`), which only steer
#: the pipelines. settings.FEED_EXPORT_FIELDS.
FEED_FIELDS = (
    "company", "external_id", "title", "url", "apply_url", "location", "locations", "city",
    "region", "country", "remote_type", "employment_type", "department", "team", "salary_min",
    "salary_max", "salary_currency", "salary_period", "posted_at", "description_html",
    "description",
)  # fmt: skip
