"""The company catalog: YAML shapes, defaults and the errors people will see."""

import textwrap
import time
from pathlib import Path

import pytest

from jobcrawler.catalog import (
    DEFAULT_SCHEDULE,
    MAX_FILE_BYTES,
    catalog_files,
    load_catalog,
    slugify,
)


def write(directory: Path, name: str, body: str) -> None:
    (directory / name).write_text(textwrap.dedent(body), encoding="utf-8")


def messages(catalog) -> list[str]:
    return [str(error) for error in catalog.errors]


def test_one_company_per_file_with_defaults(tmp_path):
    write(tmp_path, "acme.yaml", "name: Acme Corp.\nats: greenhouse\nboard: acme\n")
    catalog = load_catalog(tmp_path)
    assert catalog.errors == []
    [company] = catalog.companies
    assert company.slug == "acme_corp"
    assert (company.active, company.schedule, company.priority) == (True, DEFAULT_SCHEDULE, 0)
    assert company.settings == {} and company.base_url is None and company.max_removal_ratio is None


def test_many_companies_per_file_and_all_keys(tmp_path):
    write(
        tmp_path,
        "many.yml",
        """\
        - name: Globex
          ats: lever
          board: globex
          base_url: https://api.eu.lever.co/
          active: false
          schedule: "30 6 * * 1-5"
          priority: 5
          settings: {ROBOTSTXT_OBEY: false}
          max_removal_ratio: 1
        - name: Initech
          slug: initech_jobs
          ats: ashby
          board: initech
        """,
    )
    catalog = load_catalog(tmp_path)
    assert catalog.errors == []
    globex, initech = catalog.companies
    assert globex.base_url == "https://api.eu.lever.co"
    assert (globex.active, globex.schedule, globex.priority) == (False, "30 6 * * 1-5", 5)
    assert globex.settings == {"ROBOTSTXT_OBEY": False}
    assert globex.max_removal_ratio == 1.0
    assert initech.slug == "initech_jobs"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "name: A\nats: workdayx\nboard: a\n",
            "bad.yaml:2: company 'A': key 'ats': unknown ATS 'workdayx'",
        ),
        ("name: A\nats: lever\n", "bad.yaml:1: company 'A': key 'board': required for ats 'lever'"),
        (
            "name: A\nats: lever\nboard: a\nboards: b\n",
            "bad.yaml:4: company 'A': key 'boards': unknown key",
        ),
        ("ats: lever\nboard: a\n", "bad.yaml:1: key 'name': required key is missing"),
        (
            "name: A\nats: lever\nboard: a\nschedule: '61 * * * *'\n",
            "bad.yaml:4: company 'A': key 'schedule': schedule '61 * * * *' is not a valid cron",
        ),
        (
            "name: A\nats: lever\nboard: a\npriority: high\n",
            "bad.yaml:4: company 'A': key 'priority': Input should be a valid integer (got 'high')",
        ),
        (
            "name: A\nats: lever\nboard: a\nactive: 'no'\n",
            "bad.yaml:4: company 'A': key 'active': Input should be a valid boolean",
        ),
        (
            "name: A\nats: lever\nboard: a\nslug: Bad-Slug\n",
            "bad.yaml:4: company 'A': key 'slug': slug 'Bad-Slug' must match [a-z0-9_]+",
        ),
        (
            "name: A\nats: lever\nboard: a\nbase_url: ftp://x\n",
            "bad.yaml:4: company 'A': key 'base_url': base_url 'ftp://x' must be an http(s) URL",
        ),
        (
            "name: A\nats: lever\nboard: a\nmax_removal_ratio: 2\n",
            "bad.yaml:4: company 'A': key 'max_removal_ratio': Input should be less than or equal to 1",
        ),
        (
            "name: A\nats: lever\nboard: a\nbase_url: http://x y\n",
            "bad.yaml:4: company 'A': key 'base_url': base_url 'http://x y' must be an http(s) URL",
        ),
        (
            "name: A\nats: lever\nboard: a\nboard: b\n",
            "bad.yaml:4: company 'A': key 'board': key given twice",
        ),
        (
            "name: '!!!'\nats: lever\nboard: a\n",
            "bad.yaml:1: company '!!!': key 'slug': slug '' must match [a-z0-9_]+",
        ),
        ("- just a string\n", "bad.yaml:1: a company must be a mapping"),
        ("name: A\nats: [lever\n", "bad.yaml:3: invalid YAML"),
    ],
)
def test_errors_name_file_line_company_and_key(tmp_path, body, expected):
    write(tmp_path, "bad.yaml", body)
    write(tmp_path, "good.yaml", "name: Good\nats: greenhouse\nboard: good\n")
    catalog = load_catalog(tmp_path)
    assert [c.slug for c in catalog.companies] == ["good"]
    [message] = messages(catalog)
    assert message.startswith(f"{tmp_path}/{expected}"), message


