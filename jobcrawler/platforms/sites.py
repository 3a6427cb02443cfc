"""What platforms read from a `careers_url` share: the origin of the site the URL names."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from jobcrawler.catalog import Company


class Site(Protocol):
    """A parsed careers site: where its API or feeds are."""

    @property
    def origin(self) -> str: ...


def careers_origin(parse: Callable[[str], Site | None]) -> Callable[[Company], str]:
    """`Platform.origin_of` for a platform whose site comes from `careers_url`: the
    company's `base_url` when set, else the origin of the site `parse` reads."""

    def origin(company: Company) -> str:
        site = parse(getattr(company.keys, "careers_url", "") or "")
        return (company.base_url or (site.origin if site else "")).rstrip("/")

    return origin


def careers_url(keys: Mapping[str, Any]) -> str:
    """`Platform.board_url` when the keys are the careers URL itself."""
    return str(keys["careers_url"])
