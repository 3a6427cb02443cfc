"""Platform spiders, one module per ATS; the spider loader subclasses them per company."""

from jobcrawler.spiders.ashby import AshbySpider
from jobcrawler.spiders.base import CompanySpider
from jobcrawler.spiders.greenhouse import GreenhouseSpider
from jobcrawler.spiders.lever import LeverSpider

#: The `ats` values a company may use, and the spider base each one gets.
PLATFORMS: dict[str, type[CompanySpider]] = {
    spider.platform: spider for spider in (GreenhouseSpider, LeverSpider, AshbySpider)
}