def test_duplicate_slug_keeps_the_first(tmp_path):
    write(tmp_path, "a.yaml", "name: Acme\nats: greenhouse\nboard: a\n")
    write(
        tmp_path,
        "b.yaml",
        "- name: Other\n  ats: lever\n  board: b\n- name: ACME\n  ats: lever\n  board: c\n",
    )
    catalog = load_catalog(tmp_path)
    assert [(c.slug, c.ats) for c in catalog.companies] == [
        ("acme", "greenhouse"),
        ("other", "lever"),
    ]
    assert messages(catalog) == [
        f"{tmp_path}/b.yaml:4: company 'ACME': key 'slug': duplicate slug 'acme' (first defined at {tmp_path}/a.yaml:1)"
    ]


def test_environment_variable_replaces_packaged_catalog(tmp_path, monkeypatch):
    write(tmp_path, "only.yaml", "name: Only\nats: ashby\nboard: only\n")
    monkeypatch.setenv("JOBCRAWLER_COMPANIES_DIR", str(tmp_path))
    assert [c.slug for c in load_catalog().companies] == ["only"]
    monkeypatch.setenv("JOBCRAWLER_COMPANIES_DIR", str(tmp_path / "missing"))
    with pytest.raises(FileNotFoundError, match="missing is not a directory"):
        load_catalog()


def test_packaged_starter_catalog_is_valid(monkeypatch):
    monkeypatch.delenv("JOBCRAWLER_COMPANIES_DIR", raising=False)
    catalog = load_catalog()
    assert catalog.errors == []
    assert len(catalog.companies) >= 15
    assert {c.ats for c in catalog.companies} == {"greenhouse", "lever", "ashby"}
    assert all(name.startswith("companies/") for name, _ in catalog_files())


def test_slugify():
    assert slugify("Mistral AI") == "mistral_ai"
    assert slugify("  A&B Co.  ") == "a_b_co"
    assert slugify("Zürich Versicherung") == "zurich_versicherung"


def test_unreadable_file_hides_no_other_company(tmp_path):
    (tmp_path / "latin1.yaml").write_bytes(
        "name: Café\nats: lever\nboard: cafe\n".encode("latin-1")
    )
    write(tmp_path, "good.yaml", "name: Good\nats: greenhouse\nboard: good\n")
    catalog = load_catalog(tmp_path)
    assert [c.slug for c in catalog.companies] == ["good"]
    [message] = messages(catalog)
    assert message.startswith(f"{tmp_path}/latin1.yaml: cannot read the file"), message


def test_ten_thousand_companies_load_without_errors(tmp_path):
    body = "".join(
        f"- name: Company {i}\n  ats: greenhouse\n  board: c{i}\n" for i in range(10_000)
    )
    write(tmp_path, "big.yaml", body)
    catalog = load_catalog(tmp_path)
    assert len(catalog.companies) == 10_000 and catalog.errors == []


def bomb(levels: int = 9) -> str:
    """A "billion laughs" value: each level aliases the one below 9 times."""
    lines = ['    a0: &a0 "lol"']
    for level in range(1, levels + 1):
        lines.append(f"    a{level}: &a{level} [{', '.join([f'*a{level - 1}'] * 9)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "body",
    [
        "name: Bomb\nats: lever\nboard: b\nsettings:\n" + bomb(),
        "name: Bomb\nats: lever\nboard: b\nlaughs:\n" + bomb(),
        "- name: Bomb\n  ats: lever\n  board: b\n  settings:\n" + bomb(),
    ],
)
def test_alias_bomb_is_refused_with_file_and_line(tmp_path, body):
    write(tmp_path, "bomb.yaml", body)
    write(tmp_path, "good.yaml", "name: Good\nats: greenhouse\nboard: good\n")
    started = time.perf_counter()
    catalog = load_catalog(tmp_path)
    assert time.perf_counter() - started < 2  # sanity only; the bound is on expanded nodes
    assert [c.slug for c in catalog.companies] == ["good"]
    [message] = messages(catalog)
    assert message.startswith(f"{tmp_path}/bomb.yaml:10: invalid YAML: aliases expand"), message


def test_errors_never_expand_aliased_input(tmp_path):
    # within the alias bound, but spelled out *a3 is 729 "lol"s
    write(tmp_path, "big.yaml", "x:\n" + bomb(3) + "name: *a3\nats: lever\nboard: b\n")
    [message] = messages(load_catalog(tmp_path))
    assert "key 'name': Input should be a valid string (got [[[" in message
    assert len(message) < 300 + len(str(tmp_path)), message


def test_file_over_the_size_limit_is_refused_unparsed(tmp_path):
    padding = "#" * 100 + "\n"
    body = "name: Big\nats: lever\nboard: big\n" + padding * (MAX_FILE_BYTES // len(padding) + 1)
    write(tmp_path, "big.yaml", body)
    write(tmp_path, "good.yaml", "name: Good\nats: greenhouse\nboard: good\n")
    write(tmp_path, "limit.yaml", "name: Limit\nats: lever\nboard: l\n".ljust(MAX_FILE_BYTES, "#"))
    catalog = load_catalog(tmp_path)
    assert [c.slug for c in catalog.companies] == ["good", "limit"]
    assert messages(catalog) == [f"{tmp_path}/big.yaml: file larger than 2 MB; split it into files"]
