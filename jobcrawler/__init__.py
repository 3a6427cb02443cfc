"""jobcrawler: a live, trustworthy database of the job postings companies publish."""

__version__ = "0.1.0"
