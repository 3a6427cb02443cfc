"""The shipped ISO tables are what pycountry says, and normalizing never loads pycountry."""

from __future__ import annotations

import subprocess
import sys

import pytest

from jobcrawler.normalize import isodata
from jobcrawler.normalize.isodata_build import render, tables
from jobcrawler.normalize.location import country_code, parse_location
from jobcrawler.normalize.salary import currency_code
from tests.helpers.crawling import ROOT


def test_shipped_tables_match_pycountry() -> None:
    """Fails after a pycountry upgrade: run `python -m jobcrawler.normalize.isodata_build`."""
    fresh = tables()
    for name, table in fresh.items():
        assert getattr(isodata, name) == table, name
    assert (ROOT / "jobcrawler/normalize/isodata.py").read_text(encoding="utf-8") == render(fresh)


def test_lookups_answer_as_pycountry_did() -> None:
    assert country_code("Germany") == country_code("deu") == country_code("DE") == "DE"
    assert country_code("Türkiye") == "TR"
    assert country_code("276") is None  # numeric codes are not countries in prose
    assert country_code("Atlantis") is None
    assert parse_location("Sydney, NSW") == parse_location("Sydney, New South Wales")
    assert parse_location("Perth, WA").country == "AU"  # WA is also Washington
    assert parse_location("Seattle, WA").country == "US"
    assert currency_code("chf") == "CHF" and currency_code("XYZ") is None


@pytest.mark.e2e
def test_normalizing_does_not_import_pycountry() -> None:
    code = (
        "import sys\n"
        "from itemadapter import ItemAdapter\n"
        "from jobcrawler.pipelines.normalize import normalize\n"
        "posting = {'title': 'Dev', 'location': 'Austin, TX', 'country': 'Germany',\n"
        "           'salary_currency': 'usd', 'salary_min': 1, 'description_html': '<p>x</p>'}\n"
        "normalize(ItemAdapter(posting))\n"
        "assert posting['region'] == 'TX' and posting['country'] == 'DE', posting\n"
        "print('pycountry' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
