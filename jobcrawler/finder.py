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
from urllib.parse import parse_qs, unquote, urljoin, urlsplit

import yaml

from jobcrawler.catalog import entry_errors
from jobcrawler.finder_fetch import FETCH_ERRORS, describe_error, fetch_page
from jobcrawler.spiders.workday import careers_site, parse_careers_url

PLATFORM_NAMES = {
    "greenhouse": "Greenhouse",
    "lever": "Lever",
    "ashby": "Ashby",
    "workday": "Workday",
    "smartrecruiters": "SmartRecruiters",
    "recruitee": "Recruitee",
    "workable": "Workable",
    "bamboohr": "BambooHR",
    "personio": "Personio",
    "teamtailor": "Teamtailor",
    "breezy": "Breezy",
    "comeet": "Comeet",
}
NOT_FOUND = (
    "no Greenhouse, Lever, Ashby, Workday, SmartRecruiters, Recruitee, Workable, BambooHR, "
    "Personio, Teamtailor, Breezy or Comeet link, widget or JobPosting JSON-LD"
)
COMEET_TOKEN_NOTE = (
    "Comeet's careers API also needs the public token from the company's careers page "
    '(COMEET.init({"token": …})): run find on that page, or write `board:` and `token:`'
)
ENTRY_KEYS = ("name", "ats", "board", "token", "careers_url", "base_url")

Parts = tuple[str, list[str], dict[str, list[str]]]

_TOKEN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
_ASHBY_NAME = re.compile(r"^[^\s/?#<>\"'][^/?#<>\"']*$")
_LABEL = r"[a-z0-9][a-z0-9-]*"
_COMEET_UID = re.compile(r"^[0-9A-F]+\.[0-9A-F]+$", re.IGNORECASE)

_GREENHOUSE_BOARDS = {
    "boards.greenhouse.io",
    "job-boards.greenhouse.io",
    "boards.eu.greenhouse.io",
    "job-boards.eu.greenhouse.io",
}
# First path words that are Greenhouse's own pages, never a board token.
_GREENHOUSE_RESERVED = {"embed", "v1", "api", "assets", "static", "images", "users", "login"}
_SMARTRECRUITERS_RESERVED = {"oneclick-ui", "api", "sr-jobs", "ni", "app", "static"}
_WORKABLE_RESERVED = {"api", "j", "static", "assets"}
# Vendor subdomains that are the vendor's own sites, not a customer's board.
_VENDOR_SUBDOMAINS = {
    "www", "app", "api", "apply", "help", "support", "docs", "blog", "status", "jobs",
    "partners", "marketplace", "developer", "developers", "resources", "static", "assets",
    "cdn", "media", "images", "scripts", "widget", "embed", "attachments", "marketing",
}  # fmt: skip


# --- recognizing URLs ------------------------------------------------------------------------


def recognize(url: str) -> dict[str, str] | None:
    """The entry fields for a URL of a known ATS board, API or posting; None otherwise."""
    parts = _parse(url)
    if parts is None:
        return None
    for rule in _RULES:
        entry = rule(*parts)
        if entry is not None:
            return entry
    return None


def _parse(url: str) -> Parts | None:
    """(host without www., unquoted path segments, query) — or None for non-web URLs."""
    url = url.strip()
    if url.startswith("//"):
        url = "https:" + url
    elif re.match(r"^[a-z][a-z0-9+.-]*:(?!//|\d)", url, re.IGNORECASE):
        return None  # mailto:, javascript: and the like
    elif "://" not in url:
        url = "https://" + url
    try:
        split = urlsplit(url)
        host = (split.hostname or "").lower().rstrip(".")
    except ValueError:  # e.g. a malformed port or IPv6 literal
        return None
    if split.scheme.lower() not in ("http", "https") or not host:
        return None
    host = host.removeprefix("www.")
    segments = [unquote(s) for s in split.path.split("/") if s]
    return host, segments, parse_qs(split.query)


def _board(ats: str, board: str | None, **extra: str) -> dict[str, str] | None:
    if not board or not _TOKEN.match(board):
        return None
    return {"ats": ats, "board": board, **extra}


def _after(segments: list[str], *prefix: str) -> str | None:
    """The segment right after `prefix` (compared case-insensitively), if the path starts so."""
    head = [s.lower() for s in segments[: len(prefix)]]
    return segments[len(prefix)] if head == list(prefix) and len(segments) > len(prefix) else None


def _first(segments: list[str], reserved: set[str]) -> str | None:
    return segments[0] if segments and segments[0].lower() not in reserved else None


def _subdomain(host: str, domain: str) -> str | None:
    """`acme` from `acme.{domain}`, unless it is one of the vendor's own subdomains."""
    match = re.fullmatch(rf"({_LABEL})\.{re.escape(domain)}", host)
    return match[1] if match and match[1] not in _VENDOR_SUBDOMAINS else None


