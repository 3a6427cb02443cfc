"""What a saved search is: the same filters as `/postings`, what to notify and to whom.

Validated with pydantic, from YAML files (one search per file, in JOBCRAWLER_SEARCHES_DIR)
and from the API's request bodies, so both refuse the same mistakes; a file's errors name
the file and the field (`searches/rust.yaml: filters.salary_min: ...`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import yaml
from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field, ValidationError, model_validator

from jobcrawler.db.filters import PostingFilter, Since

SEARCHES_DIR_ENV = "JOBCRAWLER_SEARCHES_DIR"
#: What a postings search can notify: `created` covers new and reopened postings.
POSTING_NOTICES = ("created", "removed")
#: Crawl-health alerts: failing N crawls in a row, removals withheld by the guard, a board
#: that suddenly answers 404, a board that suddenly lists 0 postings.
HEALTH_NOTICES = ("failing", "withheld", "board_404", "empty")
EMAIL = re.compile(r"[^@\s<>,;]+@[^@\s<>,;]+")
Text = Annotated[str | None, Field(min_length=1, max_length=200)]
Slug = Annotated[str, Field(min_length=1, max_length=200)]


class Filters(BaseModel):
    """The `/postings` query parameters a saved search keeps (`company`: one or a list)."""

    model_config = ConfigDict(extra="forbid")

    q: Text = None
    company: Slug | list[Slug] | None = Field(default=None, max_length=100)
    country: str | None = Field(default=None, min_length=2, max_length=2)
    city: Text = None
    remote_type: Text = None
    employment_type: Text = None
    department: Text = None
    salary_min: int | None = Field(default=None, ge=0, le=10**12)
    salary_max: int | None = Field(default=None, ge=0, le=10**12)
    currency: str | None = Field(default=None, min_length=3, max_length=3)
    status: Literal["active", "stale", "removed", "any"] = "active"
    posted_since: Since = None
    first_seen_since: Since = None

    def companies(self) -> tuple[str, ...]:
        if self.company is None:
            return ()
        return (self.company,) if isinstance(self.company, str) else tuple(self.company)

    def posting_filter(self, *, status: bool = True) -> PostingFilter:
        """The search's filter; `status=False` drops the status (an event says what happened
        to the posting, whatever its status now)."""
        values = self.model_dump(exclude={"company", "status"}, exclude_none=True)
        wanted = None if not status or self.status == "any" else self.status
        return PostingFilter(companies=self.companies(), status=wanted, **values)


class Subscriber(BaseModel):
    """One receiver: `webhook` (with its signing `secret`), `email` (one address or a
    list: each address is its own subscriber) or `slack` (an incoming-webhook URL)."""

    model_config = ConfigDict(extra="forbid")

    webhook: AnyHttpUrl | None = None
    secret: str | None = Field(default=None, min_length=16, max_length=200)
    email: str | list[str] | None = None
    slack: AnyHttpUrl | None = None

    @model_validator(mode="after")
    def _one_channel(self) -> Subscriber:
        given = [name for name in ("webhook", "email", "slack") if getattr(self, name)]
        if len(given) != 1:
            raise ValueError("give exactly one of webhook, email or slack")
        if self.webhook and not self.secret:
            raise ValueError("a webhook needs a secret (at least 16 characters) to sign with")
        if self.secret and not self.webhook:
            raise ValueError("secret belongs to a webhook")
        for address in self.addresses():
            if not EMAIL.fullmatch(address):
                raise ValueError(f"not an email address: {address!r}")
        return self

    def addresses(self) -> list[str]:
        if self.email is None:
            return []
        return [self.email] if isinstance(self.email, str) else list(self.email)

    def targets(self) -> list[tuple[str, str, str | None]]:
        """(channel, target, secret) of each subscription this entry makes."""
        if self.webhook:
            return [("webhook", str(self.webhook), self.secret)]
        if self.slack:
            return [("slack", str(self.slack), None)]
        return [("email", address, None) for address in self.addresses()]


class SearchSpec(BaseModel):
    """A saved search. `kind: postings` (the default) notifies `created` (new or reopened
    postings that match `filters`) and, when asked, `removed`. `kind: health` notifies the
    operator of crawl trouble (`failing` after `failures` failed crawls in a row,
    `withheld`, `board_404`, `empty`), for every company or the `filters.company` ones."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=r"^[^\x00-\x1f]+$")
    kind: Literal["postings", "health"] = "postings"
    filters: Filters = Filters()
    notify: list[str] | None = None
    failures: int = Field(default=3, ge=1, le=1000)
    subscribers: list[Subscriber] = Field(default=[], max_length=100)

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        """No database stores NUL in text (nor in JSON on PostgreSQL)."""
        if _has_nul(data):
            raise ValueError("NUL characters are not allowed")
        return data

    @model_validator(mode="after")
    def _kind_rules(self) -> SearchSpec:
        allowed = POSTING_NOTICES if self.kind == "postings" else HEALTH_NOTICES
        if self.notify is None:
            self.notify = ["created"] if self.kind == "postings" else list(HEALTH_NOTICES)
        wrong = [n for n in self.notify if n not in allowed]
        if wrong or not self.notify:
            raise ValueError(
                f"notify of a {self.kind} search takes {', '.join(allowed)}; got {wrong or []}"
            )
        self.notify = sorted(set(self.notify), key=allowed.index)
        if self.kind == "health":
            extra = self.filters.model_dump(exclude={"company", "status"}, exclude_none=True)
            if extra:
                raise ValueError(f"a health search filters by company only, not {sorted(extra)}")
        return self


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


@dataclass
class Loaded:
    """The valid searches of a directory, and one message per invalid file."""

    searches: dict[str, SearchSpec] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    #: When each search's file was last written (its modification time, UTC).
    written: dict[str, datetime] = field(default_factory=dict)


def searches_dir() -> Path | None:
    value = os.environ.get(SEARCHES_DIR_ENV)
    return Path(value) if value else None


def load_dir(directory: Path) -> Loaded:
    """Every `*.yaml`/`*.yml` file of `directory`: one search each, named after the file
    unless it says `name:`. A missing directory is an error (a typo must not silently
    unsubscribe everyone)."""
    loaded = Loaded()
    if not directory.is_dir():
        loaded.errors.append(f"{directory}: no such directory ({SEARCHES_DIR_ENV})")
        return loaded
    files = sorted(p for p in directory.iterdir() if p.suffix in (".yaml", ".yml"))
    for path in files:
        try:
            written = datetime.fromtimestamp(path.stat().st_mtime, UTC)
            spec = load_file(path)
        except (OSError, ValueError) as exc:  # OSError: the file went since the listing
            loaded.errors.append(str(exc))
            continue
        if spec.name in loaded.searches:
            loaded.errors.append(f"{path}: name: {spec.name!r} is used by another file")
            continue
        loaded.searches[spec.name] = spec
        loaded.written[spec.name] = written
    return loaded


def load_file(path: Path) -> SearchSpec:
    """The search in `path`; ValueError naming the file (and the field) if it is invalid."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ValueError(f"{path}: {' '.join(str(exc).split())}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping of search settings")
    data.setdefault("name", path.stem)
    try:
        return SearchSpec.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{path}: {describe(exc)}") from None


def describe(exc: ValidationError) -> str:
    """The errors as `field.sub: message; ...` (a model-level rule names no field)."""
    parts = []
    for error in exc.errors():
        where = ".".join(str(part) for part in error["loc"])
        message = error["msg"].removeprefix("Value error, ")
        parts.append(f"{where}: {message}" if where else message)
    return "; ".join(parts)
