"""Salary amounts, currencies and periods, from structured ATS fields or from prose.

Prose is full of money that is not pay ("$5M in funding", "$1,000 learning budget"), so
`salary_from_text` only accepts amounts with an adjacent currency marker, skips millions and
billions, and rejects lone small amounts that state no period.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Any

from jobcrawler.normalize.isodata import CURRENCIES

SALARY_PERIODS = ("year", "month", "week", "day", "hour")


@dataclass(frozen=True)
class Salary:
    min: float | None
    max: float | None
    currency: str | None  # ISO 4217
    period: str | None  # one of SALARY_PERIODS


_PERIOD_WORDS: dict[str, str] = {
    **dict.fromkeys(("year", "years", "yearly", "annual", "annually", "annum", "pa", "yr"), "year"),
    **dict.fromkeys(("month", "months", "monthly", "mo"), "month"),
    **dict.fromkeys(("week", "weeks", "weekly", "wk"), "week"),
    **dict.fromkeys(("day", "days", "daily"), "day"),
    **dict.fromkeys(("hour", "hours", "hourly", "hr"), "hour"),
}
_WORDS = re.compile(r"[a-z]+")

# "kr" is left out on purpose: it is SEK, NOK, DKK or ISK.
_SYMBOLS: dict[str, str] = {
    "$": "USD",
    "US$": "USD",
    "€": "EUR",
    "£": "GBP",
    "¥": "JPY",  # also CNY; JPY is the commoner reading on job boards
    "₹": "INR",
    "C$": "CAD",
    "CA$": "CAD",
    "A$": "AUD",
    "AU$": "AUD",
    "NZ$": "NZD",
    "HK$": "HKD",
    "S$": "SGD",
    "SG$": "SGD",
    "R$": "BRL",
    "MX$": "MXN",
    "₩": "KRW",
    "₪": "ILS",
    "₺": "TRY",
    "₱": "PHP",
    "ZŁ": "PLN",
    "₽": "RUB",
}
# Codes recognised in prose. A short list: "ALL" (lek) or "PHP" (peso) are common words too.
_TEXT_CODES = (
    "USD|EUR|GBP|CHF|CAD|AUD|NZD|JPY|CNY|INR|SGD|HKD|SEK|NOK|DKK|PLN|CZK|HUF|RON|BRL|MXN|ILS|ZAR"
    "|KRW|TWD|AED"
)
# Currencies whose monthly pay routinely exceeds 10,000 units: no "year" guess for these.
_LOW_VALUE = frozenset(("JPY", "KRW", "INR", "HUF", "CZK", "IDR", "CLP", "COP", "VND", "TWD"))
_INFER_YEAR_FROM = 10_000
_MIN_AMOUNT = {"year": 1_000, "month": 100}  # "$5-7 years" is not a salary
_MAX_SCAN = 20_000

_CUR = "(?:{})".format(
    "|".join(
        [re.escape(symbol) for symbol in sorted(_SYMBOLS, key=len, reverse=True) if symbol != "ZŁ"]
        + ["(?i:zł)", rf"\b(?:{_TEXT_CODES})\b"]
    )
)
# 12,00,000 (Indian grouping) | 120,000 / 120.000 / 120'000 / 120 000 (+ decimals) | 45.50
_NUM = (
    r"(?:\d{1,2}(?:,\d\d)+,\d{3}|\d{1,3}(?:[,.'’\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2})?"
    r"|\d+(?:[.,]\d+)?)(?![.,'’]?\d)"
)
_NOT_MILLIONS = r"(?!\s?(?i:mm|mn|m|bn|b|million|billion|mio|mrd)\b)"


def _amount(name: str) -> str:
    return rf"(?P<{name}>{_NUM})(?:\s?(?P<k{name}>[kK])\b)?{_NOT_MILLIONS}"


_MONEY = re.compile(
    # The lookahead is a cheap first-character filter: most characters of prose fail it.
    r"(?=[\d$€£¥₹₩₪₺₱₽A-Zz])(?<![\d.,'’])"
    rf"(?:(?P<c1>{_CUR})\s?)?{_amount('a')}(?:\s?(?P<c2>{_CUR}))?"
    rf"(?:\s*(?:-|–|—|~|to|and|bis)\s*(?:(?P<c3>{_CUR})\s?)?{_amount('b')})?"
    rf"(?:\s?(?P<c4>{_CUR}))?"
)

# Cheap finders for "is there a currency marker, and where at the earliest": every symbol
# ends with one of these characters, at most `_SYMBOL_BACK` after its start; every code is
# three capitals. (Single character classes: an alternation would scan as slowly as `_MONEY`.)
_SYMBOL_END = re.compile("[{}]".format(re.escape("".join({s[-1] for s in [*_SYMBOLS, "zł"]}))))
_SYMBOL_BACK = max(len(symbol) for symbol in _SYMBOLS) - 1
_CODE_LIKE = re.compile("[A-Z][A-Z][A-Z]")
# Besides digits (any `\d`) and spaces (any `\s`), the characters `_MONEY` can match before
# its first currency marker: separators, "k" and the range words (-, to, and, bis).
_LEAD = frozenset(",.'’\u00a0\u202fkK-–—~toandbis")
_PERIOD_AFTER = re.compile(
    r"\s*(?:(?:gross|net|base)\s+)?(?:/\s*|per\s+|an?\s+|each\s+)?"
    r"(?:year|yr|annum|month|mo|week|wk|day|hour|hr)s?\b"
    r"|\s*\(?(?:yearly|annually|annual|monthly|weekly|daily|hourly|p\.\s?a\.?)",
    re.IGNORECASE,
)
# The words just before an amount: "Hourly Pay Range £22 — £33", "up to $200k".
_BEFORE = 40
_PERIOD_BEFORE = re.compile(
    r"\b(?:yearly|annual|annually|monthly|weekly|daily|hourly)\b[^.;\n]*$", re.IGNORECASE
)
_UP_TO = re.compile(r"\b(?:up\s+to|upto|max(?:imum)?(?:\s+of)?)\W*$", re.IGNORECASE)
_FROM = re.compile(r"\b(?:from|starting\s+(?:at|from)|at\s+least|min(?:imum)?(?:\s+of)?)\W*$", re.I)
_NUMBER_TEXT = re.compile(
    r"\s*(?:[^\d\s-]{1,4}\s?)?([\d.,'’\s]*\d)\s*([kK])?\s*(?:[A-Za-z]{3})?\s*"
)
_GROUPING = re.compile(r"[\s'’]")


@lru_cache(maxsize=256)
def salary_period(value: str | None) -> str | None:
    """Canonical period from "1 YEAR", "per-hour-wage", "monthly", "p.a." and the like."""
    if not isinstance(value, str):
        return None
    words = _WORDS.findall(value.casefold().replace("p.a.", "pa"))
    return next((_PERIOD_WORDS[word] for word in words if word in _PERIOD_WORDS), None)


@lru_cache(maxsize=256)
def currency_code(value: str | None) -> str | None:
    """ISO 4217 code from a code or symbol; None when unknown or ambiguous ("kr")."""
    if not isinstance(value, str):
        return None
    key = value.strip().upper()
    if key in _SYMBOLS:
        return _SYMBOLS[key]
    if len(key) == 3 and key.isalpha() and key in CURRENCIES:
        return key
    return None


def to_amount(value: Any) -> float | None:
    """A float from a number or a numeric string ("99,000", "120'000", "1.5k", "$5,250")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float | Decimal):
        amount = float(value)
        return amount if math.isfinite(amount) else None
    if not isinstance(value, str):
        return None
    match = _NUMBER_TEXT.fullmatch(value)
    if not match:
        return None
    amount = _parse_number(match.group(1))
    if amount is not None and match.group(2):
        amount *= 1000
    return amount


