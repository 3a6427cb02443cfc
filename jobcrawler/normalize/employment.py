"""Employment type from the many spellings ATS platforms use."""

from __future__ import annotations

import re
from functools import lru_cache

EMPLOYMENT_TYPES = ("full_time", "part_time", "contract", "internship", "temporary")

_PARENTHESES = re.compile(r"\([^)]*\)")
_NOISE = re.compile(r"[^a-z]+")

# Checked in order on the squashed key, so "Part-time Contract" is part_time and
# "fulltime_fixed_term" is temporary: a fixed term ends, which is what "temporary" means here.
_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern), kind)
    for pattern, kind in (
        (r"intern(?!al|at)|trainee|apprentice", "internship"),
        (r"fixedterm|(?<!con)temp|seasonal|casual", "temporary"),
        (r"parttime", "part_time"),
        (r"contract|freelance", "contract"),
        (r"fulltime|permanent|regular", "full_time"),
    )
)


@lru_cache(maxsize=1024)
def employment_type(value: str | None) -> str | None:
    """Canonical employment type; None for "Other", blanks and unknown values."""
    if not isinstance(value, str):
        return None
    key = _NOISE.sub("", _PARENTHESES.sub("", value).casefold())
    return next((kind for pattern, kind in _RULES if pattern.search(key)), None)
