"""The fake ATS serves Personio's XML feed and Teamtailor's RSS with their real shapes."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from email.utils import parsedate_to_datetime

import pytest
from lxml import etree

from fakeats import FakeATS
from tests.helpers.fakeats_http import fetch

pytestmark = pytest.mark.e2e  # the fake ATS over HTTP

TT = "{https://teamtailor.com/locations}"
POSITION_TAGS = [
    "id", "subcompany", "office", "additionalOffices", "department", "recruitingCategory",
    "name", "jobDescriptions", "employmentType", "seniority", "schedule", "yearsOfExperience",
    "keywords", "occupation", "occupationCategory", "createdAt",
]  # fmt: skip
ITEM_TAGS = [
    "title", "description", "pubDate", "link", "remoteStatus", "guid",
    f"{TT}locations", f"{TT}department", f"{TT}role",
]  # fmt: skip


@pytest.fixture
def fake() -> Iterator[FakeATS]:
    with FakeATS() as server:
        yield server


def xml(url: str) -> tuple[str, bytes, etree._Element]:
    """(content type, raw body, root) of a 200 answer, parsed strictly."""
    status, headers, body = fetch(url)
    assert status == 200, body[:300]
    return headers["Content-Type"], body, etree.fromstring(body)


def personio(fake: FakeATS, token: str = "acme") -> tuple[str, bytes, etree._Element]:
    return xml(f"{fake.base_url('personio', token)}/xml?language=en")


def rss_ids(fake: FakeATS, query: str, token: str = "acme") -> list[str]:
    root = xml(f"{fake.base_url('teamtailor', token)}/jobs.rss{query}")[2]
    return [re.search(r"/jobs/(\d+)-", link)[1] for link in root.xpath("channel/item/link/text()")]


# -- Personio --------------------------------------------------------------------------------


def test_personio_is_served_on_a_tenant_prefix(fake: FakeATS) -> None:
    fake.add_board("personio", "acme", size=3, seed=1)
    assert fake.base_url("personio", "acme") == f"{fake.url}/personio/acme"
    assert fetch(f"{fake.url}/xml")[0] == 404
    status, headers, _ = fetch(f"{fake.url}/personio/nope/xml")
    assert status == 404 and headers["Content-Type"].startswith("text/html")


def test_personio_feed_shape(fake: FakeATS) -> None:
    board = fake.add_board("personio", "acme", size=30, seed=1)
    content_type, body, root = personio(fake)
    assert content_type.split(";")[0] in ("text/xml", "application/xml")
    assert body.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert root.tag == "workzag-jobs"
    positions = root.findall("position")
    assert [p.findtext("id") for p in positions] == board.ids()
    assert board.ids()[0] == "1100000"  # 1,000,000 + (seed % 100) * 100,000 + index
    for position, posting in zip(positions, board.postings(), strict=True):
        tags = [child.tag for child in position]
        assert tags == [t for t in POSITION_TAGS if t in tags]
        assert {"id", "office", "name", "jobDescriptions", "createdAt"} <= set(tags)
        assert position.findtext("name") == posting.title
        assert position.findtext("department") == posting.department
        assert position.findtext("employmentType") in {
            "permanent", "intern", "trainee", "freelance", "temporary",
        }  # fmt: skip
        assert position.findtext("schedule") in {"full-time", "part-time"}
        assert re.fullmatch(
            r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00", position.findtext("createdAt")
        )
        sections = position.findall("jobDescriptions/jobDescription")
        assert len(sections) == 5
        assert [s.findtext("name") for s in sections][1:4] == [
            heading for heading, _ in posting.description().sections
        ]
        assert all(s.findtext("value").startswith(("<p>", "<ul>")) for s in sections)
        assert not {"salary", "remote", "url"} & set(tags)
    assert b"<value><![CDATA[<" in body  # description HTML travels as CDATA
    assert len(positions[4].findall("additionalOffices/office")) >= 1  # three places
    part_time = [p for p in board.postings() if p.employment == "part_time"]
    for posting in part_time:
        position = positions[posting.index]
        assert position.findtext("employmentType") == "permanent"
        assert position.findtext("schedule") == "part-time"


def test_personio_salary_only_as_prose(fake: FakeATS) -> None:
    board = fake.add_board("personio", "acme", size=30, seed=1)
    root = personio(fake)[2]
    for index in (1, 2):  # structured salary, prose-only salary
        posting = board.postings()[index]
        assert posting.salary is not None
        closing = root.findall("position")[index].findall("jobDescriptions/jobDescription")[-1]
        assert posting.salary.prose(posting.variant) in closing.findtext("value")


def test_personio_faults_break_the_xml(fake: FakeATS) -> None:
    board = fake.add_board("personio", "acme", size=10, seed=1)
    url = f"{fake.base_url('personio', 'acme')}/xml?language=en"
    normal = fetch(url)[2]
    for kind in ("truncated", "invalid_json"):
        board.set_fault(kind, times=1)
        status, _, body = fetch(url)
        assert status == 200 and body != normal
        with pytest.raises(etree.XMLSyntaxError):
            etree.fromstring(body)
    board.set_fault("html", times=1)
    assert etree.fromstring(fetch(url)[2]).tag == "html"
    board.set_fault("empty", times=1)
    empty = etree.fromstring(fetch(url)[2])
    assert (empty.tag, len(empty)) == ("workzag-jobs", 0)
    board.set_fault("http_500", times=1)
    assert fetch(url)[0] == 500
    assert fetch(url)[2] == normal


def test_personio_deterministic_and_changes_show(fake: FakeATS) -> None:
    board = fake.add_board("personio", "acme", size=20, seed=3)
    other = fake.add_board("personio", "other", size=20, seed=4)
    first = personio(fake)[1]
    assert personio(fake)[1] == first
    assert not set(board.ids()) & set(other.ids())
    [changed] = board.change(1)
    root = personio(fake)[2]
    [position] = [p for p in root.findall("position") if p.findtext("id") == changed]
    assert position.findtext("name") == board.posting(changed).title
    assert personio(fake)[1] != first


# -- Teamtailor ------------------------------------------------------------------------------


def test_teamtailor_default_100_and_per_page_offset(fake: FakeATS) -> None:
    board = fake.add_board("teamtailor", "acme", size=250, seed=1)
    ids = board.ids()
    assert rss_ids(fake, "") == ids[:100]  # the real feed's default
    assert rss_ids(fake, "?page=2") == ids[:100]  # page is ignored
    assert rss_ids(fake, "?per_page=100") == ids[:100]
    assert rss_ids(fake, "?per_page=100&offset=100") == ids[100:200]
    assert rss_ids(fake, "?per_page=100&offset=200") == ids[200:]
    assert rss_ids(fake, "?per_page=200") == ids[:200]  # above 100 is honoured
    assert rss_ids(fake, "?offset=240") == ids[240:]
    assert rss_ids(fake, "?per_page=200&offset=300") == []
    assert rss_ids(fake, "?per_page=x&offset=-3") == ids[:100]


def test_teamtailor_per_page_is_capped(fake: FakeATS) -> None:
    board = fake.add_board("teamtailor", "acme", size=700, seed=1)
    ids = board.ids()
    assert rss_ids(fake, "?per_page=1000") == ids[:500]
    assert rss_ids(fake, "?per_page=1000&offset=500") == ids[500:]


def test_teamtailor_item_shape(fake: FakeATS) -> None:
    board = fake.add_board("teamtailor", "acme", size=40, seed=1)
    content_type, body, root = xml(f"{fake.base_url('teamtailor', 'acme')}/jobs.rss?per_page=50")
    assert content_type.startswith("application/rss+xml")
    assert root.tag == "rss" and root.nsmap["tt"] == "https://teamtailor.com/locations"
    assert root.findtext("channel/title") == "Acme"
    assert b"<description>&lt;p&gt;" in body  # entity-escaped HTML
    items = root.findall("channel/item")
    statuses = set()
    for item, posting in zip(items, board.postings(), strict=True):
        assert [child.tag for child in item] == ITEM_TAGS
        assert item.findtext("title") == posting.title
        assert item.findtext("description").startswith("<p>")
        published = parsedate_to_datetime(item.findtext("pubDate"))
        assert published.timestamp() == posting.created_ms // 1000
        assert re.fullmatch(
            rf"https://acme\.teamtailor\.com/jobs/{posting.external_id}-[a-z0-9-]+",
            item.findtext("link"),
        )
        assert uuid.UUID(item.findtext("guid")).version == 5
        statuses.add(item.findtext("remoteStatus"))
        locations = item.findall(f"{TT}locations/{TT}location")
        for location in locations:
            assert [c.tag for c in location] == [
                f"{TT}{t}" for t in ("name", "address", "zip", "city", "country")
            ]
        if posting.workplace != "remote":
            assert len(locations) == len(posting.places)
        assert item.findtext(f"{TT}department") == posting.department
        assert item.findtext(f"{TT}role") == posting.team
    assert statuses <= {"fully", "hybrid", "temporary", "none"}
    assert {"fully", "none"} <= statuses
    assert len(items[4].findall(f"{TT}locations/{TT}location")) in (0, 3)


def test_teamtailor_faults_and_pages(fake: FakeATS) -> None:
    board = fake.add_board("teamtailor", "acme", size=450, seed=1)
    base = f"{fake.base_url('teamtailor', 'acme')}/jobs.rss?per_page=200"
    board.set_fault("http_500", page=1)
    assert [fetch(f"{base}&offset={o}")[0] for o in (0, 200, 400)] == [200, 500, 200]
    board.clear_faults()
    board.set_fault("empty", times=1)
    empty = xml(base)[2]
    assert (empty.tag, empty.findall("channel/item")) == ("rss", [])
    board.set_fault("truncated", times=1)
    with pytest.raises(etree.XMLSyntaxError):
        etree.fromstring(fetch(base)[2])
    assert fetch(f"{fake.url}/teamtailor/nope/jobs.rss")[0] == 404


def test_teamtailor_ids_differ_by_seed(fake: FakeATS) -> None:
    a = fake.add_board("teamtailor", "a", size=10, seed=1).ids()
    b = fake.add_board("teamtailor", "b", size=10, seed=2).ids()
    assert not set(a) & set(b) and len(set(a)) == 10
