"""`make bench` figures for the API: search and `/changes` over HTTP on 100,000 postings.

`BENCH_API_POSTINGS` postings (default 100,000) of 2,000 companies (a few large, most
small) are generated in PostgreSQL by INSERT ... SELECT (bench_export's `fill`). Each
posting belongs to one of eight fields (engineering, data, sales, ...); its title is a
seniority and a role of its field, its description (~3.5 KB) eight paragraphs drawn from a
pool written for its field: common words follow a Zipf-like law, field words (with
phrases such as "machine learning") appear mostly in their field, so some words are
correlated. Places, salaries (60%), statuses (85% active, 10% removed, 5% stale) and
events (created for all, updated 20%, removed, removed and reopened 3%) come with them.
Then a real `serve` process answers a mix of searches (p50/p95 of `REPEAT` requests
each) and 1,000-event `/changes` pages (the first and a later one), timed by the client.
Targets (issue 10): search p95 < 100 ms, a 1,000-event page < 50 ms.
`python -m tests.bench_api` runs these figures alone.
"""

from __future__ import annotations

import os
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from tests.bench_export import fill
from tests.helpers.api import serve_process

POSTINGS = int(os.environ.get("BENCH_API_POSTINGS", "100000"))
COMPANIES = 2_000
REPEAT = 30
#: A word in one posting of 2,000.
RARE = "zeppelin"
PARAGRAPHS = 200  # per field
#: The words every field's text shares, most frequent first.
COMMON = (
    "the and to of a in you we our with for is are will be your team on as work this that "
    "experience an or have at from skills who us by all role can what it about new help "
    "build people across strong ability company working customers support products environment "
    "opportunity more benefits growth join culture including within time make best part "
    "communication responsibilities requirements years knowledge collaborate drive impact "
    "great world also other high learn develop ensure success process together day plan "
    "looking business solutions based needs own mission diverse inclusive equal employer "
    "remote office flexible health insurance paid leave salary equity bonus training"
)
FIELDS: dict[str, tuple[tuple[str, ...], str]] = {
    "Engineering": (
        ("Software Engineer", "Backend Engineer", "Frontend Engineer", "Platform Engineer",
         "Site Reliability Engineer", "Engineering Manager"),
        "code systems services api distributed python go java kubernetes cloud infrastructure "
        "reliability testing deploy review architecture scalable backend frontend typescript "
        "react databases postgresql latency microservices observability oncall incidents",
    ),
    "Data": (
        ("Data Scientist", "Data Engineer", "Machine Learning Engineer", "Analytics Engineer",
         "Data Analyst", "Research Scientist"),
        "machine learning data models pipelines analytics statistics python sql experiments "
        "features training inference spark warehouse dbt dashboards insights metrics "
        "forecasting deep neural research evaluation datasets modeling regression airflow",
    ),
    "Sales": (
        ("Account Executive", "Sales Development Representative", "Sales Manager",
         "Enterprise Account Executive", "Solutions Engineer", "Partner Manager"),
        "sales pipeline quota revenue accounts prospects deals closing enterprise crm "
        "salesforce territory negotiation forecast outbound leads demos buyers contracts "
        "relationships upsell renewals commission targets discovery champions",
    ),
    "Marketing": (
        ("Product Marketing Manager", "Content Marketing Manager", "Growth Marketer",
         "Brand Designer", "Marketing Operations Manager", "SEO Specialist"),
        "marketing brand campaigns content audience messaging positioning launches seo "
        "channels demand generation social media copy events webinars funnel conversion "
        "analytics storytelling awareness newsletters agencies budget creative",
    ),
    "Customer Success": (
        ("Customer Success Manager", "Support Engineer", "Technical Account Manager",
         "Customer Support Specialist", "Implementation Consultant", "Onboarding Specialist"),
        "customer success support onboarding adoption retention churn tickets escalations "
        "satisfaction renewals accounts training documentation zendesk relationships "
        "feedback advocacy implementation health scores issues resolution",
    ),
    "Finance": (
        ("Financial Analyst", "Accountant", "Controller", "FP&A Manager", "Payroll Specialist",
         "Tax Manager"),
        "finance accounting reporting budgets forecasting audit tax payroll ledger "
        "reconciliation close gaap ifrs excel models variance compliance treasury invoices "
        "expenses controls statements revenue recognition netsuite",
    ),
    "People": (
        ("Recruiter", "Talent Acquisition Partner", "People Partner", "HR Generalist",
         "Learning and Development Lead", "Recruiting Coordinator"),
        "hiring recruiting candidates interviews talent sourcing onboarding employees "
        "benefits compensation policies performance engagement culture diversity inclusion "
        "hris workday offers pipeline stakeholders employer branding",
    ),
    "Operations": (
        ("Operations Manager", "Program Manager", "Supply Chain Analyst", "Project Manager",
         "Business Operations Analyst", "Office Manager"),
        "operations logistics supply chain vendors processes efficiency planning inventory "
        "procurement programs projects stakeholders timelines execution facilities "
        "coordination reporting improvement scheduling quality safety warehouse",
    ),
}  # fmt: skip
SENIORITY = ("", "Senior", "Staff", "Junior", "Lead", "Principal", "Associate", "Senior")
PLACES = (
    ("Berlin", "Berlin", "DE", "EUR"), ("Munich", "Bavaria", "DE", "EUR"),
    ("London", "England", "GB", "GBP"), ("Manchester", "England", "GB", "GBP"),
    ("Paris", "Ile-de-France", "FR", "EUR"), ("Amsterdam", "North Holland", "NL", "EUR"),
    ("New York", "NY", "US", "USD"), ("San Francisco", "CA", "US", "USD"),
    ("Austin", "TX", "US", "USD"), ("Seattle", "WA", "US", "USD"),
    ("Chicago", "IL", "US", "USD"), ("Boston", "MA", "US", "USD"),
    ("Toronto", "ON", "CA", "CAD"), ("Dublin", "Leinster", "IE", "EUR"),
    ("Madrid", "Madrid", "ES", "EUR"), ("Warsaw", "Masovia", "PL", "PLN"),
    ("Bangalore", "Karnataka", "IN", "INR"), ("Sydney", "NSW", "AU", "AUD"),
    ("Singapore", None, "SG", "SGD"), ("Zurich", "Zurich", "CH", "CHF"),
)  # fmt: skip


