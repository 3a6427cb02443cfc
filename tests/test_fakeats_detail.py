"""The fake ATS speaks SmartRecruiters, Workday and BambooHR with their real shapes and quirks."""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from fakeats import FakeATS
from jobcrawler.normalize.salary import salary_from_text
from tests.helpers.fakeats_http import call, fetch, get_json

pytestmark = pytest.mark.e2e  # the fake ATS over HTTP

SR_KEYS = {
    "id", "name", "uuid", "jobAdId", "defaultJobAd", "refNumber", "company", "releasedDate",
    "location", "industry", "department", "function", "typeOfEmployment", "experienceLevel",
    "customField", "visibility", "ref", "language",
}  # fmt: skip
WORKDAY_ITEM_KEYS = {"title", "externalPath", "locationsText", "postedOn", "bulletFields"}
WORKDAY_INFO_KEYS = {
    "id", "title", "jobDescription", "location", "postedOn", "startDate", "timeType",
    "jobReqId", "jobPostingId", "jobPostingSiteId", "country", "canApply", "posted",
    "includeResumeParsing", "jobRequisitionLocation", "externalUrl", "questionnaireId",
}  # fmt: skip
BAMBOO_KEYS = {
    "id", "jobOpeningName", "departmentId", "departmentLabel", "employmentStatusLabel",
    "employmentType", "location", "atsLocation", "isRemote", "locationType",
}  # fmt: skip
SEARCH = {"appliedFacets": {}, "limit": 20, "offset": 0, "searchText": ""}


@pytest.fixture
def fake() -> Iterator[FakeATS]:
    with FakeATS() as server:
        yield server


# -- SmartRecruiters -------------------------------------------------------------------------


def sr_page(fake: FakeATS, query: str, token: str = "acme") -> dict[str, Any]:
    return get_json(f"{fake.url}/v1/companies/{token}/postings?{query}")


def test_smartrecruiters_pages_and_limits(fake: FakeATS) -> None:
    board = fake.add_board("smartrecruiters", "acme", size=230, seed=1)
    default = sr_page(fake, "")
    assert (default["offset"], default["limit"], default["totalFound"]) == (0, 10, 230)
    assert len(default["content"]) == 10
    ids = []
    for offset in (0, 100, 200):
        page = sr_page(fake, f"limit=100&offset={offset}")
        assert (page["offset"], page["totalFound"]) == (offset, 230)
        ids += [item["id"] for item in page["content"]]
    assert ids == board.ids()
    assert fetch(f"{fake.url}/v1/companies/acme/postings?limit=101")[0] == 400
    assert fetch(f"{fake.url}/v1/companies/nobody/postings")[0] == 404


