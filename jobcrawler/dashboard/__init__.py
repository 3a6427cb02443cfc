"""The operator dashboard served by `python -m jobcrawler serve`: server-rendered HTML pages
(overview, company chart, posting search) with their CSS read from the package, no JavaScript."""