def paragraphs(rng: random.Random, field_words: list[str]) -> list[str]:
    """A field's pool: 60-word paragraphs, common words Zipf-distributed, a quarter field
    words (also Zipf), where a phrase keeps its words together."""
    common = COMMON.split()
    phrases = [w.replace("_", " ") for w in field_words]
    common_weights = [1 / (rank + 1) for rank in range(len(common))]
    field_weights = [1 / (rank + 1) ** 0.7 for rank in range(len(phrases))]
    pool = []
    for _ in range(PARAGRAPHS):
        words = rng.choices(common, common_weights, k=45)
        words += rng.choices(phrases, field_weights, k=15)
        rng.shuffle(words)
        pool.append(" ".join(words).capitalize() + ".")
    return pool


def _field_words(words: str) -> list[str]:
    """Field vocabulary with its two-word phrases joined ("machine learning" stays one)."""
    return (
        words.replace("machine learning", "machine_learning")
        .replace("supply chain", "supply_chain")
        .split()
    )


def statements() -> list[str]:
    """The generator SQL: paragraphs in a scratch table, then companies, postings, places,
    events, all from generate_series (seeded: every run builds the same data)."""
    rng = random.Random(10)
    pool = [
        (field, n, text)
        for field, (_, words) in enumerate(FIELDS.values())
        for n, text in enumerate(paragraphs(rng, _field_words(words)))
    ]
    values = ",".join(f"({f},{n},'{t}')" for f, n, t in pool)
    roles = ",".join(
        "ARRAY[" + ",".join(f"'{r}'" for r in field_roles) + "]"
        for field_roles, _ in FIELDS.values()
    )
    departments = ",".join(f"'{d}'" for d in FIELDS)
    seniority = ",".join(f"'{s}'" for s in SENIORITY)
    places = ",".join(
        f"({i},'{c}',{repr(r) if r else 'NULL'},'{k}','{m}')"
        for i, (c, r, k, m) in enumerate(PLACES)
    )
    # eight paragraphs per posting, picked from its field's pool by mixing its number
    picks = ", ".join(
        f"(s.i::bigint * {p} + {k * 37}) % {PARAGRAPHS}"
        for k, p in enumerate((7919, 104729, 1299709, 15485863, 179424673, 3, 31, 127))
    )
    return [
        "SELECT setseed(0.1)",
        "CREATE TEMP TABLE bench_pool (f int, n int, t text, PRIMARY KEY (f, n)) ON COMMIT DROP",
        f"INSERT INTO bench_pool VALUES {values}",
        "ANALYZE bench_pool",
        "CREATE TEMP TABLE bench_place (n int, city text, region text, country text,"
        " currency text) ON COMMIT DROP",
        f"INSERT INTO bench_place VALUES {places}",
        f"""INSERT INTO companies (slug, name, ats, board)
        SELECT 'company-' || c, 'Company ' || c, 'greenhouse', 'company-' || c
        FROM generate_series(1, {COMPANIES}) AS c""",
        f"""CREATE TEMP TABLE bench_seed ON COMMIT DROP AS
        SELECT i, floor(random() * 8)::int AS field, random() AS r, random() AS pay,
            floor({COMPANIES} * power(random(), 2))::int + 1 AS company,
            floor({len(PLACES)} * power(random(), 1.5))::int AS place,
            now() - random() * interval '180 days' AS seen
        FROM generate_series(1, :n) AS i""",
        f"""INSERT INTO job_postings (company_id, external_id, title, url, apply_url, location,
            city, region, country, remote_type, employment_type, department, team,
            salary_min, salary_max, salary_currency, salary_period, posted_at,
            description_html, description, content_hash, list_hash, status, first_seen_at,
            last_seen_at, removed_at)
        SELECT c.id, s.i::text,
            ltrim((ARRAY[{seniority}])[(s.i / 7) % {len(SENIORITY)} + 1] || ' '
                || (ARRAY[{roles}])[s.field + 1][s.i % 6 + 1]),
            'https://boards.example.com/c' || s.company || '/jobs/' || s.i,
            'https://boards.example.com/c' || s.company || '/jobs/' || s.i || '/apply',
            pl.city || ', ' || pl.country, pl.city, pl.region, pl.country,
            (ARRAY['onsite', 'hybrid', 'remote', NULL])[s.i % 4 + 1],
            (ARRAY['full_time', 'full_time', 'full_time', 'part_time', 'contract'])[s.i % 5 + 1],
            (ARRAY[{departments}])[s.field + 1], NULL,
            CASE WHEN s.pay < 0.6 THEN round(40000 + s.pay::numeric * 150000, -3) END,
            CASE WHEN s.pay < 0.6 THEN round(60000 + s.pay::numeric * 200000, -3) END,
            CASE WHEN s.pay < 0.6 THEN pl.currency END, CASE WHEN s.pay < 0.6 THEN 'year' END,
            CASE WHEN s.i % 5 <> 0 THEN s.seen - (s.i % 10) * interval '1 day' END,
            '<p>' || d.text || '</p>', d.text, md5(s.i::text), md5(s.i::text),
            CASE WHEN s.r < 0.85 THEN 'active' WHEN s.r < 0.95 THEN 'removed' ELSE 'stale' END,
            s.seen, now(), CASE WHEN s.r >= 0.85 AND s.r < 0.95 THEN now() END
        FROM bench_seed s JOIN bench_place pl ON pl.n = s.place
            JOIN companies c ON c.slug = 'company-' || s.company,
            LATERAL (SELECT string_agg(b.t, ' ' ORDER BY k.o)
                || CASE WHEN s.i % 2000 = 7 THEN ' {RARE} aboard.' ELSE '' END AS text
                FROM unnest(ARRAY[{picks}]) WITH ORDINALITY AS k (n, o)
                JOIN bench_pool b ON b.f = s.field AND b.n = k.n) d
        ORDER BY s.seen""",
        """INSERT INTO posting_locations (posting_id, position, city, region, country, raw)
        SELECT id, 0, city, region, country, location FROM job_postings
        UNION ALL
        SELECT id, 1, 'Remote', NULL, country, 'Remote' FROM job_postings WHERE id % 10 = 0""",
        # one feed in time order: created for all, then updated, removed, reopened
        """INSERT INTO job_events (posting_id, kind, at, changes)
        SELECT id, kind, at, changes FROM (
            SELECT id, 'created' AS kind, first_seen_at AS at, NULL::json AS changes
            FROM job_postings
            UNION ALL
            SELECT id, 'updated', first_seen_at + interval '3 days',
                json_build_object('title', json_build_object('old', title || ' (old)',
                    'new', title))
            FROM job_postings WHERE id % 5 = 1
            UNION ALL
            SELECT id, 'removed', first_seen_at + interval '5 days', NULL
            FROM job_postings WHERE status = 'removed' OR id % 33 = 2
            UNION ALL
            SELECT id, 'reopened', first_seen_at + interval '6 days', NULL
            FROM job_postings WHERE id % 33 = 2 AND status <> 'removed'
        ) e ORDER BY at, id""",
    ]