def _greenhouse(host: str, segments: list[str], query: dict[str, list[str]]) -> dict | None:
    if host in ("boards-api.greenhouse.io", "api.greenhouse.io"):
        return _board("greenhouse", _after(segments, "v1", "boards"))
    if host in _GREENHOUSE_BOARDS:
        token = query.get("for", [None])[0] or _first(segments, _GREENHOUSE_RESERVED)
        return _board("greenhouse", token)
    return None


def _lever(host: str, segments: list[str], query: dict[str, list[str]]) -> dict | None:
    match = re.fullmatch(r"(jobs|api)(\.eu)?\.lever\.co", host)
    if not match:
        return None
    site = segments[0] if match[1] == "jobs" and segments else _after(segments, "v0", "postings")
    extra = {"base_url": "https://api.eu.lever.co"} if match[2] else {}
    return _board("lever", site, **extra)


def _ashby(host: str, segments: list[str], query: dict[str, list[str]]) -> dict | None:
    if host == "jobs.ashbyhq.com":
        name = _first(segments, {"api"})
    elif host == "api.ashbyhq.com":
        name = _after(segments, "posting-api", "job-board")
    else:
        return None
    name = (name or "").strip()
    return {"ats": "ashby", "board": name} if _ASHBY_NAME.match(name) else None


def _workday(host: str, segments: list[str], query: dict[str, list[str]]) -> dict | None:
    site = careers_site(host, segments)
    return {"ats": "workday", "careers_url": site.url} if site else None


def _smartrecruiters(host: str, segments: list[str], query: dict[str, list[str]]) -> dict | None:
    if host == "api.smartrecruiters.com":
        return _board("smartrecruiters", _after(segments, "v1", "companies"))
    if host in ("jobs.smartrecruiters.com", "careers.smartrecruiters.com"):
        company = _after(segments, "oneclick-ui", "company") or _first(
            segments, _SMARTRECRUITERS_RESERVED
        )
        return _board("smartrecruiters", company)
    return None


def _workable(host: str, segments: list[str], query: dict[str, list[str]]) -> dict | None:
    if host == "apply.workable.com":
        account = (
            _after(segments, "api", "v1", "widget", "accounts")
            or _after(segments, "api", "v3", "accounts")
            or _after(segments, "api", "v2", "accounts")
            or _first(segments, _WORKABLE_RESERVED)
        )
    elif host == "workable.com":
        account = _after(segments, "api", "accounts")
    else:
        account = _subdomain(host, "workable.com")
    return _board("workable", account)


def _personio(host: str, segments: list[str], query: dict[str, list[str]]) -> dict | None:
    match = re.fullmatch(rf"({_LABEL})\.jobs\.personio\.(de|com)", host)
    if not match:
        return None
    extra = {"base_url": f"https://{match[1]}.jobs.personio.com"} if match[2] == "com" else {}
    return _board("personio", match[1], **extra)


def _comeet(host: str, segments: list[str], query: dict[str, list[str]]) -> dict | None:
    if host not in ("comeet.com", "comeet.co"):
        return None
    if uid := _after(segments, "careers-api", "2.0", "company"):
        token = query.get("token", [None])[0]  # an API URL carries both values
    else:
        uid, token = (segments[2] if len(segments) > 2 and segments[0] == "jobs" else None), None
    if not uid or not _COMEET_UID.match(uid):
        return None
    return {"ats": "comeet", "board": uid, **({"token": token} if token else {})}


def _subdomain_rule(ats: str, domain: str) -> Callable[..., dict | None]:
    def rule(host: str, segments: list[str], query: dict[str, list[str]]) -> dict | None:
        return _board(ats, _subdomain(host, domain))

    return rule


_RULES: tuple[Callable[[str, list[str], dict[str, list[str]]], dict | None], ...] = (
    _greenhouse,
    _lever,
    _ashby,
    _workday,
    _smartrecruiters,
    _workable,
    _personio,
    _comeet,
    _subdomain_rule("recruitee", "recruitee.com"),
    _subdomain_rule("bamboohr", "bamboohr.com"),
    _subdomain_rule("teamtailor", "teamtailor.com"),
    _subdomain_rule("breezy", "breezy.hr"),
)


# --- searching pages -------------------------------------------------------------------------

