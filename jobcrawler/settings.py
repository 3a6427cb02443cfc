"""Scrapy settings for jobcrawler.

Per-company overrides go in the company's `settings:` mapping in YAML; scrapyd's
`setting=KEY=VALUE` overrides both. The database comes from `DATABASE_URL` (environment or
`-s DATABASE_URL=...`); unset, a SQLite file in the project's data directory is used.
"""

import os

from scrapy.settings import default_settings

from jobcrawler import __version__
from jobcrawler.items import FEED_FIELDS

BOT_NAME = "jobcrawler"
SPIDER_LOADER_CLASS = "jobcrawler.spiderloader.CompanySpiderLoader"
SPIDER_MODULES: list[str] = []
# The project's `crawl` command replaces Scrapy's: it records the crawl and exits with its
# outcome (see jobcrawler/commands/crawl.py).
COMMANDS_MODULE = "jobcrawler.commands"

USER_AGENT = f"jobcrawler/{__version__} (+https://github.com/jobcrawler/jobcrawler)"
ROBOTSTXT_OBEY = True
COOKIES_ENABLED = False

# Processes started by scrapyd must not open control ports. Off, and not even loaded: the
# remote control imports aiohttp, 0.2 s of every crawl process's start-up. (Scrapy imports
# every key of EXTENSIONS, even one set to None, so they leave the base list instead.)
REMOTE_CONTROL_ENABLED = False
TELNETCONSOLE_ENABLED = False
_CONTROL_PORTS = ("scrapy.extensions.remote_control.", "scrapy.extensions.telnet.")
EXTENSIONS_BASE = {
    path: order
    for path, order in default_settings.EXTENSIONS_BASE.items()
    if not path.startswith(_CONTROL_PORTS)
}

# Politeness: the shared host pace is the contract, and the floor of throughput.
# `HOST_DELAY` (below) spaces requests to one ATS host across every crawl on the database, so
# one host sees at most 1 / HOST_DELAY requests a second (4/s) however many companies and
# processes crawl it; that setting moves a node's throughput. A per-crawl delay on top only
# slowed each crawl below that pace without protecting the host: with DOWNLOAD_DELAY 0.5 (the
# floor AutoThrottle kept) a 3,000-posting Workday tenant took 32 minutes instead of 13.
# Slow and erroring hosts still get less: a crawl has at most CONCURRENT_REQUESTS_PER_DOMAIN
# requests in flight per host, so a host answering in L seconds gets at most 2 / L requests a
# second from it (AutoThrottle's latency rule, without its per-crawl floor), and a 429/503 or
# Retry-After holds the host for every crawl (RetryAfterMiddleware, below).
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_DELAY = 0
AUTOTHROTTLE_ENABLED = False
DOWNLOAD_TIMEOUT = 60
# Greenhouse returns a whole board in one response: 5,000 postings are ~25 MB.
DOWNLOAD_MAXSIZE = 256 * 1024 * 1024
DOWNLOAD_WARNSIZE = 64 * 1024 * 1024

# Retries on 429/5xx, holding the host as long as Retry-After asks, or 2**retries seconds for
# a 429/503 without one (up to RETRY_AFTER_MAX seconds).
RETRY_TIMES = 3
RETRY_HTTP_CODES = [429, 500, 502, 503, 504, 522, 524, 408]
RETRY_AFTER_MAX = 120
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "jobcrawler.middlewares.retry.RetryAfterMiddleware": 550,
    "jobcrawler.middlewares.hosts.SharedHostThrottle": 560,
}
# Every crawl on the same database (all scrapyd jobs and nodes) spaces its requests to one
# ATS host (tenant hosts such as acme.recruitee.com count as recruitee.com) by this much,
# through the host_pace table: the politeness contract (see "Politeness" above). 0 turns the
# shared pace off, leaving only CONCURRENT_REQUESTS_PER_DOMAIN.
HOST_DELAY = 0.25

# validate -> normalize -> dedupe -> store; see jobcrawler/pipelines/__init__.py.
ITEM_PIPELINES = {
    "jobcrawler.pipelines.validate.ValidatePipeline": 100,
    "jobcrawler.pipelines.normalize.NormalizePipeline": 200,
    "jobcrawler.pipelines.dedupe.DedupePipeline": 300,
    "jobcrawler.pipelines.store.StorePipeline": 900,
}
DATABASE_URL = os.environ.get("DATABASE_URL")
# Only real crawls (`scrapy crawl`, `python -m jobcrawler crawl`, scrapyd jobs) turn this on:
# the store and the shared host pace then use the database. `scrapy parse`, `fetch`, `shell`,
# `check`, `runspider` and `bench` leave it off, so debugging never changes the data.
JOBCRAWLER_RECORD = False
STORE_BATCH_SIZE = 500
# A process crawling many companies (`scrapy crawl batch`, `python -m jobcrawler crawl`) runs
# at most this many at once, starting the next as one ends: memory stays flat, and all share
# one database pool of DB_POOL_SIZE connections: a node holds scrapyd's max_proc x that.
CONCURRENT_COMPANIES = 8
DB_POOL_SIZE = 2
MAX_REMOVAL_RATIO = 0.5

FEED_EXPORT_ENCODING = "utf-8"
# Feeds (`scrapy crawl X -O out.jsonl`) carry the public fields only, never the internal
# ones the pipelines use (list_hash, posted_at_relative, salary_text).
FEED_EXPORT_FIELDS = list(FEED_FIELDS)
LOG_LEVEL = "INFO"
