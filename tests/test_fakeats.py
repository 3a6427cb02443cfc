"""The fake ATS server speaks each platform's real shapes, deterministically, with faults."""

from __future__ import annotations

import html
import json
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from fakeats import FakeATS
from fakeats.boards import Board
from tests.helpers.fakeats_http import call, fetch, get_json

pytestmark = pytest.mark.e2e  # the fake ATS over HTTP

GH_LIST_KEYS = {
    "absolute_url",
    "data_compliance",
    "internal_job_id",
    "location",
    "metadata",
    "id",
    "updated_at",
    "requisition_id",
    "title",
    "company_name",
    "first_published",
    "language",
    "application_deadline",
}
GH_CONTENT_KEYS = {"content", "departments", "offices"}
LEVER_KEYS = {
    "additional",
    "additionalPlain",
    "categories",
    "createdAt",
    "descriptionPlain",
    "description",
    "id",
    "lists",
    "text",
    "country",
    "workplaceType",
    "opening",
    "openingPlain",
    "descriptionBody",
    "descriptionBodyPlain",
    "hostedUrl",
    "applyUrl",
}
ASHBY_KEYS = {
    "id",
    "title",
    "department",
    "team",
    "employmentType",
    "location",
    "shouldDisplayCompensationOnJobPostings",
    "secondaryLocations",
    "publishedAt",
    "isListed",
    "isRemote",
    "workplaceType",
    "address",
    "jobUrl",
    "applyUrl",
    "descriptionHtml",
    "descriptionPlain",
}
EMPTY_COMPENSATION = {
    "compensationTierSummary": None,
    "scrapeableCompensationSalarySummary": None,
    "compensationTiers": [],
    "summaryComponents": [],
}


@pytest.fixture
def fake() -> Iterator[FakeATS]:
    with FakeATS() as server:
        yield server


def gh_jobs(fake: FakeATS, token: str = "acme", query: str = "") -> dict[str, Any]:
    return get_json(f"{fake.url}/v1/boards/{token}/jobs{query}")


def lever_page(fake: FakeATS, site: str, query: str) -> list[dict[str, Any]]:
    return get_json(f"{fake.url}/v0/postings/{site}?mode=json{query}")


def ashby_jobs(fake: FakeATS, name: str = "acme", query: str = "") -> dict[str, Any]:
    return get_json(f"{fake.url}/posting-api/job-board/{name}{query}")


# -- Greenhouse ------------------------------------------------------------------------------


def test_greenhouse_list_without_content_has_no_descriptions(fake: FakeATS) -> None:
    board = fake.add_board("greenhouse", "acme", size=30, seed=1)
    data = gh_jobs(fake)
    assert data["meta"] == {"total": 30}
    jobs = data["jobs"]
    assert [str(job["id"]) for job in jobs] == board.ids()
    assert jobs[0]["id"] == 4_001_000_000  # 4e9 + (seed % 1000) * 1e6 + index
    assert jobs[29]["id"] == 4_001_000_029
    for job in jobs:
        assert set(job) >= GH_LIST_KEYS
        assert not GH_CONTENT_KEYS & set(job)
        assert job["internal_job_id"] == job["id"] - 1_000_000_000
        assert job["company_name"] == "Acme"
        assert job["data_compliance"] == [
            {"type": "gdpr", "requires_consent": False, "retention_period": None}
        ]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-04:00", job["updated_at"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d-04:00", job["first_published"])
        assert job["first_published"] < job["updated_at"]
        url = job["absolute_url"]
        assert url in (
            f"https://job-boards.greenhouse.io/acme/jobs/{job['id']}",
            f"https://www.acme.example/careers?gh_jid={job['id']}",
        )
    metadata = [job["metadata"] for job in jobs]
    assert None in metadata
    with_type = [m for m in metadata if m is not None]
    assert with_type
    for fields in with_type:
        assert len(fields) == 1
        assert fields[0]["name"] == "Employment Type"
        assert fields[0]["value_type"] == "single_select"
        assert fields[0]["value"] in {
            "Full-time", "Regular", "Full Time", "Part-time", "Contract", "Contractor",
            "Intern", "Internship", "Temporary", "Fixed Term",
        }  # fmt: skip


