"""Webhook deliveries: a JSON POST per event, signed so the receiver knows it is ours.

Headers:
- `X-Jobcrawler-Delivery`: the delivery id, the same on every retry: the receiver's
  idempotency key (an event may come twice only if a worker died mid-send);
- `X-Jobcrawler-Signature: t=<unix time>,v1=<hex>`, where the hex is
  HMAC-SHA256(secret, f"{t}.{body}") over the raw body bytes. Signing the time too lets
  a receiver refuse replays: check `t` is recent, then compare the HMAC in constant time.

Any 2xx answer is delivered; anything else (or no answer) is retried.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import httpx

SIGNATURE = "X-Jobcrawler-Signature"
DELIVERY = "X-Jobcrawler-Delivery"
#: Receivers should refuse signatures older than this (what `verify` checks).
TOLERANCE_SECONDS = 300


def body(delivery_id: int, payload: dict[str, Any]) -> bytes:
    return json.dumps({"delivery_id": delivery_id, **payload}, separators=(",", ":")).encode()


def signature(secret: str, timestamp: int, raw: bytes) -> str:
    """The `X-Jobcrawler-Signature` value for `raw` sent at `timestamp`."""
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + raw, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, raw: bytes, now: float | None = None) -> bool:
    """What a Python receiver does: the header's HMAC matches and `t` is recent."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        timestamp = int(fields["t"])
    except (KeyError, ValueError):
        return False
    expected = signature(secret, timestamp, raw).split("v1=", 1)[1]
    fresh = abs((now if now is not None else time.time()) - timestamp) <= TOLERANCE_SECONDS
    return fresh and hmac.compare_digest(expected, fields.get("v1", ""))


def send(
    client: httpx.Client, url: str, secret: str, delivery_id: int, payload: dict[str, Any]
) -> None:
    """POST the event; raise DeliveryFailed unless the receiver answers 2xx."""
    raw = body(delivery_id, payload)
    headers = {
        "Content-Type": "application/json",
        DELIVERY: str(delivery_id),
        SIGNATURE: signature(secret, int(time.time()), raw),
    }
    post(client, url, raw, headers)


class DeliveryFailed(Exception):
    """The receiver did not take the delivery; the message says why (kept as last_error)."""


def post(client: httpx.Client, url: str, raw: bytes, headers: dict[str, str]) -> None:
    """POST `raw`; DeliveryFailed on a transport error or a non-2xx answer."""
    try:
        response = client.post(url, content=raw, headers=headers)
    except httpx.HTTPError as exc:
        raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None
    if not response.is_success:
        raise DeliveryFailed(f"HTTP {response.status_code}: {response.text[:200]}")
