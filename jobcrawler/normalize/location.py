"""Free-text ATS locations -> (city, region, ISO country).

ATS location strings mix a place with work-mode words ("Remote - US", "Hybrid - London")
and several places in one field ("New York, NY; San Francisco, CA", "Berlin, Munich or
Remote"). `parse_places` reads every concrete place, `parse_location` the first one.
Results are cached: a board repeats the same few location strings. Country and region
names come from tables precomputed from pycountry (`isodata`); a city without a country
gets one from the well-known cities below, else from the GeoNames gazetteer (`gazetteer`,
loaded only then), which leaves ambiguous names ("Cambridge") without one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from jobcrawler.normalize import gazetteer
from jobcrawler.normalize.isodata import COUNTRIES, REGIONS


@dataclass(frozen=True)
class Location:
    city: str | None
    region: str | None
    country: str | None  # ISO 3166-1 alpha-2, upper case


class Place(NamedTuple):
    """One place of a location text: the words it was read from and what they say."""

    raw: str | None
    location: Location

    def fields(self) -> dict[str, str | None]:
        """{city, region, country, raw}: the item's and the table's shape of a place."""
        return {**vars(self.location), "raw": self.raw}


_EMPTY = Location(None, None, None)


def _table(text: str) -> dict[str, str]:
    """{name: code} from "CODE: name, name" lines, to keep the tables below compact."""
    table: dict[str, str] = {}
    for line in text.strip().splitlines():
        code, _, names = line.partition(":")
        table.update(dict.fromkeys((name.strip() for name in names.split(",")), code.strip()))
    return table


# Names pycountry does not know (it has "Türkiye", not "Turkey"; no "UK", "England", ...).
_COUNTRY_ALIASES = _table(
    """
    US: us, usa, america, united states of america
    GB: uk, great britain, britain, england, scotland, wales, northern ireland
    DE: deutschland
    NL: holland, the netherlands, nederland
    KR: korea
    RU: russia
    TR: turkey
    AE: uae
    BR: brasil
    MX: méxico
    ES: españa
    IT: italia
    CH: schweiz, suisse
    AT: österreich
    PL: polska
    SE: sverige
    DK: danmark
    NO: norge
    FI: suomi
    CI: ivory coast
    MO: macau
    XK: kosovo
    PS: palestine
    """
)

# Well-known cities, so that a bare "London" or "Hybrid - Berlin" gets a country without
# loading the gazetteer. Never contradicts it (a test checks): it may only decide names the
# gazetteer leaves open, as "Barcelona" (ES, and a VE city half its size) is in job postings.
_CITY_COUNTRY = _table(
    """
    US: new york, new york city, nyc, brooklyn, san francisco, seattle, austin, boston, chicago
    US: los angeles, denver, atlanta, miami, dallas, houston, san diego, philadelphia, phoenix
    US: pittsburgh, salt lake city, raleigh, nashville, minneapolis, detroit, palo alto
    US: mountain view, menlo park, sunnyvale, redwood city
    CA: toronto, vancouver, montreal, montréal, ottawa, calgary
    GB: london, manchester, edinburgh, glasgow, bristol
    DE: berlin, munich, münchen, hamburg, frankfurt, cologne
    NL: amsterdam, rotterdam, utrecht, eindhoven
    AU: sydney, melbourne, brisbane, perth, adelaide, hobart
    IN: bangalore, bengaluru, mumbai, delhi, new delhi, hyderabad, pune, chennai, gurgaon
    IN: gurugram, noida
    BR: são paulo, sao paulo, rio de janeiro
    CH: zurich, zürich, geneva
    ES: madrid, barcelona
    PT: lisbon, porto
    PL: warsaw, krakow, kraków, wroclaw, wrocław
    JP: tokyo, osaka
    FR: paris, lyon
    IT: milan, rome
    AE: dubai, abu dhabi
    CN: shanghai, beijing, shenzhen
    NZ: auckland, wellington
    ZA: cape town, johannesburg
    CO: bogotá, bogota
    IE: dublin
    SG: singapore
    HK: hong kong
    IL: tel aviv
    SE: stockholm
    DK: copenhagen
    NO: oslo
    FI: helsinki
    AT: vienna
    BE: brussels
    LU: luxembourg
    CZ: prague
    HU: budapest
    RO: bucharest
    GR: athens
    TR: istanbul
    EE: tallinn
    UA: kyiv
    MX: mexico city
    AR: buenos aires
    PE: lima
    KR: seoul
    TW: taipei
    PH: manila
    ID: jakarta
    MY: kuala lumpur
    TH: bangkok
    NG: lagos
    KE: nairobi
    EG: cairo
    """
)

# A wider area, or no place at all.
_VAGUE = re.compile(
    r"anywhere|worldwide|global|international|emea|apac|latam|amer|americas|north america"
    r"|south america|europe|eu|asia|africa|oceania|nationwide|distributed|flexible"
    r"|(?:multiple|various|\d+)\s+locations?|multiple|various",
    re.IGNORECASE,
)

_ALTERNATIVES = re.compile(r"[;|/\n]|\s+or\s+", re.IGNORECASE)
_WORK_MODE = re.compile(
    r"\b(?:fully|remote|hybrid|on[\s-]?site|(?:home[\s-]?|in[\s-])?office(?:[\s-]based)?"
    r"|work\s+from\s+home|wfh|telecommute|only)\b",
    re.IGNORECASE,
)
_PARTS = re.compile(r"[,()\[\]]|\s+[-–—]\s+")
_POSTAL = re.compile(r"^\d{4,6}\s+|\s+\d{4,6}(?:-\d{4})?$")
_STRIP = " \t-–—:"


@lru_cache(maxsize=4096)
def country_code(value: str | None) -> str | None:
    """ISO alpha-2 code for a country name, alpha-2/alpha-3 code or common alias."""
    if not value:
        return None
    name = value.strip()
    key = name.casefold()
    alias = _COUNTRY_ALIASES.get(key) or _COUNTRY_ALIASES.get(key.replace(".", ""))
    if alias:
        return alias
    return COUNTRIES.get(name.lower())  # by name, code or flag; numeric codes are left out


def _region(part: str, prefer: str | None) -> tuple[str, str] | None:
    """(country, region code) when `part` is a US/CA/AU state or province, preferring `prefer`."""
    matches = REGIONS.get(part.casefold(), ())
    for match in matches:
        if match[0] == prefer:
            return match
    return matches[0] if matches else None


def _region_code(part: str, country: str) -> str | None:
    """The state/province code when `part` names one in `country`."""
    match = _region(part, country)
    return match[1] if match and match[0] == country else None


def parse_location(text: str | None) -> Location:
    """Parse the first concrete place in a free-text ATS location."""
    places = parse_places(text)
    return places[0].location if places else _EMPTY


@lru_cache(maxsize=8192)
def parse_places(text: str | None) -> tuple[Place, ...]:
    """Every concrete place in a free-text ATS location, in order, without repeats.

    Places are separated by `;`, `|`, `/`, new lines or "or"; a comma list whose every
    part is a known city ("Berlin, Munich") is several places too.
    """
    if not text:
        return ()
    found: list[Place] = []
    for candidate in _ALTERNATIVES.split(text):
        parts = [_clean_part(part) for part in _PARTS.split(_WORK_MODE.sub(",", candidate))]
        parts = [part for part in parts if part and not _VAGUE.fullmatch(part)]
        if not parts:
            continue
        location = _interpret(parts)
        cities = _city_list(parts, location)
        found += cities or [Place(candidate.strip(_STRIP), _with_gazetteer(location))]
    return tuple(distinct_places(found))


def _city_list(parts: list[str], read_as_one: Location) -> list[Place]:
    """A comma list of cities ("Berlin, Munich") as several places: only when every part
    is a city whose country is known (a well-known one, or the gazetteer's when
    `read_as_one` left the country open)."""
    if len(parts) < 2:
        return []
    cities = [_single(part, _CITY_COUNTRY.get(part.casefold())) for part in parts]
    if read_as_one.country is None:
        cities = [_with_gazetteer(city) if city.region is None else city for city in cities]
    if all(city.city and city.country for city in cities):
        return [Place(part, city) for part, city in zip(parts, cities, strict=True)]
    return []


def posting_places(
    location: str | None, listed: Iterable[str], given: Location
) -> tuple[Location, list[Place]]:
    """A posting's primary place, and all its places with the primary first.

    Places are those of the platform's place texts `listed`, else those `location` names.
    The primary is the first place `location` names (else the first listed one), where
    the platform's own city/region/country (`given`) win over the text.
    """
    in_text = parse_places(location)
    texts = list(dict.fromkeys(listed))
    places = [place for text in texts for place in parse_places(text)] if texts else in_text
    first = (in_text or places or (Place(location, _EMPTY),))[0].location
    primary = Location(
        given.city or first.city, given.region or first.region, given.country or first.country
    )
    if primary != _EMPTY:
        places = [Place(places[0].raw if places else location, primary), *places[1:]]
    return primary, distinct_places(places)


def distinct_places(places: Iterable[Place]) -> list[Place]:
    """`places` without repeats: a place told twice ("London" and "London, England, United
    Kingdom") is kept as it came first."""
    kept: list[Place] = []
    for place in places:
        if not any(_same(place.location, other.location) for other in kept):
            kept.append(place)
    return kept


def _same(a: Location, b: Location) -> bool:
    """Same place: equal, or the same city where the parts both name agree."""
    if a == b:
        return True
    if not (a.city and b.city and a.city.casefold() == b.city.casefold()):
        return False
    pairs = ((a.region, b.region), (a.country, b.country))
    return all(x is None or y is None or x == y for x, y in pairs)


def _with_gazetteer(location: Location) -> Location:
    """A city without a country gets the gazetteer's (and its US state), when it is sure."""
    if location.country or not location.city:
        return location
    found = gazetteer.locate(location.city)
    if found is None:
        return location
    country, state = found
    return Location(location.city, location.region or state, country)


def _clean_part(part: str) -> str:
    return _POSTAL.sub("", part.strip(_STRIP)).strip(_STRIP)


def _interpret(parts: list[str]) -> Location:
    """Read parts as "city[, region][, country]"; the last part decides first."""
    city_country = _CITY_COUNTRY.get(parts[0].casefold())
    if len(parts) == 1:
        return _single(parts[0], city_country)
    *rest, last = parts
    country = country_code(last)
    region = _region(last, city_country)
    # "Chicago, IL": IL is Illinois, not Israel; "Tel Aviv, IL" is Israel (known city).
    if country and region and len(parts) == 2 and city_country != country:
        country = None
    if country:
        if len(rest) == 1:  # "Berlin, Germany" or "California, USA"
            code = _region_code(rest[0], country)
            return Location(None, code, country) if code else Location(rest[0], None, country)
        return Location(rest[0], _region_code(rest[-1], country) or rest[-1], country)
    if region:
        return Location(parts[0], region[1], region[0])
    return Location(parts[0], last, city_country)


def _single(part: str, city_country: str | None) -> Location:
    country = country_code(part)
    if country:
        # City-states ("Singapore", "Hong Kong") are both.
        return Location(part if city_country == country else None, None, country)
    if city_country:
        return Location(part, None, city_country)
    region = _region(part, None)
    if region:
        return Location(None, region[1], region[0])
    return Location(part, None, None)
