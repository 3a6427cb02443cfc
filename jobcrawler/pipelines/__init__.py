"""Item pipeline stages, one per module, in this order (ITEM_PIPELINES in settings.py):

1. `validate` (100): drops postings without an id, title or http(s) URL, counting why.
2. `normalize` (200): canonical location, remote type, employment type, salary, dates,
   sanitized HTML and Markdown description.
3. `dedupe` (300): one posting per (company, external_id) per crawl.
4. `store` (900): batched writes and the posting lifecycle in the database, plus the
   crawl session record. Disable it (`-s ITEM_PIPELINES=...`) to crawl without a database.
"""
