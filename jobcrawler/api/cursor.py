"""Opaque cursors: a page's position as url-safe base64 of a JSON list.

Clients pass them back unchanged; their content (sort key and id) may change between
versions. A cursor that does not decode to the expected shape is the client's error.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import datetime
from typing import Any

MAX_ID = 2**63 - 1


class BadCursor(ValueError):
    """The cursor was not made by this server for this listing."""


def encode(*values: Any) -> str:
    plain = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps(plain, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(cursor: str, *kinds: type) -> tuple[Any, ...]:
    """The values of `cursor`, checked against `kinds` (int, str or datetime)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (binascii.Error, ValueError, UnicodeDecodeError):
        raise BadCursor(f"invalid cursor {cursor[:40]!r}") from None
    if not isinstance(values, list) or len(values) != len(kinds):
        raise BadCursor(f"invalid cursor {cursor[:40]!r}")
    return tuple(_value(value, kind, cursor) for value, kind in zip(values, kinds, strict=True))


def _value(value: Any, kind: type, cursor: str) -> Any:
    if kind is datetime and isinstance(value, str):
        try:
            return datetime.fromisoformat(value)
        except ValueError:
            pass
    elif (kind is int and type(value) is int and 0 <= value <= MAX_ID) or (
        kind is str and isinstance(value, str)
    ):
        return value
    raise BadCursor(f"invalid cursor {cursor[:40]!r}")