def test_greenhouse_content_is_entity_escaped_html(fake: FakeATS) -> None:
    fake.add_board("greenhouse", "acme", size=30, seed=1)
    jobs = gh_jobs(fake, query="?content=true")["jobs"]
    for job in jobs:
        assert set(job) >= GH_LIST_KEYS | GH_CONTENT_KEYS
        content = job["content"]
        assert "<" not in content and ">" not in content
        assert content.startswith("&lt;div class=&quot;content-intro&quot;&gt;&lt;p&gt;")
        markup = html.unescape(content)
        assert markup.startswith('<div class="content-intro"><p>')
        assert "<li>" in markup
        assert markup.endswith("</p></div>")
        (department,) = job["departments"]
        assert set(department) == {"id", "name", "child_ids", "parent_id"}
        for office in job["offices"]:
            assert set(office) == {"id", "name", "location", "child_ids", "parent_id"}
    # index 4 always has three locations: three offices
    assert len(jobs[4]["offices"]) == 3
    assert jobs[3]["offices"][0]["name"] == "London"
    assert jobs[3]["location"]["name"].startswith("Hybrid - London")


def test_greenhouse_single_job_with_pay_transparency(fake: FakeATS) -> None:
    board = fake.add_board("greenhouse", "acme", size=30, seed=1)
    ids = board.ids()
    structured = board.posting(ids[1])  # index 1: structured yearly salary
    assert structured is not None and structured.salary is not None
    job = get_json(f"{fake.url}/v1/boards/acme/jobs/{ids[1]}?pay_transparency=true")
    assert job["id"] == int(ids[1])
    assert "content" in job and "offices" in job
    (pay,) = job["pay_input_ranges"]
    assert set(pay) == {"min_cents", "max_cents", "currency_type", "title", "blurb"}
    assert pay["min_cents"] == structured.salary.minimum * 100
    assert pay["max_cents"] == structured.salary.maximum * 100
    assert pay["currency_type"] == structured.salary.currency
    assert "content-pay-transparency" in html.unescape(job["content"])

    prose = board.posting(ids[2])  # index 2: salary only as prose
    assert prose is not None and prose.salary is not None
    job = get_json(f"{fake.url}/v1/boards/acme/jobs/{ids[2]}?pay_transparency=true")
    assert job["pay_input_ranges"] == []
    assert prose.salary.prose(prose.variant) in html.unescape(job["content"])

    job = get_json(f"{fake.url}/v1/boards/acme/jobs/{ids[1]}")
    assert "pay_input_ranges" not in job


def test_greenhouse_unknown_board_and_job_are_404(fake: FakeATS) -> None:
    fake.add_board("greenhouse", "acme", size=3, seed=1)
    for path in ("/v1/boards/nope/jobs", "/v1/boards/acme/jobs/123", "/v1/boards/nope/jobs/1"):
        status, _, body = fetch(fake.url + path)
        assert status == 404
        assert json.loads(body) == {"status": 404, "error": "Job not found"}


# -- Lever -----------------------------------------------------------------------------------


def test_lever_paging_returns_exact_slices(fake: FakeATS) -> None:
    board = fake.add_board("lever", "globex", size=23, seed=2)
    ids = board.ids()
    assert len(ids) == 23

    def page(query: str) -> list[str]:
        return [p["id"] for p in lever_page(fake, "globex", query)]

    assert page("&skip=0&limit=10") == ids[0:10]
    assert page("&skip=10&limit=10") == ids[10:20]
    assert page("&skip=20&limit=10") == ids[20:23]
    assert page("&skip=30&limit=10") == []
    assert page("") == ids
    assert page("&skip=5") == ids[5:]
    assert page("&limit=4") == ids[:4]
    assert fetch(f"{fake.url}/v0/postings/globex?mode=json&limit=x")[0] == 400


