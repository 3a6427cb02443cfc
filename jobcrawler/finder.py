"""Finding the board: which ATS and board a careers URL uses, written as a catalog entry.

Adding a company should need only its careers URL. `recognize()` reads the URL forms of the
known ATSs without any network; `find_in_page()` reads a careers page for the links, iframes,
scripts and embed calls of those ATSs, falling back to schema.org JobPosting JSON-LD;
`find_board()` does both, fetching the page when the URL itself says nothing.
Entry keys are the ones the platform spiders read: `board` for most, `careers_url` for Workday
and JSON-LD pages (with a `job_url_pattern` for the job pages), `base_url` for EU/.com
variants, `token` for Comeet. `find_board()` returns only entries the catalog loader accepts.
"""

from __future__ import annotations

import html as html_lib
import json
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from itertools import pairwise
from typing import Any
from urllib.parse import urljoin, urlsplit

import yaml

from jobcrawler.catalog import entry_errors
from jobcrawler.finder_fetch import FETCH_ERRORS, describe_error, fetch_page
from jobcrawler.platforms import PLATFORMS
from jobcrawler.platforms.base import Platform, host_label, url_parts

#: The ATSs the finder knows (the careers-site readers have no URLs of their own).
_ATSS: tuple[Platform, ...] = tuple(p for p in PLATFORMS.values() if p.recognize is not None)
PLATFORM_NAMES = {p.name: p.label for p in _ATSS}
NOT_FOUND = (
    f"no {', '.join(p.label for p in _ATSS[:-1])} or {_ATSS[-1].label} link, widget"
    " or JobPosting JSON-LD"
)
ENTRY_KEYS = ("name", "ats", "board", "token", "careers_url", "base_url")


# --- recognizing URLs ------------------------------------------------------------------------


def recognize(url: str) -> dict[str, str] | None:
    """The entry fields for a URL of a known ATS board, API or posting; None otherwise."""
    parts = url_parts(url)
    if parts is None:
        return None
    for platform in _ATSS:
        assert platform.recognize is not None
        entry = platform.recognize(*parts)
        if entry is not None:
            return entry
    return None


# --- searching pages -------------------------------------------------------------------------

_DOMAINS = "|".join(re.escape(d) for p in _ATSS for d in p.domains)
_ATS_URL = re.compile(
    rf"(?:https?:)?//(?:[a-z0-9-]+\.)*(?:{_DOMAINS})"
    r"(?![\w.-])(?::\d+)?(?:[/?#][^\s\"'<>\\`()]*)?",
    re.IGNORECASE,
)
_JOB_WORDS = {"job", "jobs", "position", "positions", "opening", "openings", "vacancy", "vacancies"}
_CAREER_WORDS = {"career", "careers", *_JOB_WORDS}


@dataclass
class _Mention:
    entry: dict[str, str]
    count: int
    first: int


@dataclass
class PageScan:
    """What one page showed: the chosen entry, why, and the other boards it mentioned."""

    entry: dict[str, str] | None
    how: str = ""
    notes: list[str] = field(default_factory=list)


def find_in_page(url: str, html: str) -> dict[str, Any] | None:
    """The entry for the board a careers page embeds or links to, else JSON-LD, else None.

    When the page mentions other boards too, they are listed under the key `notes`.
    """
    scan = scan_page(url, html)
    if scan.entry is None:
        return None
    return {**scan.entry, "notes": scan.notes} if scan.notes else dict(scan.entry)


def scan_page(url: str, html: str) -> PageScan:
    """Like `find_in_page`, with the explanation and notes kept apart from the entry."""
    mentions = _ats_mentions(html)
    if mentions:
        return _choose(mentions)
    parser = _PageParser()
    parser.feed(html)
    parser.close()
    postings = sum(_count_postings(block) for block in parser.jsonld)
    links = dict(found for href in parser.links if (found := _posting_link(url, href)))
    if len(links) >= 2:  # one link could be a nav item; a list of postings has several
        how = f"{_plural(len(links), 'link')} to pages that look like job postings"
        if postings:
            how = f"{_plural(postings, 'schema.org JobPosting')} in JSON-LD and {how}"
        pattern = _job_url_pattern(links.values())
        return PageScan({"ats": "jsonld", "careers_url": url, "job_url_pattern": pattern}, how)
    if postings:  # the jsonld spider reads the job pages a listing links to, not the listing
        return PageScan(
            None,
            f"{_plural(postings, 'schema.org JobPosting')} in JSON-LD, but on the page itself "
            "and no links to job pages: a jsonld company needs the listing page that links "
            "to its job pages",
        )
    return PageScan(None)


