"""Platform spiders, one module per ATS; the spider loader subclasses them per company."""

from jobcrawler.spiders.ashby import AshbySpider
from jobcrawler.spiders.bamboohr import BambooHRSpider
from jobcrawler.spiders.base import CompanySpider
from jobcrawler.spiders.breezy import BreezySpider
from jobcrawler.spiders.comeet import ComeetSpider
from jobcrawler.spiders.greenhouse import GreenhouseSpider
from jobcrawler.spiders.html import HtmlSpider
from jobcrawler.spiders.jsonld import JsonLdSpider
from jobcrawler.spiders.lever import LeverSpider
from jobcrawler.spiders.personio import PersonioSpider
from jobcrawler.spiders.recruitee import RecruiteeSpider
from jobcrawler.spiders.smartrecruiters import SmartRecruitersSpider
from jobcrawler.spiders.teamtailor import TeamtailorSpider
from jobcrawler.spiders.workable import WorkableSpider
from jobcrawler.spiders.workday import WorkdaySpider

#: The `ats` values a company may use, and the spider base each one gets.
PLATFORMS: dict[str, type[CompanySpider]] = {
    spider.platform: spider
    for spider in (
        GreenhouseSpider,
        LeverSpider,
        AshbySpider,
        RecruiteeSpider,
        BreezySpider,
        ComeetSpider,
        WorkableSpider,
        PersonioSpider,
        TeamtailorSpider,
        SmartRecruitersSpider,
        WorkdaySpider,
        BambooHRSpider,
        JsonLdSpider,
        HtmlSpider,
    )
}