def test_lever_posting_shape(fake: FakeATS) -> None:
    board = fake.add_board("lever", "globex", size=30, seed=2)
    postings = lever_page(fake, "globex", "")
    assert [p["id"] for p in postings] == board.ids()
    for p in postings:
        assert set(p) >= LEVER_KEYS
        assert uuid.UUID(p["id"]).version == 5
        assert p["hostedUrl"] == f"https://jobs.lever.co/globex/{p['id']}"
        assert p["applyUrl"] == f"https://jobs.lever.co/globex/{p['id']}/apply"
        assert p["workplaceType"] in {"on-site", "remote", "hybrid", "unspecified"}
        assert re.fullmatch(r"[A-Z]{2}", p["country"])
        assert isinstance(p["createdAt"], int) and p["createdAt"] > 1_700_000_000_000
        categories = p["categories"]
        assert {"department", "location", "team", "allLocations"} <= set(categories)
        assert categories["allLocations"][0] == categories["location"]
        assert p["description"] == p["opening"] + p["descriptionBody"]
        assert [set(item) for item in p["lists"]] == [{"text", "content"}] * 3
        assert all(item["content"].startswith("<li>") for item in p["lists"])
        assert "<" not in p["additionalPlain"]
    commitments = {p["categories"].get("commitment") for p in postings}
    assert commitments & {"Full-time", "Permanent", "Full Time"}
    assert len(postings[4]["categories"]["allLocations"]) == 3

    salaried = board.posting(board.ids()[1])
    assert salaried is not None and salaried.salary is not None
    assert postings[1]["salaryRange"] == {
        "currency": salaried.salary.currency,
        "interval": "per-year-salary",
        "min": salaried.salary.minimum,
        "max": salaried.salary.maximum,
    }
    prose = board.posting(board.ids()[2])
    assert prose is not None and prose.salary is not None
    assert "salaryRange" not in postings[2]
    assert postings[2]["additionalPlain"].startswith(prose.salary.prose(prose.variant))


def test_lever_answers_html_unless_json_is_asked_for(fake: FakeATS) -> None:
    board = fake.add_board("lever", "globex", size=5, seed=2)
    url = f"{fake.url}/v0/postings/globex"
    browser = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
    status, headers, body = fetch(url, browser)
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    page = body.decode()
    assert page.startswith("<!DOCTYPE html>")
    assert all(f'data-qa-posting-id="{i}"' in page for i in board.ids())
    status, headers, _ = fetch(url)
    assert headers["Content-Type"].startswith("text/html")

    data = get_json(url, {"Accept": "application/json"})
    assert [p["id"] for p in data] == board.ids()
    data = get_json(f"{url}?mode=json", browser)
    assert [p["id"] for p in data] == board.ids()


def test_lever_single_posting_and_404s(fake: FakeATS) -> None:
    board = fake.add_board("lever", "globex", size=5, seed=2)
    posting_id = board.ids()[3]
    posting = get_json(f"{fake.url}/v0/postings/globex/{posting_id}")
    assert posting == lever_page(fake, "globex", "")[3]
    for path in ("/v0/postings/nope?mode=json", f"/v0/postings/globex/{uuid.uuid4()}"):
        status, _, body = fetch(fake.url + path)
        assert status == 404
        assert json.loads(body) == {"ok": False, "error": "Document not found"}


# -- Ashby -----------------------------------------------------------------------------------


def test_ashby_shape_and_quirks(fake: FakeATS) -> None:
    board = fake.add_board("ashby", "initech", size=50, seed=3)
    data = ashby_jobs(fake, "initech")
    assert data["apiVersion"] == "1"
    jobs = data["jobs"]
    assert [job["id"] for job in jobs] == board.ids()
    for job in jobs:
        assert set(job) == ASHBY_KEYS
        assert job["employmentType"] in {"FullTime", "PartTime", "Intern", "Contract", "Temporary"}
        assert job["workplaceType"] in {"OnSite", "Remote", "Hybrid", None}
        assert job["jobUrl"] == f"https://jobs.ashbyhq.com/initech/{job['id']}"
        assert job["applyUrl"] == job["jobUrl"] + "/application"
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", job["publishedAt"])
        assert "addressCountry" in job["address"]["postalAddress"]
        assert job["descriptionHtml"].startswith('<p style="min-height:1.5em">')
        assert "<" not in job["descriptionPlain"]
    assert [i for i, job in enumerate(jobs) if not job["isListed"]] == [24, 49]
    assert board.listed_ids() == [job["id"] for job in jobs if job["isListed"]]
    assert len(board.listed_ids()) == 48
    hybrid = jobs[3]
    assert (hybrid["location"], hybrid["isRemote"], hybrid["workplaceType"]) == (
        "Hybrid - London",
        True,
        "Hybrid",
    )
    assert hybrid["address"]["postalAddress"] == {
        "addressLocality": "London",
        "addressRegion": "England",
        "addressCountry": "United Kingdom",
    }
    secondary = jobs[4]["secondaryLocations"]
    assert len(secondary) == 2
    assert all(set(s) == {"location", "address"} for s in secondary)


