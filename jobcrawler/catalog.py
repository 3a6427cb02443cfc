"""The company catalog: YAML files in `companies/`, validated into `Company` records.

The catalog is read with importlib.resources (package `jobcrawler.companies`) so it works
from scrapyd's zipped egg; `JOBCRAWLER_COMPANIES_DIR` points at a directory used instead.
An invalid entry never hides the valid ones: `load_catalog()` returns both the companies
and a list of errors that name the file, the line, the company and the key.

Catalog files are input anyone with access to the directory writes, so they are bounded:
a file over `MAX_FILE_BYTES` is refused unread, aliases may stand for at most
`yamllines.MAX_ALIAS_NODES` nodes, `settings:` takes only `company_settings.ALLOWED_SETTINGS`,
and error messages show a bounded excerpt of what they quote.
"""

from __future__ import annotations

import os
import re
import reprlib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

import yaml
from croniter import croniter
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from jobcrawler import yamllines
from jobcrawler.company_settings import CompanySettings, not_allowed
from jobcrawler.platforms import PLATFORMS
from jobcrawler.platforms.base import Keys, http_url

COMPANIES_DIR_ENV = "JOBCRAWLER_COMPANIES_DIR"
DEFAULT_SCHEDULE = "0 7 * * *"
SLUG_RE = re.compile(r"^[a-z0-9_]+$")
#: Not a company: `scrapy crawl batch -a companies=...` crawls many in one job (runner.py).
BATCH_SPIDER = "batch"
#: A catalog file larger than this is refused before it is parsed (about 20,000 companies;
#: split a larger catalog across files).
MAX_FILE_BYTES = 2 * 1024 * 1024
#: Quoted input in error messages: bounded, so no message ever expands a large structure.
_QUOTE = reprlib.Repr()
_QUOTE.maxlevel, _QUOTE.maxdict, _QUOTE.maxlist, _QUOTE.maxstring = 2, 4, 4, 80


def slugify(name: str) -> str:
    """Spider name from a company name: lower case, `[a-z0-9_]` only ("Zürich" -> zurich)."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name.lower()).strip("_")


@lru_cache(maxsize=256)
def valid_cron(expression: str) -> bool:
    """Memoized: a large catalog repeats a few schedules, and croniter parsing is slow."""
    return bool(croniter.is_valid(expression))


class Company(BaseModel):
    """One company entry. Unknown keys are errors, so typos never pass silently.

    The keys every company has are fields; the platform's own keys (`board`, `careers_url`,
    ...) are validated by its declared model (`jobcrawler.platforms`) into `keys`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)

    name: str = Field(min_length=1)
    slug: str = ""
    ats: str
    base_url: str | None = None
    active: bool = True
    schedule: str = DEFAULT_SCHEDULE
    priority: int = 0
    settings: CompanySettings = Field(default_factory=CompanySettings)
    max_removal_ratio: float | None = Field(default=None, ge=0, le=1)
    keys: Keys = Field(default_factory=Keys)

    @model_validator(mode="before")
    @classmethod
    def _platform_keys_apart(cls, data: Any) -> Any:
        """Every key that is not a common field is the platform's (written flat in YAML)."""
        if not isinstance(data, dict) or "keys" in data:
            return data
        common = {key: value for key, value in data.items() if key in cls.model_fields}
        return {**common, "keys": {k: v for k, v in data.items() if k not in common}}

    @field_validator("ats")
    @classmethod
    def _known_ats(cls, value: str) -> str:
        if value not in PLATFORMS:
            raise ValueError(f"unknown ATS {value!r} (expected one of: {', '.join(PLATFORMS)})")
        return value

    @field_validator("slug")
    @classmethod
    def _slug_shape(cls, value: str) -> str:
        if not SLUG_RE.match(value):
            raise ValueError(f"slug {value!r} must match [a-z0-9_]+ (set slug: for this name)")
        if value == BATCH_SPIDER:
            raise ValueError(f"slug {value!r} is reserved for batch jobs (set slug: for this name)")
        return value

    @field_validator("base_url")
    @classmethod
    def _url_shape(cls, value: str | None) -> str | None:
        return http_url(value, "base_url")

    @field_validator("schedule")
    @classmethod
    def _cron(cls, value: str) -> str:
        if not valid_cron(value):
            raise ValueError(f"schedule {value!r} is not a valid cron expression")
        return value

    @field_validator("max_removal_ratio", mode="before")
    @classmethod
    def _ratio_number(cls, value: Any) -> Any:
        return float(value) if isinstance(value, int) and not isinstance(value, bool) else value

    @field_validator("keys", mode="plain")
    @classmethod
    def _platform_keys(cls, value: Any, info: ValidationInfo) -> Any:
        ats = info.data.get("ats")
        if ats is None or isinstance(value, Keys):  # an unknown ats is reported on its own
            return value
        return PLATFORMS[ats].keys.model_validate(value)

    @property
    def board(self) -> str | None:
        """The tenant's name at its ATS, for the platforms that have one (stored per company)."""
        board = getattr(self.keys, "board", None)
        return board if isinstance(board, str) else None


