"""`describe` works a description's text out once; `html_to_text` keeps its old answers."""

from __future__ import annotations

import html
import random
import re

import pytest

from jobcrawler.normalize.description import describe, html_to_text, sanitize_html

SPACES = " \t\n\r\f\v\x1c\x1d\x1e\x1f\x85\xa0\u1680\u2000\u2007\u200b\u2028\u2029\u202f\u3000"


def regex_text(html_text: str) -> str:
    """`html_to_text` as it was: three regexes after unescaping."""
    text = html.unescape(html_text)
    text = re.sub(r"<(script|style)\b[^>]*>.*?</\1\s*>", " ", text, flags=re.I | re.DOTALL)
    text = re.sub(r"</?[a-zA-Z][^>]*>|<!--.*?-->", " ", text, flags=re.DOTALL)
    return re.sub(r"\s+", " ", text).strip()


@pytest.mark.parametrize(
    "raw",
    [
        None,
        "",
        "<p>  </p>",
        "<script>alert(1)</script>",
        "<p>Pay: <b>$120,000</b>\u00a0a\u2028year</p>",
        "&lt;p&gt;escaped &amp; more&lt;/p&gt;",
        "plain text, no tags",
    ],
)
def test_describe_is_sanitize_then_text(raw: str | None) -> None:
    cleaned = sanitize_html(raw)
    assert describe(raw) == (cleaned, html_to_text(cleaned))


def test_html_to_text_matches_the_regex_version() -> None:
    rng = random.Random(7)
    pieces = [*SPACES, "a", "word", "<p>", "</p>", "<br/>", "<!-- c -->", "&amp;", "&lt;b&gt;"]
    pieces += ["<script>x</script>", "<style>y</style>", "<", ">", "é", "5"]
    for _ in range(3000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 30)))
        assert html_to_text(text) == (regex_text(text) if text else ""), repr(text)
