"""Work mode (onsite / hybrid / remote) from structured ATS values or location/title text."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

REMOTE_TYPES = ("onsite", "hybrid", "remote")

# Structured values, keyed with case, spaces, hyphens and underscores removed.
_VALUES: dict[str, str | None] = {
    **dict.fromkeys(
        ("remote", "fully", "fullyremote", "fullremote", "remoteonly", "telecommute", "wfh"),
        "remote",
    ),
    # Teamtailor's remoteStatus "temporary" means remote for now, office later.
    **dict.fromkeys(("hybrid", "temporary", "partiallyremote", "partlyremote"), "hybrid"),
    **dict.fromkeys(
        ("onsite", "office", "officebased", "inoffice", "none", "noremote", "inperson"),
        "onsite",
    ),
    **dict.fromkeys(("unspecified", "unknown", "notspecified", ""), None),
}
_KEY = re.compile(r"[\s_-]+")

# "Remote Sensing Engineer", "Hybrid Cloud Architect": the word names a thing, not a mode.
_COMPOUND = (
    r"(?!\s+(?:sensing|sensors?|control\w*|access|monitoring|diagnostics|surveillance|operat\w*"
    r"|pilot\w*|desktop|patient|cloud|apps?|applications?|mobile|vehicles?|cars?|energy"
    r"|infrastructure|integration|network\w*|power\w*)\b)"
)
_BEFORE = r"(?:^|[-–—(\[,/|:]\s*)"
_AFTER = r"(?=\s*(?:$|[-–—)\],/|:]))"


def _qualifier(word: str) -> str:
    """`word` as a standalone qualifier: at either end or next to a separator."""
    return rf"(?:{_BEFORE}{word}\b{_COMPOUND}|\b{word}\b{_COMPOUND}{_AFTER})"


_HYBRID = re.compile(_qualifier("hybrid"), re.IGNORECASE)
_REMOTE = re.compile(
    _qualifier("remote")
    + r"|\bfully[\s-]remote\b|\bwork(?:ing)?\s+from\s+home\b|\bwfh\b|\bhome[\s-]?office\b"
    r"|\btelecommut\w*|\btelework\w*|\banywhere\b",
    re.IGNORECASE,
)
_ONSITE = re.compile(r"\bon[\s-]?site\b|\bin[\s-]office\b|\boffice[\s-]based\b", re.IGNORECASE)


def remote_type(value: Any) -> str | None:
    """Map a structured ATS work-mode value; free text falls back to `infer_remote_type`."""
    if isinstance(value, bool):
        return "remote" if value else None  # False only says "not remote", not "onsite"
    if not isinstance(value, str):
        return None
    key = _KEY.sub("", value).casefold()
    if key in _VALUES:
        return _VALUES[key]
    return infer_remote_type(value)


def infer_remote_type(*texts: str | None) -> str | None:
    """Infer the work mode from location/title text; hybrid > remote > onsite."""
    found = {_infer_one(text) for text in texts if text}
    return next((mode for mode in ("hybrid", "remote", "onsite") if mode in found), None)


@lru_cache(maxsize=8192)
def _infer_one(text: str) -> str | None:
    text = text.strip()
    if _HYBRID.search(text):
        return "hybrid"
    if _REMOTE.search(text):
        return "remote"
    if _ONSITE.search(text):
        return "onsite"
    return None