@dataclass(frozen=True)
class CatalogError:
    """A problem with one catalog entry or file, phrased for the person who wrote it."""

    file: str
    line: int | None
    message: str
    company: str | None = None
    key: str | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        who = f" company {quote(self.company)}:" if self.company else ""
        what = f" key {quote(self.key)}:" if self.key else ""
        return f"{where}:{who}{what} {self.message}"


@dataclass
class Catalog:
    companies: list[Company] = field(default_factory=list)
    errors: list[CatalogError] = field(default_factory=list)

    def by_slug(self) -> dict[str, Company]:
        return {company.slug: company for company in self.companies}


def _catalog_root(directory: str | os.PathLike[str] | None) -> tuple[Traversable, str]:
    """The catalog folder and the prefix its files are shown with in messages."""
    directory = directory or os.environ.get(COMPANIES_DIR_ENV)
    if not directory:
        return files("jobcrawler.companies"), "companies"
    root = Path(directory)
    if not root.is_dir():
        raise FileNotFoundError(f"{COMPANIES_DIR_ENV}={directory} is not a directory")
    return root, str(directory).rstrip("/")


def catalog_files(directory: str | os.PathLike[str] | None = None) -> list[tuple[str, Traversable]]:
    """The YAML files of the catalog, sorted by name, with the name to show in messages."""
    root, prefix = _catalog_root(directory)
    entries = [e for e in root.iterdir() if e.name.endswith((".yaml", ".yml")) and e.is_file()]
    return [(f"{prefix}/{e.name}", e) for e in sorted(entries, key=lambda e: e.name)]


def load_company(slug: str, directory: str | os.PathLike[str] | None = None) -> Company | None:
    """The company `slug` from its own file (`<slug>.yaml` or `.yml`), or None.

    A one-company crawl process needs only its company: reading a catalog of thousands of
    files costs it a quarter second per thousand. None means "not found this way" (no such
    file, or the file doesn't define `slug` validly): the caller then reads the whole
    catalog, which also reports the errors. A slug defined twice is the one exception to
    `load_catalog()`'s answer: here its own file wins, there the first in file order does
    (both report it as an error).
    """
    if not SLUG_RE.match(slug):  # never a path out of the folder
        return None
    root, prefix = _catalog_root(directory)
    for name in (f"{slug}.yaml", f"{slug}.yml"):
        entry = root / name
        if not entry.is_file():
            continue
        text = _read(f"{prefix}/{name}", entry)
        if isinstance(text, CatalogError):
            return None
        for found in _parse_file(f"{prefix}/{name}", text):
            if not isinstance(found, CatalogError) and found[0].slug == slug:
                return found[0]
    return None


def load_catalog(directory: str | os.PathLike[str] | None = None) -> Catalog:
    """Read and validate every company; errors are collected, never raised."""
    catalog = Catalog()
    seen: dict[str, str] = {}
    for display, entry in catalog_files(directory):
        text = _read(display, entry)
        if isinstance(text, CatalogError):
            catalog.errors.append(text)
            continue
        for company_or_error in _parse_file(display, text):
            if isinstance(company_or_error, CatalogError):
                catalog.errors.append(company_or_error)
                continue
            company, line = company_or_error
            where = f"{display}:{line}"
            if company.slug in seen:
                catalog.errors.append(
                    CatalogError(
                        display,
                        line,
                        f"duplicate slug {company.slug!r} (first defined at {seen[company.slug]})",
                        company=company.name,
                        key="slug",
                    )
                )
                continue
            seen[company.slug] = where
            catalog.companies.append(company)
    return catalog