def _ats_mentions(html: str) -> dict[tuple, _Mention]:
    """Every known-ATS URL or embed call in the page, counted per board."""
    text = html_lib.unescape(html.replace("\\/", "/"))
    found: list[dict[str, str]] = []
    for match in _ATS_URL.finditer(text):
        entry = recognize(match[0].rstrip(".,;:!?"))
        if entry:
            found.append(entry)
    for platform in _ATSS:
        found += platform.embeds(text) if platform.embeds else []
    mentions: dict[tuple, _Mention] = {}
    for index, entry in enumerate(found):
        page_keys = PLATFORMS[entry["ats"]].page_keys
        key = tuple(sorted((k, v) for k, v in entry.items() if k not in page_keys))
        if key in mentions:
            mentions[key].count += 1
            mentions[key].entry.update(entry)  # keeps a page key (Comeet token) found anywhere
        else:
            mentions[key] = _Mention(dict(entry), 1, index)
    return mentions


def _choose(mentions: dict[tuple, _Mention]) -> PageScan:
    """The most mentioned platform, its most mentioned board; the rest become notes."""
    totals: dict[str, list[int]] = {}
    for mention in mentions.values():
        total = totals.setdefault(mention.entry["ats"], [0, mention.first])
        total[0] += mention.count
    ats = max(totals, key=lambda a: (totals[a][0], -totals[a][1]))
    ranked = sorted(mentions.values(), key=lambda m: (m.entry["ats"] != ats, -m.count, m.first))
    best, others = ranked[0], ranked[1:]
    notes = [f"also found {describe(m.entry)} ({_plural(m.count, 'mention')})" for m in others]
    return PageScan(best.entry, _plural(best.count, "mention"), notes)


