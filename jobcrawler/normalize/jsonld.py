"""schema.org `JobPosting` in JSON-LD: find the postings in a page's blocks and read them.

Pure functions over parsed JSON, so the spider stays about fetching. Shapes met on real
pages: postings nested in `@graph` (or under another property such as `mainEntity`),
`@type` lists like `["Thing", "JobPosting"]`, top-level lists, several blocks per page,
blocks that are not valid JSON, `jobLocation` as one Place or a list, countries given as a code, a name or a `Country` object, ids as a
`PropertyValue` or a bare value, and descriptions escaped once more (`&lt;p&gt;`).
`hiringOrganization` (an object or a bare string) is not read: the company is the
catalog's. Values stay in the page's vocabulary (`FULL_TIME`, `TELECOMMUTE`, `YEAR`): the normalize
stage maps them.
"""

from __future__ import annotations

import html
import json
import re
from dataclasses import dataclass
from typing import Any

# HTML comment or CDATA wrappers some CMSs put around the JSON inside <script>.
_WRAPPER_START = re.compile(r"^\s*(?:<!--|(?://\s*)?<!\[CDATA\[)")
_WRAPPER_END = re.compile(r"(?:-->|(?://\s*)?\]\]>)\s*$")
_MAX_DEPTH = 32


@dataclass(frozen=True)
class Place:
    """One `jobLocation` (or remote applicant location) as its parts."""

    name: str | None = None  # free text: a Place's `name` or an address given as a string
    city: str | None = None
    region: str | None = None
    country: str | None = None  # as written: ISO code or name


def parse_block(text: str) -> Any:
    """The JSON of one `application/ld+json` script; ValueError when it is malformed.

    Raw control characters inside strings (newlines in descriptions) are common and
    accepted, as browsers and Google accept them.
    """
    body = _WRAPPER_END.sub("", _WRAPPER_START.sub("", text))
    return json.loads(body, strict=False)


def job_postings(data: Any) -> list[dict[str, Any]]:
    """Every `JobPosting` object in a parsed block, in document order."""
    found: list[dict[str, Any]] = []
    _collect(data, found, 0)
    return found


def _collect(node: Any, found: list[dict[str, Any]], depth: int) -> None:
    if depth > _MAX_DEPTH:
        return
    if isinstance(node, list):
        for child in node:
            _collect(child, found, depth + 1)
    elif isinstance(node, dict):
        if has_type(node, "JobPosting"):
            found.append(node)
            return  # its hiringOrganization, places and so on are not postings
        for child in node.values():
            _collect(child, found, depth + 1)


def has_type(node: dict[str, Any], name: str) -> bool:
    """`@type` is `name`, `schema:name`, a schema.org URL, or a list containing one."""
    types = node.get("@type")
    for value in types if isinstance(types, list) else [types]:
        if isinstance(value, str) and re.split(r"[/:#]", value)[-1] == name:
            return True
    return False


def text(value: Any) -> str | None:
    """A display string from a string, number, `{"name": ..}`/`{"@value": ..}` or a list."""
    if isinstance(value, list):
        return next((t for t in map(text, value) if t), None)
    if isinstance(value, dict):
        return text(value.get("name") if "name" in value else value.get("@value"))
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float | str):
        return str(value).strip() or None
    return None


def identifier(value: Any) -> str | None:
    """`identifier` as a `PropertyValue` (its `value`), a bare string or number, or a list."""
    if isinstance(value, list):
        return next((i for i in map(identifier, value) if i), None)
    if isinstance(value, dict):
        inner = value.get("value", value.get("@value"))
        return identifier(inner) if not isinstance(inner, dict) else None
    return text(value)


def places(posting: dict[str, Any]) -> list[Place]:
    """The `jobLocation`s; for remote jobs without one, `applicantLocationRequirements`."""
    found = [p for p in map(_place, _as_list(posting.get("jobLocation"))) if p != Place()]
    if found:
        return found
    requirements = _as_list(posting.get("applicantLocationRequirements"))
    return [Place(country=name) for name in map(text, requirements) if name]


def _place(location: Any) -> Place:
    if isinstance(location, str):
        return Place(name=location.strip() or None)
    if not isinstance(location, dict):
        return Place()
    address = location.get("address")
    if isinstance(address, list):
        address = next((a for a in address if isinstance(a, dict | str)), None)
    if isinstance(address, str):
        return Place(name=address.strip() or None)
    if not isinstance(address, dict):
        return Place(name=text(location.get("name")))
    return Place(
        name=None,
        city=text(address.get("addressLocality")),
        region=text(address.get("addressRegion")),
        country=text(address.get("addressCountry")),
    )


def is_remote(posting: dict[str, Any]) -> bool:
    """`jobLocationType: "TELECOMMUTE"` (a string or a list) marks a remote job."""
    kinds = _as_list(posting.get("jobLocationType"))
    return any(isinstance(k, str) and k.strip().upper() == "TELECOMMUTE" for k in kinds)


@dataclass(frozen=True)
class Pay:
    minimum: Any = None
    maximum: Any = None
    currency: str | None = None
    unit: str | None = None  # unitText: HOUR, DAY, WEEK, MONTH or YEAR


def salary(posting: dict[str, Any]) -> Pay:
    """`baseSalary`: a MonetaryAmount whose `value` is a QuantitativeValue or a number."""
    base = next(iter(_as_list(posting.get("baseSalary"))), None)
    if isinstance(base, int | float | str) and not isinstance(base, bool):
        return Pay(base, base)
    if not isinstance(base, dict):
        return Pay()
    value = base.get("value")
    currency = text(base.get("currency"))
    if isinstance(value, dict):
        low, high = value.get("minValue"), value.get("maxValue")
        if low is None and high is None:
            low = high = value.get("value")
        unit = text(value.get("unitText")) or text(base.get("unitText"))
        return Pay(low, high, currency or text(value.get("currency")), unit)
    if value is None or isinstance(value, bool | list):
        return Pay(currency=currency)
    return Pay(value, value, currency, text(base.get("unitText")))


def description(posting: dict[str, Any]) -> str | None:
    """The description HTML; some sites escape it once more (`&lt;p&gt;`), undone here."""
    value = posting.get("description")
    if not isinstance(value, str) or not value.strip():
        return None
    if "<" not in value and re.search(r"&lt;/?[a-zA-Z]", value):
        return html.unescape(value)
    return value


def employment_type(posting: dict[str, Any]) -> str | None:
    """`employmentType` is a string or a list (`["FULL_TIME", "CONTRACTOR"]`): the first."""
    return text(posting.get("employmentType"))


def flag(value: Any) -> bool | None:
    """A schema.org Boolean: true/false, or the strings and URLs sites write for them."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        word = value.strip().rsplit("/", 1)[-1].lower()
        return {"true": True, "false": False}.get(word)
    return None


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
