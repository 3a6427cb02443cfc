"""Saved searches and the alerts they send: webhooks, email digests, Slack messages.

One module per concern: `spec` (what a saved search is, from YAML or the API), `records`
(its rows), `matching` (closed sessions' posting events into deliveries), `health`
(crawl-health alerts into deliveries), `deliveries` (claims, retries), `webhook`, `mail`,
`slack` (sending) and `worker` (`python -m jobcrawler alerts`). None of it runs in a crawl
process: the worker follows the database, so delivery never slows a crawl.
"""