def _parse_number(text: str) -> float | None:
    """Read thousands and decimal separators the way a person would.

    With both "," and "." the later one is the decimal point; a lone separator followed by
    exactly three digits groups thousands ("3.750" is 3750, "0.050" is 0.05); repeated
    separators always group.
    """
    text = _GROUPING.sub("", text)
    seps = [sep for sep in ",." if sep in text]
    if len(seps) == 2:
        point = max(text.rfind(","), text.rfind("."))
        text = text[:point].replace(",", "").replace(".", "") + "." + text[point + 1 :]
    elif seps:
        sep = seps[0]
        head, _, tail = text.rpartition(sep)
        grouping = text.count(sep) > 1 or (len(tail) == 3 and head.strip("0"))
        text = text.replace(sep, "" if grouping else ".")
    try:
        return float(text)
    except ValueError:
        return None


def salary_from_text(text: str | None) -> Salary | None:
    """The first salary stated in prose, or None.

    With no period stated and an amount of at least 10,000, the period is taken to be "year"
    (except for currencies whose monthly pay is that large, such as JPY or INR).
    """
    if not text:
        return None
    text = text[:_MAX_SCAN]
    pos = _scan_start(text)
    while pos is not None and (match := _MONEY.search(text, pos)):
        salary = _salary(match, text)
        if salary:
            return salary
        pos = match.start() + 1
    return None


