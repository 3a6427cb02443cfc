"""Deterministic, platform-neutral job postings.

Posting `index` of a board is a pure function of `(seed, index, revision)`, so a board of
100,000 postings costs nothing until it is rendered, and a removed posting comes back
identical. Platform modules turn a `Posting` into each ATS's own JSON shape.

Guaranteed cases, by `index % 25` (so even a 25-posting board has each of them):
1 structured yearly salary, 2 salary only in the description prose, 3 "Hybrid - London"
with the vendor remote flag set (Ashby `isRemote: true` + `workplaceType: "Hybrid"`),
4 three locations, 24 unlisted (Ashby `isListed: false`). All other postings are random.
"""

from __future__ import annotations

import bisect
import functools
import hashlib
import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from . import vocab

T = TypeVar("T")

BASE_EPOCH_MS = 1_735_689_600_000  # 2025-01-01T00:00:00Z: every date is this plus an offset
DAY_MS = 86_400_000

UNLISTED_SLOT = 24
SLOT_PERIOD = 25


class Draw:
    """Deterministic stream of choices keyed by integers (blake2b blocks, read by divmod).

    `random.Random` costs more to seed than the dozen values a posting needs, and a
    100,000-posting board needs one stream per posting.
    """

    __slots__ = ("_block", "_key", "_x")

    def __init__(self, *key: int) -> None:
        self._key = ",".join(map(str, key)).encode()
        self._block = 0
        self._x = self._refill()

    def _refill(self) -> int:
        data = self._key + b"/%d" % self._block
        self._block += 1
        return int.from_bytes(hashlib.blake2b(data, digest_size=64).digest(), "little")

    def below(self, n: int) -> int:
        """An integer in [0, n) (n < 2**40; the bias is negligible)."""
        if self._x < _REFILL_BELOW:
            self._x = self._refill()
        self._x, value = divmod(self._x, n)
        return value

    def pick(self, items: Sequence[T]) -> T:
        return items[self.below(len(items))]

    def weighted(self, cumulative: Sequence[int]) -> int:
        """Index drawn with the weights whose running totals are `cumulative`."""
        return bisect.bisect_right(cumulative, self.below(cumulative[-1]))

    def sample(self, items: Sequence[T], k: int) -> list[T]:
        """`k` distinct items (partial Fisher-Yates)."""
        pool = list(items)
        for i in range(k):
            j = i + self.below(len(pool) - i)
            pool[i], pool[j] = pool[j], pool[i]
        return pool[:k]


_REFILL_BELOW = 1 << 80
_DEPARTMENT_CUM = list(itertools.accumulate(vocab.DEPARTMENT_WEIGHTS))
_EMPLOYMENT_CUM = list(itertools.accumulate(vocab.EMPLOYMENT_WEIGHTS))
_PLACE_CUM = list(itertools.accumulate(vocab.PLACE_WEIGHTS))
_ON_SITE_WORKPLACES = ("on-site",) * 15 + ("hybrid",) * 2 + ("unspecified",) * 3


@dataclass(frozen=True, slots=True)
class Salary:
    """A pay range; `interval` is "year" or "hour"."""

    currency: str
    interval: str
    minimum: int
    maximum: int

    def prose(self, variant: int) -> str:
        """The sentence a recruiter would paste into the description instead of a field."""
        sym = vocab.CURRENCY_SYMBOLS[self.currency]
        lo, hi = self.minimum, self.maximum
        if self.interval == "hour":
            if self.currency == "GBP":
                return f"The hourly rate for this role is £{lo} to £{hi} an hour."
            if self.currency == "EUR":
                return f"Hourly rate: €{lo}–{hi} per hour."
            return f"The pay rate for this position is {sym}{lo} - {sym}{hi} per hour."
        if self.currency == "GBP":
            return f"We offer a salary of £{lo:,} to £{hi:,} a year."
        if self.currency == "EUR":
            return f"Salary: €{lo // 1000}k–{hi // 1000}k gross per year, depending on experience."
        if self.currency == "USD" and variant % 2:
            return f"Compensation: ${lo // 1000}k–${hi // 1000}k USD annually, plus equity."
        return f"The base salary range for this role is {sym}{lo:,} - {sym}{hi:,} per year."


