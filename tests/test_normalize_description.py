import pytest

from jobcrawler.normalize.description import (
    html_to_markdown,
    html_to_text,
    sanitize_html,
    unescape_html,
)


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Hello <strong>world</strong></p>", "<p>Hello <strong>world</strong></p>"),
        ('<p style="color:red" onclick="evil()">Hi</p>', "<p>Hi</p>"),
        ("<p>Hi<script>alert(1)</script><style>p{}</style></p>", "<p>Hi</p>"),
        ('<div class="x"><span>a</span> b</div>', "<div>a b</div>"),
        (
            '<a href="https://example.com" target="_blank">x</a>',
            '<a href="https://example.com" rel="noopener noreferrer">x</a>',
        ),
        ('<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer">x</a>'),
        ('<img src="x" onerror="alert(1)">text', "text"),
        ("<h2>Role</h2><ul><li>One</li></ul>", "<h2>Role</h2><ul><li>One</li></ul>"),
        ("<table><tr><td>c</td></tr></table>", "<table><tbody><tr><td>c</td></tr></tbody></table>"),
        ("  <p>x</p>\n", "<p>x</p>"),
        ("<p> </p><br>", None),
        ("<script>alert(1)</script>", None),
        ("", None),
        (None, None),
    ],
)
def test_sanitize_html(html, expected):
    assert sanitize_html(html) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        (
            "<h2>About</h2><p>We <strong>build</strong> things.</p>",
            "## About\n\nWe **build** things.",
        ),
        ("<ul><li>One</li><li>Two</li></ul>", "- One\n- Two"),
        ('<p><a href="https://example.com">site</a></p>', "[site](https://example.com)"),
        ("<p>Hello <em>you</em></p>\n\n", "Hello *you*"),
        ("   ", None),
        ("", None),
        (None, None),
    ],
)
def test_html_to_markdown(html, expected):
    assert html_to_markdown(html) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("&lt;p&gt;Hi &amp;amp; bye&lt;/p&gt;", "<p>Hi &amp; bye</p>"),
        ("plain", "plain"),
        (None, None),
    ],
)
def test_unescape_html(text, expected):
    assert unescape_html(text) == expected


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("<p>Salary:&nbsp;<b>$100,000</b></p>\n<p>Remote</p>", "Salary: $100,000 Remote"),
        ("&lt;p&gt;Escaped &amp;amp; fine&lt;/p&gt;", "Escaped &amp; fine"),
        ("<p>a</p><script>var x = '$1';</script><style>.c{}</style><p>b</p>", "a b"),
        ("<!-- note -->a < b and c > d", "a < b and c > d"),
        ("", ""),
        (None, ""),
    ],
)
def test_html_to_text(html, expected):
    assert html_to_text(html) == expected
