"""`python -m jobcrawler serve`: the read API over the postings database (FastAPI)."""