@dataclass(frozen=True, slots=True)
class Description:
    """Description building blocks; each platform wraps them in its own markup."""

    intro: tuple[str, ...]  # paragraphs
    sections: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, bullet items)
    closing: tuple[str, ...]  # paragraphs (pay prose first when the salary is prose-only)


@dataclass(slots=True)  # not frozen: frozen dataclasses are slow to build, and boards build many
class Posting:
    """One job posting at one revision, before any platform formatting."""

    external_id: str
    index: int
    revision: int
    company: str
    title: str
    department: str
    team: str
    places: tuple[vocab.Place, ...]  # primary first
    workplace: str  # "on-site", "remote", "hybrid" or "unspecified"
    remote_flag: bool  # the vendor boolean; true on some hybrid jobs, as on real boards
    employment: str  # one of vocab.EMPLOYMENT_KINDS
    salary: Salary | None
    salary_structured: bool  # False: the salary appears only as prose in the description
    created_ms: int
    updated_ms: int
    listed: bool
    variant: int  # stable per posting; renderers pick vocabulary variants with it
    requisition_id: str | None
    seed: int  # the board seed (descriptions are drawn from it on demand)
    description_bytes: int

    @property
    def place(self) -> vocab.Place:
        return self.places[0]

    def description(self) -> Description:
        """Build the description text (only when a renderer needs it: it is the costly part)."""
        return _describe(self)


def is_listed(index: int) -> bool:
    """Ashby `isListed`: false for every posting with index % 25 == 24."""
    return index % SLOT_PERIOD != UNLISTED_SLOT


def company_name(token: str) -> str:
    """'acme-corp' -> 'Acme Corp': the company name shown in descriptions."""
    words = token.replace("_", " ").replace("-", " ").split()
    return " ".join(w.capitalize() for w in words) or "Example"


def generate(
    *,
    seed: int,
    index: int,
    revision: int,
    external_id: str,
    company: str,
    description_bytes: int,
) -> Posting:
    """Posting `index` of a board; stable fields come from (seed, index) only."""
    draw = Draw(seed, index)
    slot = index % SLOT_PERIOD
    variant = draw.below(1 << 16)

    department = vocab.DEPARTMENT_NAMES[draw.weighted(_DEPARTMENT_CUM)]
    roles, teams = vocab.DEPARTMENTS[department]
    role = draw.pick(roles)
    team = draw.pick(teams)
    employment = vocab.EMPLOYMENT_KINDS[draw.weighted(_EMPLOYMENT_CUM)]
    levels = vocab.INTERN_LEVELS if employment == "intern" else vocab.LEVELS
    level = draw.below(len(levels))

    primary = vocab.HYBRID_LONDON if slot == 3 else draw.weighted(_PLACE_CUM)
    extra = draw.pick((0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 2))
    if slot == 4:
        extra = 2
    places: tuple[vocab.Place, ...] = (vocab.PLACES[primary],)
    if extra:
        others = [p for n, p in enumerate(vocab.PLACES) if n != primary]
        places += tuple(draw.sample(others, extra))

    kind = places[0].kind
    workplace = draw.pick(_ON_SITE_WORKPLACES) if kind == "on-site" else kind
    remote_flag = workplace == "remote" or (workplace == "hybrid" and draw.below(2) == 0)
    if slot == 3:
        remote_flag = True

    salary_roll = draw.below(100)
    if slot == 1:
        salary_roll = 50
    elif slot == 2:
        salary_roll = 90
    salary = None
    if salary_roll >= 35:
        hourly = slot != 1 and draw.below(100) < (60 if employment != "full_time" else 5)
        salary = _salary(draw, places[0].currency, "hour" if hourly else "year")

    created_ms = BASE_EPOCH_MS + draw.below(330 * DAY_MS)
    updated_ms = created_ms + 3_600_000 + draw.below(20 * DAY_MS)
    if revision:
        updated_ms += revision * 2 * DAY_MS + Draw(seed, index, revision, 7).below(DAY_MS)

    title = levels[(level + revision) % len(levels)].format(role=role)
    if variant % 10 == 0:
        title = f"{title} - {team}"
    if variant % 50 == 7:
        title += " "  # real boards carry stray whitespace (see the Greenhouse sample)

    return Posting(
        external_id=external_id,
        index=index,
        revision=revision,
        company=company,
        title=title,
        department=department,
        team=team,
        places=places,
        workplace=workplace,
        remote_flag=remote_flag,
        employment=employment,
        salary=salary,
        salary_structured=salary is not None and salary_roll < 70,
        created_ms=created_ms,
        updated_ms=updated_ms,
        listed=is_listed(index),
        variant=variant,
        requisition_id=None if variant % 5 == 0 else f"R{index:05d}",
        seed=seed,
        description_bytes=description_bytes,
    )


