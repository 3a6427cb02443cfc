"""Platform spiders, one module per platform (declared in `jobcrawler.platforms`).

Nothing is imported here: a crawl imports only the spider of its company's platform
(`Platform.spider_class()`), and the spider loader subclasses it per company.
"""
