"""The content hash: defined over field names and non-null values, not a field tuple."""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from jobcrawler.db.content import POSTING_FIELDS, clean_posting, content_hash, hash_clean
from tests.helpers.store import posting


def test_definition() -> None:
    """Pinned: another definition changes every stored hash and needs a migration like 0006."""
    stream = b"7:country2:DE9:posted_at25:2026-11-01T09:30:00+00:0010:salary_min7:60000.05:title1:A"
    entry = {"title": "A", "salary_min": 60000, "country": "de", "posted_at": "2026-11-01T09:30Z"}
    assert content_hash(entry) == hashlib.sha256(stream).hexdigest()


def test_a_field_added_as_null_leaves_the_hash_unchanged() -> None:
    values = clean_posting(posting(1))
    assert hash_clean(values | {"benefits": None}) == hash_clean(values)
    assert hash_clean(values | {"benefits": None, "zz_new": None}) == hash_clean(values)
    assert hash_clean(values | {"benefits": "Lunch"}) != hash_clean(values)


def test_field_order_does_not_matter() -> None:
    values = clean_posting(posting(1))
    assert hash_clean(dict(reversed(values.items()))) == hash_clean(values)


def test_a_value_is_bound_to_its_field_name() -> None:
    base = posting(1, team=None, department="Platform")
    assert content_hash(base) != content_hash(posting(1, team="Platform", department=None))
    assert content_hash(posting(1, city="ab", region="c")) != content_hash(
        posting(1, city="a", region="bc")
    )


def test_null_empty_and_missing() -> None:
    base = posting(1)
    assert content_hash(base | {"team": None}) == content_hash(
        {k: v for k, v in base.items() if k != "team"}
    )
    assert content_hash(base | {"team": None}) != content_hash(base | {"team": ""})
    assert content_hash(dict.fromkeys(POSTING_FIELDS)) == content_hash({})


def test_equal_content_in_another_representation_hashes_equal() -> None:
    base = posting(1)
    assert content_hash(base | {"salary_min": 60000.0}) == content_hash(base)
    assert content_hash(base | {"salary_max": "80000.50"}) == content_hash(base)
    assert content_hash(base | {"posted_at": "2026-11-01T10:30:00+01:00"}) == content_hash(base)
    assert content_hash(base | {"posted_at": datetime(2026, 11, 1, 9, 30)}) == content_hash(base)
    assert content_hash(base | {"country": "de"}) == content_hash(base)
    assert content_hash(base | {"posted_at": datetime(2026, 11, 2, tzinfo=UTC)}) != content_hash(
        base
    )