def test_ashby_compensation_only_when_asked(fake: FakeATS) -> None:
    board = fake.add_board("ashby", "initech", size=30, seed=3)
    assert all("compensation" not in job for job in ashby_jobs(fake, "initech")["jobs"])
    jobs = ashby_jobs(fake, "initech", "?includeCompensation=true")["jobs"]
    assert all("compensation" in job for job in jobs)

    salary = board.posting(board.ids()[1]).salary  # type: ignore[union-attr]
    assert salary is not None
    compensation = jobs[1]["compensation"]
    assert jobs[1]["shouldDisplayCompensationOnJobPostings"] is True
    assert set(compensation) == set(EMPTY_COMPENSATION)
    (tier,) = compensation["compensationTiers"]
    assert set(tier) == {"id", "tierSummary", "title", "additionalInformation", "components"}
    assert tier["tierSummary"] == compensation["compensationTierSummary"]
    (money,) = compensation["summaryComponents"]
    assert money == {
        "compensationType": "Salary",
        "interval": "1 YEAR",
        "currencyCode": salary.currency,
        "minValue": salary.minimum,
        "maxValue": salary.maximum,
    }
    salary_components = [c for c in tier["components"] if c["compensationType"] == "Salary"]
    assert [{k: c[k] for k in money} for c in salary_components] == [money]
    assert " – " in compensation["compensationTierSummary"]
    assert " - " in compensation["scrapeableCompensationSalarySummary"]

    assert jobs[2]["compensation"] == EMPTY_COMPENSATION  # prose-only salary
    assert jobs[2]["shouldDisplayCompensationOnJobPostings"] is False
    prose = board.posting(board.ids()[2])
    assert prose is not None and prose.salary is not None
    assert prose.salary.prose(prose.variant) in jobs[2]["descriptionPlain"]


def test_ashby_unknown_board_is_404(fake: FakeATS) -> None:
    status, _, body = fetch(f"{fake.url}/posting-api/job-board/nope")
    assert status == 404
    assert json.loads(body)["success"] is False


# -- determinism -----------------------------------------------------------------------------

PATHS = {
    "greenhouse": "/v1/boards/acme/jobs?content=true",
    "lever": "/v0/postings/acme?mode=json",
    "ashby": "/posting-api/job-board/acme?includeCompensation=true",
}


@pytest.mark.parametrize("platform", sorted(PATHS))
def test_same_seed_same_body_different_seed_different_body(platform: str) -> None:
    bodies = []
    for seed in (7, 7, 8):
        with FakeATS() as server:
            server.add_board(platform, "acme", size=40, seed=seed)
            status, _, body = fetch(server.url + PATHS[platform])
            assert status == 200
            bodies.append(body)
    assert bodies[0] == bodies[1]
    assert bodies[0] != bodies[2]
    assert (
        len(json.loads(bodies[0]) if platform == "lever" else json.loads(bodies[0])["jobs"]) == 40
    )


def test_different_seeds_give_different_ids() -> None:
    with FakeATS() as server:
        for platform in PATHS:
            a = server.add_board(platform, "a", size=10, seed=1).ids()
            b = server.add_board(platform, "b", size=10, seed=2).ids()
            assert not set(a) & set(b)
            assert len(set(a)) == 10


def test_description_bytes_sets_the_description_size(fake: FakeATS) -> None:
    fake.add_board("greenhouse", "big", size=20, seed=1, description_bytes=4500)
    fake.add_board("greenhouse", "small", size=20, seed=1)
    big = [len(html.unescape(j["content"])) for j in gh_jobs(fake, "big", "?content=true")["jobs"]]
    small = [
        len(html.unescape(j["content"])) for j in gh_jobs(fake, "small", "?content=true")["jobs"]
    ]
    assert all(4500 <= n <= 6000 for n in big), big
    assert all(1500 <= n <= 3000 for n in small), small


# -- mutations -------------------------------------------------------------------------------