def _salary(draw: Draw, currency: str, interval: str) -> Salary:
    bands = vocab.HOURLY_BANDS if interval == "hour" else vocab.YEARLY_BANDS
    low, high, step = bands[currency]
    minimum = low + step * draw.below((high - low) // step)
    steps = 3 + draw.below(10) if interval == "hour" else 2 + draw.below(9)
    return Salary(currency, interval, minimum, minimum + step * steps)


@functools.lru_cache(maxsize=4096)
def _pools(company: str, team: str, department: str) -> dict[str, tuple[str, ...]]:
    """Sentence pools with the posting's names filled in, shared by similar postings."""
    names = {"company": company, "team": team, "department": department}

    def fill(pool: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(s.format(**names) for s in pool)

    intro = fill(vocab.INTRO)
    duties = fill(vocab.DUTIES)
    return {
        "intro": intro,
        "duties": duties,
        "requirements": fill(vocab.REQUIREMENTS),
        "benefits": fill(vocab.BENEFITS),
        "closing": fill(vocab.CLOSING),
        "filler": intro + tuple(f"{d}." for d in duties),
    }


def _describe(posting: Posting) -> Description:
    draw = Draw(posting.seed, posting.index, posting.revision, 11)
    pools = _pools(posting.company, posting.team, posting.department)
    short = posting.description_bytes < 1000  # fewer bullets when asked for small postings
    intro = [" ".join(draw.sample(pools["intro"], 2 + draw.below(2)))]
    headings = draw.pick(vocab.SECTION_TITLES)
    sections = (
        (headings[0], tuple(draw.sample(pools["duties"], (2 if short else 4) + draw.below(3)))),
        (
            headings[1],
            tuple(draw.sample(pools["requirements"], (1 if short else 4) + draw.below(3))),
        ),
        (headings[2], tuple(draw.sample(pools["benefits"], (1 if short else 3) + draw.below(3)))),
    )
    closing = draw.sample(pools["closing"], 1 + draw.below(2))
    if posting.salary is not None and not posting.salary_structured:
        closing.insert(0, posting.salary.prose(posting.variant))

    size = sum(len(p) + 7 for p in (*intro, *closing))
    size += sum(len(h) + 20 + sum(len(i) + 9 for i in items) for h, items in sections)
    filler = pools["filler"]
    doubled = filler + filler  # consecutive runs may wrap around
    while size < posting.description_bytes:
        start = draw.below(len(filler))
        paragraph = " ".join(doubled[start : start + 3 + draw.below(3)])
        intro.append(paragraph)
        size += len(paragraph) + 7
    return Description(tuple(intro), sections, tuple(closing))


def iso_eastern(ms: int) -> str:
    """Greenhouse style: '2025-08-21T05:34:19-04:00'."""
    return time.strftime("%Y-%m-%dT%H:%M:%S-04:00", time.gmtime(ms // 1000 - 4 * 3600))


def iso_utc_millis(ms: int) -> str:
    """Ashby style: '2025-04-27T17:14:00.440+00:00'."""
    stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(ms // 1000))
    return f"{stamp}.{ms % 1000:03d}+00:00"