#: (name, query string) of the searches timed; "deep" ones are timed at page DEPTH.
SEARCHES = (
    ("common word", "q=experience"),
    ("two correlated words", "q=machine+learning"),
    ("two correlated words", "q=customer+success"),
    ("rare word", f"q={RARE}"),
    ("absent word", "q=xylophone"),
    ("filters only", "country=DE&remote_type=remote"),
    ("filters only", "company=company-1&status=any"),
    ("filters only", "salary_min=150000&currency=USD"),
    ("filters + text", "q=python&country=US"),
    ("filters + text", "q=quota&city=London&employment_type=full_time"),
    ("sort first_seen", "sort=first_seen"),
    ("sort -first_seen", "sort=-first_seen&q=team"),
    ("sort posted", "sort=posted&q=sql"),
    ("sort -posted", "sort=-posted"),
    ("deep page", "q=experience"),
    ("deep page", "sort=posted&country=US"),
)
DEPTH = 20
FEED_PAGE = 1000


def timed(get: Callable[[str], httpx.Response], path: str) -> tuple[float, dict]:
    """(seconds, JSON) of one GET that must succeed."""
    started = time.perf_counter()
    response = get(path)
    seconds = time.perf_counter() - started
    response.raise_for_status()
    return seconds, response.json()


def percentiles(samples: list[float]) -> tuple[float, float]:
    """(p50, p95) in ms."""
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return cuts[9] * 1000, cuts[18] * 1000