def test_remove_and_restore(fake: FakeATS) -> None:
    board = fake.add_board("greenhouse", "acme", size=20, seed=1)
    before = {str(j["id"]): j for j in gh_jobs(fake, query="?content=true")["jobs"]}
    original_ids = board.ids()

    removed = board.remove(2)
    assert len(removed) == 2 and set(removed) <= set(original_ids)
    assert board.ids() == [i for i in original_ids if i not in removed]
    data = gh_jobs(fake, query="?content=true")
    assert data["meta"] == {"total": 18}
    assert [str(j["id"]) for j in data["jobs"]] == board.ids()
    status, _, _ = fetch(f"{fake.url}/v1/boards/acme/jobs/{removed[0]}")
    assert status == 404
    with pytest.raises(ValueError):
        board.restore([original_ids[0] if original_ids[0] not in removed else original_ids[1]])

    assert board.restore(removed) == removed
    assert board.ids() == original_ids
    after = {str(j["id"]): j for j in gh_jobs(fake, query="?content=true")["jobs"]}
    assert after == before


def test_change_edits_content_and_keeps_ids(fake: FakeATS) -> None:
    board = fake.add_board("lever", "globex", size=20, seed=5)
    before = {p["id"]: p for p in lever_page(fake, "globex", "")}
    changed = board.change(3)
    assert len(set(changed)) == 3
    assert board.ids() == list(before)
    after = {p["id"]: p for p in lever_page(fake, "globex", "")}
    for posting_id, posting in after.items():
        if posting_id in changed:
            assert posting["text"] != before[posting_id]["text"]
            assert posting["description"] != before[posting_id]["description"]
            assert posting["createdAt"] == before[posting_id]["createdAt"]
        else:
            assert posting == before[posting_id]


def test_greenhouse_change_bumps_updated_at(fake: FakeATS) -> None:
    board = fake.add_board("greenhouse", "acme", size=10, seed=1)
    before = {str(j["id"]): j for j in gh_jobs(fake)["jobs"]}
    (changed,) = board.change(1)
    job = next(j for j in gh_jobs(fake)["jobs"] if str(j["id"]) == changed)
    assert job["updated_at"] > before[changed]["updated_at"]
    assert job["first_published"] == before[changed]["first_published"]
    assert job["title"] != before[changed]["title"]


def test_add_appends_new_postings(fake: FakeATS) -> None:
    board = fake.add_board("ashby", "initech", size=10, seed=3)
    old = board.ids()
    added = board.add(5)
    assert len(added) == 5 and not set(added) & set(old)
    assert board.ids() == old + added
    assert [j["id"] for j in ashby_jobs(fake, "initech")["jobs"]] == old + added


def test_mutations_are_deterministic() -> None:
    results = []
    for _ in range(2):
        board = FakeATS().add_board("greenhouse", "acme", size=100, seed=9)
        results.append((board.remove(3), board.change(4), board.add(2), board.ids()))
    assert results[0] == results[1]
    with pytest.raises(ValueError):
        FakeATS().add_board("lever", "x", size=3, seed=1).remove(4)


# -- faults ----------------------------------------------------------------------------------


def test_http_500_for_the_first_n_requests(fake: FakeATS) -> None:
    board = fake.add_board("greenhouse", "acme", size=5, seed=1)
    board.set_fault("http_500", times=2)
    url = f"{fake.url}/v1/boards/acme/jobs"
    assert [fetch(url)[0] for _ in range(4)] == [500, 500, 200, 200]
    assert [r.fault for r in fake.requests] == ["http_500", "http_500", None, None]


def test_http_429_sends_retry_after(fake: FakeATS) -> None:
    board = fake.add_board("ashby", "acme", size=5, seed=1)
    board.set_fault("http_429", retry_after=7)
    status, headers, _ = fetch(f"{fake.url}/posting-api/job-board/acme")
    assert status == 429
    assert headers["Retry-After"] == "7"
    board.set_fault("http_429")
    assert fetch(f"{fake.url}/posting-api/job-board/acme")[1]["Retry-After"] == "1"


def test_slow_fault_delays_a_normal_answer(fake: FakeATS) -> None:
    board = fake.add_board("greenhouse", "acme", size=5, seed=1)
    normal = fetch(f"{fake.url}/v1/boards/acme/jobs")[2]
    board.set_fault("slow", delay=0.3, times=1)
    started = time.monotonic()
    status, _, body = fetch(f"{fake.url}/v1/boards/acme/jobs")
    assert time.monotonic() - started >= 0.3
    assert (status, body) == (200, normal)


