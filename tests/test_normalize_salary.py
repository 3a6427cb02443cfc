from decimal import Decimal

import pytest

from jobcrawler.normalize.salary import (
    SALARY_PERIODS,
    Salary,
    currency_code,
    salary_from_text,
    salary_period,
    to_amount,
)


def test_salary_periods():
    assert SALARY_PERIODS == ("year", "month", "week", "day", "hour")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1 YEAR", "year"),
        ("YEAR", "year"),
        ("year", "year"),
        ("yearly", "year"),
        ("annual", "year"),
        ("annually", "year"),
        ("per annum", "year"),
        ("p.a.", "year"),
        ("per-year-salary", "year"),
        ("per-month-salary", "month"),
        ("1 MONTH", "month"),
        ("monthly", "month"),
        ("week", "week"),
        ("weekly", "week"),
        ("day", "day"),
        ("daily", "day"),
        ("per-hour-wage", "hour"),
        ("HOUR", "hour"),
        ("hourly", "hour"),
        ("1 HOUR", "hour"),
        ("biweekly", None),
        ("", None),
        (None, None),
    ],
)
def test_salary_period(value, expected):
    assert salary_period(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("usd", "USD"),
        ("EUR", "EUR"),
        (" gbp ", "GBP"),
        ("CHF", "CHF"),
        ("$", "USD"),
        ("€", "EUR"),
        ("£", "GBP"),
        ("¥", "JPY"),
        ("₹", "INR"),
        ("C$", "CAD"),
        ("CA$", "CAD"),
        ("A$", "AUD"),
        ("AU$", "AUD"),
        ("kr", None),
        ("XYZ", None),
        ("dollars", None),
        ("", None),
        (None, None),
    ],
)
def test_currency_code(value, expected):
    assert currency_code(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (5250, 5250.0),
        (99000.5, 99000.5),
        (Decimal("120000"), 120000.0),
        ("5250", 5250.0),
        ("5250.00", 5250.0),
        ("99,000", 99000.0),
        ("120'000", 120000.0),
        ("3.750", 3750.0),
        ("1,234.56", 1234.56),
        ("1.234,56", 1234.56),
        ("45,50", 45.5),
        ("0.05", 0.05),
        ("1.5k", 1500.0),
        ("$99,000", 99000.0),
        ("99000 USD", 99000.0),
        ("12,00,000", 1200000.0),
        ("", None),
        ("abc", None),
        (None, None),
        (True, None),
        (float("nan"), None),
    ],
)
def test_to_amount(value, expected):
    assert to_amount(value) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$120,000 - $150,000 per year", (120000, 150000, "USD", "year")),
        ("Hourly Pay Range £22 — £33 GBP", (22, 33, "GBP", "hour")),
        ("Monthly salary: €3,000 - €4,000", (3000, 4000, "EUR", "month")),
        ("Pay: up to $200k", (None, 200000, "USD", "year")),
        ("Salary from €60,000", (60000, None, "EUR", "year")),
        ("We pay yearly bonuses. Base is $100,000", (100000, 100000, "USD", "year")),
        ("£40,000 to £50,000 a year", (40000, 50000, "GBP", "year")),
        ("$45/hour", (45, 45, "USD", "hour")),
        ("$45 per hour", (45, 45, "USD", "hour")),
        ("Pay: $25.50 an hour", (25.5, 25.5, "USD", "hour")),
        ("€3.750 – €5.250 per month", (3750, 5250, "EUR", "month")),
        ("$0.05 – $0.06 / hour", (0.05, 0.06, "USD", "hour")),
        ("$2,500/month", (2500, 2500, "USD", "month")),
        ("£400 per day", (400, 400, "GBP", "day")),
        ("€60,000 gross per year", (60000, 60000, "EUR", "year")),
        ("salary 45000 EUR p.a.", (45000, 45000, "EUR", "year")),
        ("₹12,00,000 per annum", (1200000, 1200000, "INR", "year")),
        # no period stated: amounts of 10,000 or more are taken to be yearly
        ("€50k–60k", (50000, 60000, "EUR", "year")),
        ("USD 100K-120K", (100000, 120000, "USD", "year")),
        ("$99K – $115K", (99000, 115000, "USD", "year")),
        ("$50-60k", (50000, 60000, "USD", "year")),
        ("$120k+", (120000, 120000, "USD", "year")),
        (
            "The base salary range for this role is $180,000—$220,000 USD",
            (180000, 220000, "USD", "year"),
        ),
        ("CHF 120'000 - 140'000", (120000, 140000, "CHF", "year")),
        ("between $100,000 and $120,000", (100000, 120000, "USD", "year")),
        ("100,000 - 120,000 USD", (100000, 120000, "USD", "year")),
        ("50.000 € - 60.000 € brutto", (50000, 60000, "EUR", "year")),
        ("C$90,000 – C$110,000", (90000, 110000, "CAD", "year")),
        ("$100,000 CAD", (100000, 100000, "CAD", "year")),
        ("$120,000 and 5 weeks of vacation", (120000, 120000, "USD", "year")),
        ("¥5,000,000", (5000000, 5000000, "JPY", None)),
        ("€3.750 – €5.250", (3750, 5250, "EUR", None)),
        # the first real salary after false leads
        ("Founded in 2026, we raised $5M. Pay: $130,000 yearly", (130000, 130000, "USD", "year")),
        ("Get a $5,000 signing bonus on top of €70,000", (70000, 70000, "EUR", "year")),
    ],
)
def test_salary_from_text(text, expected):
    assert salary_from_text(text) == Salary(*expected)


@pytest.mark.parametrize(
    "text",
    [
        "Founded in 2026",
        "401(k) matching up to 4%",
        "We raised $5M in funding",
        "The company raised $100 million last year",
        "a $1.5 billion company",
        "Call +1 (555) 123-4567",
        "10+ years of experience",
        "$5,000 signing bonus",
        "$5-7 years of experience",
        "PHP 5-7 years",
        "Salary: 120,000 - 150,000",
        "4.5 stars on Glassdoor",
        "",
        None,
    ],
)
def test_salary_from_text_finds_nothing(text):
    assert salary_from_text(text) is None


def test_salary_from_text_scans_only_the_start():
    assert salary_from_text("x " * 20_000 + "$120,000 - $150,000 per year") is None