def test_smartrecruiters_list_items_have_no_description_or_urls(fake: FakeATS) -> None:
    board = fake.add_board("smartrecruiters", "acme", size=50, seed=1)
    items = sr_page(fake, "limit=100")["content"]
    assert all(set(item) == SR_KEYS for item in items)
    by_id = {p.external_id: p for p in board.postings()}
    malformed = 0
    for item in items:
        posting, location = by_id[item["id"]], item["location"]
        assert item["name"] == posting.title
        assert location["country"] == posting.place.country_code.lower()
        assert location["remote"] is (posting.workplace == "remote")
        assert location["hybrid"] is (posting.workplace == "hybrid")
        malformed += ", , " in location["fullLocation"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z", item["releasedDate"])
    assert malformed > 0  # "Berlin, , Germany", as real postings without a region show
    assert {} in [item["department"] for item in items]


def test_smartrecruiters_detail_has_sections_and_urls(fake: FakeATS) -> None:
    board = fake.add_board("smartrecruiters", "acme", size=30, seed=1)
    posting = board.postings()[1]
    detail = get_json(f"{fake.url}/v1/companies/acme/postings/{posting.external_id}")
    assert set(detail) > SR_KEYS
    sections = detail["jobAd"]["sections"]
    assert list(sections) == [
        "companyDescription",
        "jobDescription",
        "qualifications",
        "additionalInformation",
    ]
    assert all(set(s) == {"title", "text"} and s["text"].startswith("<") for s in sections.values())
    assert detail["postingUrl"].startswith(
        f"https://jobs.smartrecruiters.com/acme/{posting.external_id}-"
    )
    assert detail["applyUrl"].startswith(detail["postingUrl"])
    status, _, _ = fetch(f"{fake.url}/v1/companies/acme/postings/744000000000009")
    assert status == 404


def test_smartrecruiters_fault_pages_follow_the_offset(fake: FakeATS) -> None:
    board = fake.add_board("smartrecruiters", "acme", size=230, seed=1)
    board.set_fault("http_500", page=1)
    assert fetch(f"{fake.url}/v1/companies/acme/postings?limit=100&offset=0")[0] == 200
    assert fetch(f"{fake.url}/v1/companies/acme/postings?limit=100&offset=100")[0] == 500
    first = board.ids()[0]
    assert fetch(f"{fake.url}/v1/companies/acme/postings/{first}")[0] == 200  # detail: no fault


# -- Workday ---------------------------------------------------------------------------------


def cxs(fake: FakeATS, token: str = "acme", tenant: str | None = None) -> str:
    return f"{fake.base_url('workday', token)}/wday/cxs/{tenant or token}/External"


def search(fake: FakeATS, token: str = "acme", **body: Any) -> tuple[int, Any]:
    return call(f"{cxs(fake, token)}/jobs", "POST", {**SEARCH, **body})


def found(fake: FakeATS, **body: Any) -> dict[str, Any]:
    status, data = search(fake, **body)
    assert status == 200, data
    return data


def facet_values(data: dict[str, Any]) -> dict[str, dict[str, int]]:
    """{facetParameter: {descriptor: count}} with the nested locations flattened."""
    flat = {}
    for facet in data["facets"]:
        groups = facet["values"] if facet["facetParameter"] == "locationMainGroup" else [facet]
        for group in groups:
            flat[group["facetParameter"]] = {v["descriptor"]: v["count"] for v in group["values"]}
    return flat


def facet_id(data: dict[str, Any], name: str, descriptor: str) -> str:
    for facet in data["facets"]:
        groups = facet["values"] if facet["facetParameter"] == "locationMainGroup" else [facet]
        for group in groups:
            for value in group["values"]:
                if group["facetParameter"] == name and value["descriptor"] == descriptor:
                    return value["id"]
    raise KeyError(descriptor)


def test_workday_search_is_a_post_with_the_four_fields(fake: FakeATS) -> None:
    fake.add_board("workday", "acme", size=45, seed=1)
    first = found(fake)
    assert first["total"] == 45 and len(first["jobPostings"]) == 20
    assert all(set(item) == WORKDAY_ITEM_KEYS for item in first["jobPostings"])
    later = found(fake, offset=40)
    assert later["total"] == 0 and len(later["jobPostings"]) == 5  # total on page 0 only
    assert later["facets"] == []
    assert search(fake, limit=21)[0] == 400
    assert call(f"{cxs(fake)}/jobs", "POST", {})[0] == 422
    assert fetch(f"{cxs(fake)}/jobs")[0] == 404  # GET is not the search
    assert call(f"{cxs(fake, tenant='other')}/jobs", "POST", SEARCH)[0] == 404
    assert search(fake, appliedFacets={"bogus": ["x"]})[0] == 400


def test_workday_items_and_ids(fake: FakeATS) -> None:
    board = fake.add_board("workday", "acme", size=60, seed=1)
    items = found(fake, limit=20)["jobPostings"]
    items += found(fake, offset=20)["jobPostings"] + found(fake, offset=40)["jobPostings"]
    postings = board.postings()
    assert [item["externalPath"].rsplit("/", 1)[-1] for item in items] == board.ids()
    for item, posting in zip(items, postings, strict=True):
        assert item["title"] == posting.title
        assert item["postedOn"] == "Posted 30+ Days Ago" or item["postedOn"].startswith("Posted ")
        assert item["bulletFields"][0] == item["externalPath"].rsplit("_", 1)[-1]
        places = posting.places
        assert item["locationsText"] == (
            places[0].name if len(places) == 1 else f"{len(places)} Locations"
        )
    [changed] = board.change(1)
    assert changed in board.ids()  # the path keeps the title the posting was created with
    assert found(fake, offset=0)["jobPostings"][0]["externalPath"] == items[0]["externalPath"]


def test_workday_facets_count_and_filter(fake: FakeATS) -> None:
    board = fake.add_board("workday", "acme", size=300, seed=1)
    postings = board.postings()
    data = found(fake)
    values = facet_values(data)
    assert values["jobFamilyGroup"] == dict(Counter(p.department for p in postings))
    assert sum(values["timeType"].values()) == 300
    assert values["locations"] == dict(Counter(place.name for p in postings for place in p.places))
    london = facet_id(data, "locations", "London, England, United Kingdom")
    engineering = facet_id(data, "jobFamilyGroup", "Engineering")
    in_london = found(fake, appliedFacets={"locations": [london]})
    assert in_london["total"] == values["locations"]["London, England, United Kingdom"]
    both = found(fake, appliedFacets={"locations": [london], "jobFamilyGroup": [engineering]})
    expected = [
        p
        for p in postings
        if p.department == "Engineering"
        and "London, England, United Kingdom" in [x.name for x in p.places]
    ]
    assert both["total"] == len(expected)
    assert [i["title"] for i in both["jobPostings"]] == [p.title for p in expected][:20]


def test_workday_cap_repeats_the_first_page_and_facets_split_under_it(fake: FakeATS) -> None:
    board = fake.add_board("workday", "acme", size=4500, seed=1, cap=2000)
    first = found(fake)
    assert first["total"] == 2000
    assert found(fake, offset=2000)["jobPostings"] == first["jobPostings"]
    assert found(fake, offset=1980)["jobPostings"] != first["jobPostings"]
    seen: set[str] = set()
    for location, count in facet_values(first)["locations"].items():
        assert count < 2000
        part = found(fake, appliedFacets={"locations": [facet_id(first, "locations", location)]})
        assert part["total"] == count
        for offset in range(20, count, 20):
            part["jobPostings"] += found(
                fake,
                appliedFacets={"locations": [facet_id(first, "locations", location)]},
                offset=offset,
            )["jobPostings"]
        seen |= {item["externalPath"].rsplit("/", 1)[-1] for item in part["jobPostings"]}
    assert seen == set(board.ids())


def test_workday_facet_gaps_leave_postings_out_of_every_value(fake: FakeATS) -> None:
    board = fake.add_board("workday", "acme", size=300, seed=1, facet_gaps=["locations"])
    data = found(fake)
    assert data["total"] == 300  # the search still finds every posting
    values = facet_values(data)
    assert sum(values["jobFamilyGroup"].values()) == sum(values["timeType"].values()) == 300
    every = [facet_id(data, "locations", name) for name in values["locations"]]
    in_some_location = {
        item["externalPath"].rsplit("/", 1)[-1]
        for offset in range(0, 300, 20)
        for item in found(fake, appliedFacets={"locations": every}, offset=offset)["jobPostings"]
    }
    ids = board.ids()
    assert in_some_location == set(ids) - set(ids[::3])  # every third has no location
    assert sum(values["locations"].values()) > 200  # counted once per location


def test_workday_detail(fake: FakeATS) -> None:
    board = fake.add_board("workday", "acme", size=30, seed=1)
    items = found(fake, limit=20)["jobPostings"] + found(fake, offset=20)["jobPostings"]
    postings = {p.external_id: p for p in board.postings()}
    remote_types = set()
    for item in items:
        data = get_json(cxs(fake) + item["externalPath"])
        info = data["jobPostingInfo"]
        posting = postings[info["jobPostingId"]]
        assert set(info) >= WORKDAY_INFO_KEYS
        assert info["title"] == item["title"]
        assert info["jobRequisitionLocation"]["country"]["alpha2Code"] == posting.place.country_code
        assert (
            info["externalUrl"]
            == f"https://acme.wd5.myworkdayjobs.com/External{item['externalPath']}"
        )
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", info["startDate"])
        assert info.get("additionalLocations", []) == [p.name for p in posting.places[1:]]
        remote_types.add(info.get("remoteType"))
    assert {"Fully Remote", "On-site"} <= remote_types
    wrong_place = re.sub(r"/job/[^/]+/", "/job/Nowhere/", items[0]["externalPath"])
    assert fetch(cxs(fake) + wrong_place)[0] == 404

    fake.add_board("workday", "plain", size=30, seed=1, remote_type=False)  # same postings
    for item in items:
        info = get_json(cxs(fake, "plain") + item["externalPath"])["jobPostingInfo"]
        assert "remoteType" not in info  # tenants without the field


def test_workday_fault_pages_come_from_the_body_offset(fake: FakeATS) -> None:
    board = fake.add_board("workday", "acme", size=60, seed=1)
    board.set_fault("http_500", page=1)
    assert search(fake)[0] == 200
    assert search(fake, offset=20)[0] == 500
    assert search(fake, offset=40)[0] == 200


def test_board_options_are_checked(fake: FakeATS) -> None:
    with pytest.raises(ValueError, match="take no option"):
        fake.add_board("workday", "acme", size=3, capp=10)
    with pytest.raises(ValueError, match="take no option"):
        fake.add_board("bamboohr", "acme", size=3, cap=10)
    status, info = call(
        f"{fake.url}/_fake/boards",
        "POST",
        {"platform": "workday", "token": "big", "size": 5, "options": {"cap": 3}},
    )
    defaults = {"remote_type": True, "facet_gaps": [], "start_date": True}
    assert status == 200 and info["options"] == {"cap": 3, **defaults}
    assert call(f"{cxs(fake, 'big')}/jobs", "POST", SEARCH)[1]["total"] == 3


# -- BambooHR --------------------------------------------------------------------------------


def bamboo(fake: FakeATS, path: str, token: str = "acme") -> str:
    return f"{fake.base_url('bamboohr', token)}/careers/{path}"


def test_bamboohr_list_is_json_only_when_asked(fake: FakeATS) -> None:
    board = fake.add_board("bamboohr", "acme", size=40, seed=1)
    status, headers, _ = fetch(bamboo(fake, "list"))
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    data = get_json(bamboo(fake, "list"), {"Accept": "application/json"})
    assert data["meta"] == {"totalCount": 40}
    assert [job["id"] for job in data["result"]] == board.ids()
    assert all(set(job) == BAMBOO_KEYS and isinstance(job["id"], str) for job in data["result"])
    postings = {p.external_id: p for p in board.postings()}
    kinds = {"on-site": "0", "remote": "1", "hybrid": "2", "unspecified": None}
    remote_flags = set()
    only_ats = only_location = 0
    for job in data["result"]:
        posting = postings[job["id"]]
        assert job["locationType"] == kinds[posting.workplace]
        remote_flags.add(json.dumps(job["isRemote"]))  # 1 and true both occur
        only_ats += job["location"]["city"] is None and job["atsLocation"]["country"] is not None
        only_location += (
            job["location"]["city"] is not None and job["atsLocation"]["country"] is None
        )
    assert remote_flags == {"null", "1", "true"}
    assert only_ats and only_location


def test_bamboohr_detail(fake: FakeATS) -> None:
    board = fake.add_board("bamboohr", "acme", size=25, seed=1)
    compensations = []
    for posting in board.postings():
        data = get_json(bamboo(fake, f"{posting.external_id}/detail"))
        opening = data["result"]["jobOpening"]
        assert opening["jobOpeningName"] == posting.title
        assert opening["description"].startswith("<p>")
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", opening["datePosted"])
        assert (
            opening["jobOpeningShareUrl"]
            == f"https://acme.bamboohr.com/careers/{posting.external_id}"
        )
        if opening["compensation"]:
            compensations.append(opening["compensation"])
            parsed = salary_from_text(opening["compensation"])
            assert (parsed.min, parsed.max) == (posting.salary.minimum, posting.salary.maximum)
    assert compensations
    assert fetch(bamboo(fake, "99999999/detail"))[0] == 404
    assert fetch(bamboo(fake, "list", token="nobody"), {"Accept": "application/json"})[0] == 404


# -- all three -------------------------------------------------------------------------------


@pytest.mark.parametrize("platform", ["smartrecruiters", "workday", "bamboohr"])
def test_same_seed_same_ids_and_listing(platform: str) -> None:
    listings = []
    for seed in (7, 7, 8):
        with FakeATS() as server:
            board = server.add_board(platform, "acme", size=20, seed=seed)
            if platform == "smartrecruiters":
                body = fetch(f"{server.url}/v1/companies/acme/postings?limit=100")[2]
            elif platform == "workday":
                body = json.dumps(call(f"{cxs(server)}/jobs", "POST", SEARCH)[1]).encode()
            else:
                body = fetch(bamboo(server, "list"), {"Accept": "application/json"})[2]
            listings.append((board.ids(), body))
    assert listings[0] == listings[1]
    assert listings[0][1] != listings[2][1]
