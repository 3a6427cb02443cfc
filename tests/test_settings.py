"""Settings hygiene: what every crawl process (and scrapyd job) runs with."""

from scrapy.utils.project import get_project_settings

from jobcrawler import __version__
from jobcrawler import settings as project_settings


def test_settings_hygiene(monkeypatch):
    monkeypatch.setenv("SCRAPY_SETTINGS_MODULE", "jobcrawler.settings")
    settings = get_project_settings()
    assert settings.getbool("REMOTE_CONTROL_ENABLED") is False
    assert settings.getbool("TELNETCONSOLE_ENABLED") is False
    assert (
        settings["USER_AGENT"]
        == f"jobcrawler/{__version__} (+https://github.com/jobcrawler/jobcrawler)"
    )
    # the shared host pace is the only delay: nothing per crawl slows it down
    assert settings.getfloat("HOST_DELAY") > 0
    assert settings.getfloat("DOWNLOAD_DELAY") == 0
    assert settings.getbool("AUTOTHROTTLE_ENABLED") is False
    assert 1 <= settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN") <= 2
    assert not hasattr(project_settings, "RANDOMIZE_DOWNLOAD_DELAY")  # deprecated in 2.19
    assert {429, 500, 502, 503, 504} <= {int(code) for code in settings.getlist("RETRY_HTTP_CODES")}
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    assert middlewares["scrapy.downloadermiddlewares.retry.RetryMiddleware"] is None
    assert "jobcrawler.middlewares.retry.RetryAfterMiddleware" in middlewares
    assert "jobcrawler.middlewares.hosts.SharedHostThrottle" in middlewares
    assert 0 < settings.getint("DOWNLOAD_MAXSIZE") <= 1024**3
    assert settings.getbool("ROBOTSTXT_OBEY") is True
    assert list(settings.getdict("ITEM_PIPELINES")) == [
        "jobcrawler.pipelines.validate.ValidatePipeline",
        "jobcrawler.pipelines.normalize.NormalizePipeline",
        "jobcrawler.pipelines.dedupe.DedupePipeline",
        "jobcrawler.pipelines.store.StorePipeline",
    ]