def _scan_start(text: str) -> int | None:
    """Where the first salary can start; None when the text names no currency at all.

    A salary needs a currency marker, and before its first marker a match holds only
    amounts, range words and spaces (`_leads`). So no match starting before the run of such
    characters that ends at the text's first marker can be a salary, and most of a long
    description is never scanned by the costly `_MONEY` pattern. (Starting the walk back
    from a point at or before the first marker is as good: that run lies on the way.)
    """
    symbol, code = _SYMBOL_END.search(text), _CODE_LIKE.search(text)
    found = [
        *([symbol.start() - _SYMBOL_BACK] if symbol else []),
        *([code.start()] if code else []),
    ]
    if not found:
        return None
    start = max(0, min(found))
    while start and _leads(text[start - 1]):
        start -= 1
    return start


def _leads(char: str) -> bool:
    return char in _LEAD or char.isdecimal() or char.isspace()


def _salary(match: re.Match[str], text: str) -> Salary | None:
    markers = [match.group(name) for name in ("c1", "c2", "c3", "c4") if match.group(name)]
    if not markers:
        return None
    low = _match_amount(match, "a")
    high = _match_amount(match, "b")
    end = match.end()
    if high is not None and low is not None:
        if match.group("ka") and not match.group("kb") and high < 1000:
            high *= 1000  # a "k" on one side counts for both: "$50-60k", "€50k-60"
        elif match.group("kb") and not match.group("ka") and low < 1000:
            low *= 1000
        if high < low:  # "$120,000 and 5 weeks of vacation"
            high, end = None, max(match.end("a"), match.end("ka"), match.end("c2"))
    if not low:
        return None
    # An explicit code beats a symbol: "$100,000 CAD" is CAD.
    currency = currency_code(next((m for m in markers if m.isalpha() and len(m) == 3), markers[0]))
    before = text[max(0, match.start() - _BEFORE) : match.start()]
    period_match = _PERIOD_AFTER.match(text, end) or _PERIOD_BEFORE.search(before)
    period = salary_period(period_match.group(0)) if period_match else None
    if period is None and high is None and low < _INFER_YEAR_FROM:
        return None  # "$5,000 signing bonus"
    top = high if high is not None else low
    if top < _MIN_AMOUNT.get(period or "", 0):
        return None
    if period is None and low >= _INFER_YEAR_FROM and currency not in _LOW_VALUE:
        period = "year"
    if high is None and _UP_TO.search(before):
        return Salary(min=None, max=low, currency=currency, period=period)
    if high is None and _FROM.search(before):
        return Salary(min=low, max=None, currency=currency, period=period)
    return Salary(min=low, max=top, currency=currency, period=period)


def _match_amount(match: re.Match[str], name: str) -> float | None:
    number = match.group(name)
    if number is None:
        return None
    amount = _parse_number(number)
    if amount is not None and match.group("k" + name):
        amount *= 1000
    return amount