class _PageParser(HTMLParser):
    """Collects `<a href>` values and the text of `application/ld+json` scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.jsonld: list[str] = []
        self._block: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"] or "")
        elif (
            tag == "script" and (values.get("type") or "").strip().lower() == "application/ld+json"
        ):
            self._block = []

    def handle_data(self, data: str) -> None:
        if self._block is not None:
            self._block.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._block is not None:
            self.jsonld.append("".join(self._block))
            self._block = None


def _count_postings(block: str) -> int:
    """JobPosting objects in one JSON-LD block (in `@graph`, lists, with `@type` lists)."""
    try:
        data = json.loads(block.strip(), strict=False)
    except ValueError:
        return 0  # malformed blocks are common; they must not hide the valid ones

    def walk(node: Any) -> int:
        if isinstance(node, list):
            return sum(walk(item) for item in node)
        if not isinstance(node, dict):
            return 0
        types = node.get("@type")
        types = types if isinstance(types, list) else [types]
        own = any(isinstance(t, str) and re.split(r"[/:]", t)[-1] == "JobPosting" for t in types)
        return int(own) + sum(walk(value) for value in node.values())

    return walk(data)


def _posting_link(page_url: str, href: str) -> tuple[str, str] | None:
    """A same-site link that looks like one job posting, else None.

    Returns its absolute URL and its prefix up to the word that says so
    (`https://acme.com/jobs/` for `https://acme.com/jobs/123456`).
    """
    link = urljoin(page_url, href.strip()).split("#")[0]
    parts, page = url_parts(link), url_parts(page_url)
    if parts is None or page is None or link.rstrip("/") == page_url.split("#")[0].rstrip("/"):
        return None
    if parts[0].split(".")[-2:] != page[0].split(".")[-2:]:
        return None
    segments = [s.lower() for s in parts[1]]
    for n, (word, following) in enumerate(pairwise(segments)):
        numbered = word in _CAREER_WORDS and re.search(r"\d{3,}", following)
        titled = word in _JOB_WORDS and following.count("-") >= 2
        if numbered or titled:
            split = urlsplit(link)
            path = [s for s in split.path.split("/") if s][: n + 1]
            return link, f"{split.scheme}://{split.netloc}/{'/'.join(path)}/"
    return None


def _job_url_pattern(prefixes: Iterable[str]) -> str:
    """A regex for URLs right under these prefixes: the job pages, not other links."""
    options = sorted(set(prefixes))
    escaped = "|".join(re.escape(prefix) for prefix in options)
    return f"^{escaped if len(options) == 1 else f'(?:{escaped})'}[^/?#]"


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


# --- finding and writing ---------------------------------------------------------------------


@dataclass
class Finding:
    """The result of `find_board`: the entry (None if nothing was found) and what happened."""

    entry: dict[str, str] | None
    message: str
    notes: list[str] = field(default_factory=list)


def describe(entry: dict[str, str]) -> str:
    """`Greenhouse board 'acme'`, `Workday careers site https://…`, for messages."""
    if entry["ats"] == "jsonld":
        return f"schema.org JobPosting JSON-LD at {entry['careers_url']}"
    name = PLATFORM_NAMES.get(entry["ats"], entry["ats"])
    if "careers_url" in entry:
        return f"{name} careers site {entry['careers_url']}"
    return f"{name} board {entry['board']!r}"


def find_board(url: str, *, fetch: Callable[..., tuple[str, str]] = fetch_page) -> Finding:
    """Recognize the URL, else fetch the page (following redirects) and search it.

    The entry is checked by the catalog's own loader, so what `find` prints or writes
    is what `companies validate` accepts; an entry it rejects is no finding.
    """
    finding = _find(url, fetch)
    problems = catalog_problems(entry_yaml(finding.entry)) if finding.entry else []
    if problems:
        message = f"{finding.message}, but the catalog rejects the entry: {problems[0]}"
        return Finding(None, message, finding.notes)
    return finding


def catalog_problems(text: str) -> list[str]:
    """What the catalog loader (as `companies validate` runs it) says about a YAML entry."""
    errors = entry_errors(text)
    return [f"key {e.key!r}: {e.message}" if e.key else e.message for e in errors]


def _find(url: str, fetch: Callable[..., tuple[str, str]]) -> Finding:
    url = url.strip()
    if not re.match(r"^[a-z][a-z0-9+.-]*://", url, re.IGNORECASE):
        url = "https://" + url.lstrip("/")
    entry = recognize(url)
    if entry and not _page_keys_missing(entry):
        return Finding(entry, f"found {describe(entry)} in the URL")
    try:
        final_url, page = fetch(url, timeout=15)
    except FETCH_ERRORS as error:
        problem = f"could not fetch {url}: {describe_error(error)}"
        return _incomplete(entry, "in the URL", problem) if entry else Finding(None, problem)
    via = f" (redirected to {final_url})" if final_url != url else ""
    redirected = recognize(final_url) if via else None
    if entry is None and redirected and not _page_keys_missing(redirected):
        return Finding(redirected, f"found {describe(redirected)}: {url} redirects there")
    scan = scan_page(final_url, page)
    known = entry or redirected
    if known:  # a board whose other keys come from the page (Comeet's token)
        if (
            scan.entry
            and scan.entry.get("board") == known["board"]
            and not _page_keys_missing(scan.entry)
        ):
            what = " and ".join(_page_keys_missing(known))
            return Finding(scan.entry, f"found {describe(known)} and its {what} on {url}{via}")
        source = PLATFORMS[known["ats"]].page_keys_source
        return _incomplete(known, "in the URL", f"{url}{via} has no {source}")
    if scan.entry is None:
        why = f", and it has {scan.how}" if scan.how else f": {NOT_FOUND}"
        return Finding(None, f"no known ATS found on {url}{via}{why}")
    if scan.entry["ats"] == "jsonld":
        message = f"no known ATS found on {url}{via}, but it has {scan.how}: using the JSON-LD"
        return Finding(scan.entry, message, scan.notes)
    if _page_keys_missing(scan.entry):
        source = PLATFORMS[scan.entry["ats"]].page_keys_source
        return _incomplete(scan.entry, f"on {url}{via}", f"the page has no {source}")
    return Finding(
        scan.entry, f"found {describe(scan.entry)} on {url}{via} ({scan.how})", scan.notes
    )


def _incomplete(entry: dict[str, str], where: str, why: str) -> Finding:
    """A board without the keys only its page gives is no entry the catalog accepts: say
    what is missing."""
    missing = " and ".join(_page_keys_missing(entry))
    note = PLATFORMS[entry["ats"]].page_keys_note
    return Finding(None, f"found {describe(entry)} {where}, but not its {missing} ({why}); {note}")


def _page_keys_missing(entry: dict[str, str]) -> list[str]:
    return [key for key in PLATFORMS[entry["ats"]].page_keys if key not in entry]


def is_complete(url: str) -> bool:
    """Whether the URL alone gives a whole entry (a Comeet board still needs its page)."""
    entry = recognize(url)
    return entry is not None and not _page_keys_missing(entry)


def default_name(entry: dict[str, str], url: str = "") -> str:
    """A company name from the board token, Workday tenant or host, title-cased if lower case."""
    named = PLATFORMS[entry["ats"]].default_name
    raw = named(entry, url) if named else None
    if raw is None:
        raw = entry["board"] if "board" in entry else host_label(entry.get("careers_url") or url)
    words = re.sub(r"[-_.]+", " ", raw).strip() or raw
    return words.title() if words == words.lower() else words


def entry_yaml(entry: dict[str, Any], name: str | None = None) -> str:
    """The catalog entry as YAML: name, ats, then the platform keys; `notes` is left out."""
    data = {"name": name or default_name(entry)}
    data.update((key, entry[key]) for key in ENTRY_KEYS[1:] if key in entry)
    data.update((k, v) for k, v in entry.items() if k not in data and k != "notes")
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
