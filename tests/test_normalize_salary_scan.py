"""`salary_from_text` skips to its first currency marker: same answers as scanning it all."""

from __future__ import annotations

import random

import pytest

from jobcrawler.normalize import salary
from jobcrawler.normalize.salary import Salary, salary_from_text

PIECES = [
    *"$€£¥₹₩₪₺₱₽",
    *("US$", "CA$", "A$", "NZ$", "zł", "ZŁ", "kr", "USD", "EUR", "CHF", "KRW", "USDA", "NYC"),
    *("120,000", "95.500", "12,00,000", "45.50", "5", "1,000", "99'000", "80 000", "٥٠٠٠٠"),
    *("k", "K", "M", "million", " - ", "–", "—", "~", " to ", " and ", " bis ", "-"),
    *("per year", "/hour", "a month", "annually", "p.a.", "up to", "from", "Hourly pay"),
    *("Salary:", "range", "funding", "team of", "years", "the", "and", "is", "to", "a"),
    *(" ", " ", " ", "\u00a0", "\u202f", "\n", ". ", ", ", "(", ")", ";"),
]


def scan_everything(text: str) -> Salary | None:
    """The plain reading: try `_MONEY` at every place, from the start."""
    text = text[: salary._MAX_SCAN]
    pos = 0
    while match := salary._MONEY.search(text, pos):
        found = salary._salary(match, text)
        if found:
            return found
        pos = match.start() + 1
    return None


@pytest.mark.parametrize("seed", range(4))
def test_same_answer_as_a_full_scan_on_random_prose(seed: int) -> None:
    rng = random.Random(seed)
    found = 0
    for _ in range(1500):
        text = "".join(rng.choice(PIECES) for _ in range(rng.randint(1, 40)))
        expected = scan_everything(text)
        assert salary_from_text(text) == expected, text
        found += expected is not None
    assert found > 100  # the fuzz does reach salaries


@pytest.mark.parametrize(
    "text",
    [
        "We raised funding. 1234567890123 USD per year for this role",  # long run before
        "Pay: ٥٠٠٠٠ - ٦٠٠٠٠ EUR",  # any Unicode digit counts for \\d
        "Range 50 to 60k and more CHF",
        "Hourly Pay Range £22 — £33",
        "no currency named here, 120,000 a year",
        "USDA grants; then 90,000 US$ a year",
    ],
)
def test_same_answer_on_marked_edge_cases(text: str) -> None:
    assert salary_from_text(text) == scan_everything(text)


def test_a_salary_before_a_later_marker_is_still_found() -> None:
    assert salary_from_text("120,000 - 130,000 USD per year, then €5M funding") == Salary(
        min=120000.0, max=130000.0, currency="USD", period="year"
    )
