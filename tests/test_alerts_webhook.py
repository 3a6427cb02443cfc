"""Webhook signatures: HMAC-SHA256 over "<t>.<body>", refused when stale or altered."""

from __future__ import annotations

import hashlib
import hmac
import json

from jobcrawler.alerts import webhook


def test_signature_is_hmac_sha256_of_time_and_body() -> None:
    raw = webhook.body(7, {"event": {"kind": "created"}})
    assert json.loads(raw) == {"delivery_id": 7, "event": {"kind": "created"}}
    header = webhook.signature("k" * 16, 1_700_000_000, raw)
    mac = hmac.new(b"k" * 16, b"1700000000." + raw, hashlib.sha256).hexdigest()
    assert header == f"t=1700000000,v1={mac}"


def test_verify_refuses_altered_stale_and_malformed() -> None:
    raw = webhook.body(1, {"x": 1})
    header = webhook.signature("secret-secret-secret", 1000, raw)
    assert webhook.verify("secret-secret-secret", header, raw, now=1100)
    assert not webhook.verify("secret-secret-secret", header, raw + b" ", now=1100)
    assert not webhook.verify("another-secret-----", header, raw, now=1100)
    assert not webhook.verify("secret-secret-secret", header, raw, now=1000 + 301)
    assert not webhook.verify("secret-secret-secret", "v1=abc", raw, now=1000)
    assert not webhook.verify("secret-secret-secret", "garbage", raw, now=1000)
