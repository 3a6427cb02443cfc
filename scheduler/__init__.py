"""Cron-driven scheduling of company crawls on scrapyd nodes, and reports on the results."""