def deep_cursor(get: Callable[[str], httpx.Response], query: str) -> str:
    """The `after` of page DEPTH of a search."""
    after = None
    for _ in range(DEPTH - 1):
        _, page = timed(get, f"/postings?{query}" + (f"&after={after}" if after else ""))
        after = page["next"]
    return after


def search_figures(get: Callable[[str], httpx.Response]) -> list[str]:
    lines, worst = [], 0.0
    for name, query in SEARCHES:
        path = f"/postings?{query}"
        if name == "deep page":
            path += f"&after={deep_cursor(get, query)}"
        timed(get, path)  # warm
        samples = []
        for _ in range(REPEAT):
            seconds, page = timed(get, path)
            samples.append(seconds)
        p50, p95 = percentiles(samples)
        worst = max(worst, p95)
        lines.append(
            f"  {name:<22} {query:<46} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms"
            f"  [{len(page['postings'])} rows]"
        )
    return [f"search: worst p95 {worst:.1f} ms (target < 100 ms)", *lines]


def feed_figures(get: Callable[[str], httpx.Response]) -> list[str]:
    """Follow the whole feed in 1,000-event pages, then time the first and a later page."""
    deadline = time.monotonic() + 300
    while not timed(get, f"/changes?limit={FEED_PAGE}")[1]["more"]:
        assert time.monotonic() < deadline, "the feed held the events back for 5 minutes"
        time.sleep(1)  # another session's open transaction holds the horizon
    after, pages, cursors, events = None, [], [], 0
    while True:
        path = f"/changes?limit={FEED_PAGE}" + (f"&after={after}" if after else "")
        seconds, page = timed(get, path)
        pages.append(seconds)
        cursors.append(after)
        events += len(page["events"])
        after = page["next"]
        if not page["more"]:
            break
    later = cursors[len(cursors) * 3 // 4]
    lines = [
        f"changes: followed {events:,} events in {len(pages)} pages of {FEED_PAGE:,}:"
        f" median {statistics.median(pages) * 1000:.1f} ms, slowest {max(pages) * 1000:.1f} ms"
    ]
    for name, cursor in (("first page", None), ("a later page", later)):
        path = f"/changes?limit={FEED_PAGE}" + (f"&after={cursor}" if cursor else "")
        response = get(path)
        samples = [timed(get, path)[0] for _ in range(REPEAT)]
        p50, p95 = percentiles(samples)
        lines.append(
            f"  {name:<14} p50 {p50:6.1f} ms  p95 {p95:6.1f} ms  ({len(response.content) / 1e6:.1f} MB)"
            " (target < 50 ms)"
        )
    return lines


def figures(db_url: str, count: int = POSTINGS) -> list[str]:
    """The API lines `make bench` prints (`db_url`: an empty PostgreSQL database)."""
    seconds = fill(db_url, statements(), n=count)
    lines = [f"api: {count:,} postings of {COMPANIES:,} companies generated in {seconds:.0f} s"]
    with (
        tempfile.TemporaryDirectory() as folder,
        serve_process(db_url, Path(folder)) as base,
        httpx.Client(base_url=base, timeout=60) as client,
    ):
        lines += search_figures(client.get)
        lines += feed_figures(client.get)
    return lines


if __name__ == "__main__":
    from tests.benchmark import postgres

    with postgres() as url:
        print("\n".join(figures(url)))