@pytest.mark.parametrize("platform", sorted(PATHS))
def test_truncated_fault_cuts_the_body_in_half(fake: FakeATS, platform: str) -> None:
    board = fake.add_board(platform, "acme", size=5, seed=1)
    url = fake.url + PATHS[platform]
    normal = fetch(url)[2]
    board.set_fault("truncated", times=1)
    status, _, body = fetch(url)
    assert status == 200
    assert body == normal[: len(normal) // 2]
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    assert fetch(url)[2] == normal


def test_invalid_json_and_html_faults(fake: FakeATS) -> None:
    board = fake.add_board("lever", "acme", size=5, seed=1)
    url = f"{fake.url}/v0/postings/acme?mode=json"
    board.set_fault("invalid_json", times=1)
    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    with pytest.raises(json.JSONDecodeError):
        json.loads(body)
    board.set_fault("html", times=1)
    status, headers, body = fetch(url)
    assert status == 200 and headers["Content-Type"].startswith("text/html")
    assert body.startswith(b"<!DOCTYPE html>")
    assert len(json.loads(fetch(url)[2])) == 5


def test_empty_fault_answers_each_platform_empty_shape(fake: FakeATS) -> None:
    expected = {
        "greenhouse": {"jobs": [], "meta": {"total": 0}},
        "lever": [],
        "ashby": {"apiVersion": "1", "jobs": []},
    }
    for platform, path in PATHS.items():
        fake.add_board(platform, "acme", size=5, seed=1).set_fault("empty")
        assert get_json(fake.url + path) == expected[platform]


def test_page_fault_hits_only_that_lever_page(fake: FakeATS) -> None:
    board = fake.add_board("lever", "acme", size=25, seed=1)
    board.set_fault("http_500", page=1)
    statuses = [
        fetch(f"{fake.url}/v0/postings/acme?mode=json&skip={skip}&limit=10")[0]
        for skip in (0, 10, 20, 10)
    ]
    assert statuses == [200, 500, 200, 500]


def test_faults_spare_detail_requests_and_clear(fake: FakeATS) -> None:
    board = fake.add_board("greenhouse", "acme", size=5, seed=1)
    board.set_fault("http_500")
    assert fetch(f"{fake.url}/v1/boards/acme/jobs/{board.ids()[0]}")[0] == 200
    assert fetch(f"{fake.url}/v1/boards/acme/jobs")[0] == 500
    board.clear_faults()
    assert fetch(f"{fake.url}/v1/boards/acme/jobs")[0] == 200


def test_latest_fault_wins_until_used_up(fake: FakeATS) -> None:
    board = fake.add_board("greenhouse", "acme", size=5, seed=1)
    board.set_fault("http_500")
    board.set_fault("empty", times=1)
    url = f"{fake.url}/v1/boards/acme/jobs"
    assert get_json(url) == {"jobs": [], "meta": {"total": 0}}
    assert fetch(url)[0] == 500


def test_bad_fault_specs_are_rejected() -> None:
    board = FakeATS().add_board("greenhouse", "acme", size=1, seed=1)
    with pytest.raises(ValueError):
        board.set_fault("meltdown")
    with pytest.raises(ValueError):
        board.set_fault("http_500", delay=3)
    with pytest.raises(ValueError):
        board.set_fault("slow", times=-1)


# -- request log, admin API, misc ------------------------------------------------------------


def test_request_log_records_kind_and_status(fake: FakeATS) -> None:
    board = fake.add_board("greenhouse", "acme", size=3, seed=1)
    fetch(f"{fake.url}/v1/boards/acme/jobs?content=true")
    fetch(f"{fake.url}/v1/boards/acme/jobs/{board.ids()[0]}")
    fetch(f"{fake.url}/robots.txt")
    log = fake.requests
    assert [(r.method, r.kind, r.status) for r in log] == [
        ("GET", "list", 200),
        ("GET", "detail", 200),
        ("GET", "other", 404),
    ]
    assert log[0].path == "/v1/boards/acme/jobs"
    assert log[0].target == "/v1/boards/acme/jobs?content=true"
    assert log[0].query == {"content": "true"}
    assert (log[0].platform, log[0].token) == ("greenhouse", "acme")
    assert fake.clear_requests() == 3
    assert fake.requests == []


def test_admin_api_round_trip(fake: FakeATS) -> None:
    admin = f"{fake.url}/_fake"
    status, info = call(
        f"{admin}/boards", "POST", {"platform": "lever", "token": "globex", "size": 12, "seed": 4}
    )
    assert status == 200 and info["size"] == 12
    status, data = call(f"{admin}/boards/lever/globex")
    assert status == 200
    assert data["ids"] == fake.board("lever", "globex").ids()
    assert data["ids"] == [p["id"] for p in lever_page(fake, "globex", "")]

    status, result = call(
        f"{admin}/boards/lever/globex/mutate", "POST", {"remove": 2, "change": 1, "add": 3}
    )
    assert status == 200
    assert len(result["removed"]) == 2 and len(result["changed"]) == 1
    assert len(result["added"]) == 3 and result["restored"] == []
    ids = call(f"{admin}/boards/lever/globex")[1]["ids"]
    assert len(ids) == 13 and ids[-3:] == result["added"]
    status, restored = call(
        f"{admin}/boards/lever/globex/mutate", "POST", {"restore": result["removed"]}
    )
    assert restored["restored"] == result["removed"]

    status, faults = call(
        f"{admin}/boards/lever/globex/fault", "POST", {"kind": "http_429", "times": 1}
    )
    assert faults["faults"] == [{"kind": "http_429", "times": 1, "page": None, "retry_after": 1}]
    assert fetch(f"{fake.url}/v0/postings/globex?mode=json")[0] == 429
    call(f"{admin}/boards/lever/globex/fault", "POST", {"kind": "http_500"})
    assert call(f"{admin}/boards/lever/globex/fault", "POST", {"kind": None})[1]["faults"] == []
    assert fetch(f"{fake.url}/v0/postings/globex?mode=json")[0] == 200

    status, logged = call(f"{admin}/requests")
    assert [(r["kind"], r["status"], r["fault"]) for r in logged["requests"]] == [
        ("list", 200, None),
        ("list", 429, "http_429"),
        ("list", 200, None),
    ]
    assert call(f"{admin}/requests", "DELETE")[1] == {"cleared": 3}
    assert call(f"{admin}/requests")[1] == {"requests": []}

    assert call(f"{admin}/boards", "POST", {"platform": "nope", "token": "x"})[0] == 400
    assert call(f"{admin}/boards/lever/missing")[0] == 404
    assert call(f"{admin}/boards/lever/globex/fault", "POST", {"kind": "bad"})[0] == 400
    assert call(f"{admin}/boards/lever/globex", "DELETE")[1] == {"deleted": True}
    assert fetch(f"{fake.url}/v0/postings/globex?mode=json")[0] == 404


def test_robots_and_unknown_paths_are_404(fake: FakeATS) -> None:
    assert fetch(f"{fake.url}/robots.txt")[0] == 404
    assert fetch(f"{fake.url}/v2/whatever")[0] == 404


def test_size_zero_boards(fake: FakeATS) -> None:
    for platform in PATHS:
        fake.add_board(platform, "acme", size=0, seed=1)
    assert gh_jobs(fake, query="?content=true") == {"jobs": [], "meta": {"total": 0}}
    assert lever_page(fake, "acme", "&skip=0&limit=10") == []
    assert ashby_jobs(fake) == {"apiVersion": "1", "jobs": []}


def test_hundred_thousand_posting_greenhouse_board(fake: FakeATS) -> None:
    board = fake.add_board("greenhouse", "huge", size=100_000, seed=1)
    data = gh_jobs(fake, "huge")
    assert data["meta"] == {"total": 100_000}
    assert len(data["jobs"]) == 100_000
    assert data["jobs"][0]["id"] == 4_001_000_000
    assert data["jobs"][-1]["id"] == 4_001_099_999
    assert len(set(board.ids())) == 100_000


def test_board_api_errors() -> None:
    server = FakeATS()
    with pytest.raises(ValueError):
        server.add_board("nosuch", "acme")
    with pytest.raises(ValueError):
        server.add_board("greenhouse", "acme", size=100_001)
    with pytest.raises(RuntimeError):
        _ = server.url
    assert isinstance(server.add_board("greenhouse", "acme", size=1), Board)


def test_cli_serves_boards_until_sigterm() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "fakeats", "--port", "0", "--board", "lever:cli:7:3"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"fake ATS listening on (http://127\.0\.0\.1:\d+)\n", line)
        assert match, line
        postings = get_json(f"{match.group(1)}/v0/postings/cli?mode=json")
        assert len(postings) == 7
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