def _read(display: str, entry: Traversable) -> str | CatalogError:
    """The file's text, read no further than the size limit."""
    try:
        with entry.open("rb") as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
        if len(data) > MAX_FILE_BYTES:
            limit = f"{MAX_FILE_BYTES // 1024 // 1024} MB"
            return CatalogError(display, None, f"file larger than {limit}; split it into files")
        return data.decode("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        return CatalogError(display, None, f"cannot read the file: {exc}")


def entry_errors(text: str, display: str = "entry.yaml") -> list[CatalogError]:
    """What `load_catalog` would report for a file holding `text` (the finder checks the
    entries it makes with this)."""
    return [found for found in _parse_file(display, text) if isinstance(found, CatalogError)]


def _parse_file(display: str, text: str) -> Iterator[CatalogError | tuple[Company, int]]:
    try:
        root = yamllines.load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc)
        yield CatalogError(display, mark.line + 1 if mark else None, f"invalid YAML: {problem}")
        return
    if root is None:
        return
    if isinstance(root, yamllines.LinedList):
        entries = list(zip(root, root.item_lines, strict=True))
    else:
        entries = [(root, getattr(root, "line", 1))]
    for entry, line in entries:
        yield _parse_entry(display, entry, line)


def _parse_entry(display: str, raw: Any, line: int) -> CatalogError | tuple[Company, int]:
    if not isinstance(raw, yamllines.LinedDict):
        return CatalogError(display, line, "a company must be a mapping of keys to values")
    name = raw.get("name") if isinstance(raw.get("name"), str) else None
    if raw.repeated:
        key, key_line = raw.repeated[0]
        return CatalogError(display, key_line, "key given twice", company=name, key=str(key))
    data = dict(raw)
    if name and not data.get("slug"):
        data["slug"] = slugify(name)
    try:
        company = Company.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = first["loc"]
        own = loc[:1] == ("keys",)  # a platform key, written at the top level of the entry
        loc = loc[1:] if own else loc
        key = ".".join(str(part) for part in loc) if loc else None
        line = _line_of(raw, loc, line)
        message = _describe_key(first, data.get("ats")) if own else _describe(first)
        return CatalogError(display, line, message, company=name, key=key)
    return company, line


def _line_of(raw: yamllines.LinedDict, loc: tuple[Any, ...], line: int) -> int:
    """The line of the deepest mapping key or list item of `loc` (a settings key, say)."""
    node: Any = raw
    for part in loc:
        if isinstance(node, yamllines.LinedDict) and part in node.key_lines:
            line, node = node.key_lines[part], node.get(part)
        elif isinstance(node, yamllines.LinedList) and isinstance(part, int) and part < len(node):
            line, node = node.item_lines[part], node[part]
        else:
            break
    return line


def quote(value: Any) -> str:
    """A bounded repr for messages: never the whole of a large or deeply nested value."""
    return _QUOTE.repr(value)


def _describe_key(error: Any, ats: str) -> str:
    """A platform key's error: a missing key is required for this ats, a foreign one is
    named with the platforms that read it."""
    kind, key = error["type"], error["loc"][-1]
    if kind == "missing":
        return f"required for ats {ats!r}"
    if kind == "extra_forbidden":
        owners = [name for name, p in PLATFORMS.items() if key in p.keys.model_fields]
        if owners and len(owners) <= 3:
            return f"{key} is only for ats {' or '.join(owners)}"
    return _describe(error)


def _describe(error: Any) -> str:
    kind, message, loc = error["type"], error["msg"], error["loc"]
    if kind == "extra_forbidden":
        return not_allowed(loc[-1]) if loc[0] == "settings" else "unknown key"
    if kind == "missing":
        return "required key is missing"
    if kind == "value_error":
        message = message.removeprefix("Value error, ")
        return message if len(message) <= 300 else message[:300] + "..."
    return f"{message} (got {quote(error.get('input'))})"