_ATS_URL = re.compile(
    r"(?:https?:)?//(?:[a-z0-9-]+\.)*(?:greenhouse\.io|lever\.co|ashbyhq\.com|myworkdayjobs\.com"
    r"|myworkdaysite\.com|smartrecruiters\.com|recruitee\.com|workable\.com|bamboohr\.com"
    r"|personio\.de|personio\.com|teamtailor\.com|breezy\.hr|comeet\.com|comeet\.co)"
    r"(?![\w.-])(?::\d+)?(?:[/?#][^\s\"'<>\\`()]*)?",
    re.IGNORECASE,
)
_COMEET_INIT = re.compile(r"COMEET\.init\s*\(", re.IGNORECASE)
_COMEET_UID_VALUE = re.compile(r"[\"']?company[-_]uid[\"']?\s*:\s*[\"']([^\"']+)[\"']")
_COMEET_TOKEN_VALUE = re.compile(r"[\"']?token[\"']?\s*:\s*[\"']([^\"']+)[\"']")
_LEVER_EMBED = re.compile(r"leverJobsOptions\s*=\s*\{[^}]*?accountName\s*:\s*[\"']([^\"']+)")
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
    found += [{"ats": "lever", "board": m[1]} for m in _LEVER_EMBED.finditer(text)]
    for init in _COMEET_INIT.finditer(text):
        window = text[init.end() : init.end() + 3000]
        uid, token = _COMEET_UID_VALUE.search(window), _COMEET_TOKEN_VALUE.search(window)
        if uid and _COMEET_UID.match(uid[1]):
            found.append(
                {"ats": "comeet", "board": uid[1], **({"token": token[1]} if token else {})}
            )
    mentions: dict[tuple, _Mention] = {}
    for index, entry in enumerate(found):
        key = tuple(sorted((k, v) for k, v in entry.items() if k != "token"))
        if key in mentions:
            mentions[key].count += 1
            mentions[key].entry.update(entry)  # keeps a Comeet token found anywhere
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
    parts, page = _parse(link), _parse(page_url)
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
    if entry and not _needs_token(entry):
        return Finding(entry, f"found {describe(entry)} in the URL")
    try:
        final_url, page = fetch(url, timeout=15)
    except FETCH_ERRORS as error:
        problem = f"could not fetch {url}: {describe_error(error)}"
        return _without_token(entry, "in the URL", problem) if entry else Finding(None, problem)
    via = f" (redirected to {final_url})" if final_url != url else ""
    redirected = recognize(final_url) if via else None
    if entry is None and redirected and not _needs_token(redirected):
        return Finding(redirected, f"found {describe(redirected)}: {url} redirects there")
    scan = scan_page(final_url, page)
    known = entry or redirected
    if known:  # Comeet: the token comes from the page
        if scan.entry and scan.entry.get("board") == known["board"] and "token" in scan.entry:
            return Finding(scan.entry, f"found {describe(known)} and its token on {url}{via}")
        return _without_token(known, "in the URL", f"{url}{via} has no COMEET.init token")
    if scan.entry is None:
        why = f", and it has {scan.how}" if scan.how else f": {NOT_FOUND}"
        return Finding(None, f"no known ATS found on {url}{via}{why}")
    if scan.entry["ats"] == "jsonld":
        message = f"no known ATS found on {url}{via}, but it has {scan.how}: using the JSON-LD"
        return Finding(scan.entry, message, scan.notes)
    if _needs_token(scan.entry):
        return _without_token(scan.entry, f"on {url}{via}", "the page has no COMEET.init token")
    return Finding(
        scan.entry, f"found {describe(scan.entry)} on {url}{via} ({scan.how})", scan.notes
    )


def _without_token(entry: dict[str, str], where: str, why: str) -> Finding:
    """A Comeet board without its token is no entry the catalog accepts: say what is missing."""
    return Finding(
        None, f"found {describe(entry)} {where}, but not its token ({why}); {COMEET_TOKEN_NOTE}"
    )


def _needs_token(entry: dict[str, str]) -> bool:
    return entry["ats"] == "comeet" and "token" not in entry


def is_complete(url: str) -> bool:
    """Whether the URL alone gives a whole entry (a Comeet board still needs its page)."""
    entry = recognize(url)
    return entry is not None and not _needs_token(entry)


def default_name(entry: dict[str, str], url: str = "") -> str:
    """A company name from the board token, Workday tenant or host, title-cased if lower case."""
    if entry["ats"] == "comeet":
        parts = _parse(url) if url else None
        if parts and parts[0] in ("comeet.com", "comeet.co") and len(parts[1]) > 1:
            raw = parts[1][1]
        else:
            raw = _host_label(url) if url else entry["board"]
    elif "board" in entry:
        raw = entry["board"]
    elif site := parse_careers_url(entry.get("careers_url", "")):
        raw = site.tenant
    else:
        raw = _host_label(entry.get("careers_url") or url)
    words = re.sub(r"[-_.]+", " ", raw).strip() or raw
    return words.title() if words == words.lower() else words


def _host_label(url: str) -> str:
    """`acme` from `https://careers.acme.com/...`."""
    parts = _parse(url)
    labels = parts[0].split(".") if parts else [url]
    return labels[-2] if len(labels) > 1 else labels[0]


def entry_yaml(entry: dict[str, Any], name: str | None = None) -> str:
    """The catalog entry as YAML: name, ats, then the platform keys; `notes` is left out."""
    data = {"name": name or default_name(entry)}
    data.update((key, entry[key]) for key in ENTRY_KEYS[1:] if key in entry)
    data.update((k, v) for k, v in entry.items() if k not in data and k != "notes")
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False)
