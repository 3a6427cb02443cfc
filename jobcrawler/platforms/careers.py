"""What the careers-site readers (`jsonld`, `html`) share: their keys and origin."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from pydantic import ValidationInfo, field_validator

from jobcrawler.platforms.base import CareersKeys

if TYPE_CHECKING:
    from jobcrawler.catalog import Company

#: A YAML selector starting so is XPath; any other is CSS.
XPATH = "xpath:"


def selector_problem(expression: str) -> str | None:
    """Why a YAML selector cannot work, or None (the catalog reports it at load time)."""
    from lxml import etree  # only catalogs with careers-site companies pay for lxml
    from parsel.csstranslator import css2xpath

    if not expression.strip():
        return "is empty"
    try:
        if expression.startswith(XPATH):
            etree.XPath(expression[len(XPATH) :].strip())
        else:
            css2xpath(expression)
    except (etree.XPathError, SyntaxError) as exc:  # cssselect's errors are SyntaxErrors
        return f"is not a valid {'XPath' if expression.startswith(XPATH) else 'CSS'}: {exc}"
    return None


def checked_selector(value: str | None, key: str) -> str | None:
    """`value`, or ValueError naming `key` when it is no valid selector."""
    problem = selector_problem(value) if value is not None else None
    if problem:
        raise ValueError(f"{key} {value!r} {problem}")
    return value


class PagesKeys(CareersKeys):
    """`careers_url` is the first listing page; `next_page` the selector of the next
    page's link; `render: true` draws the pages in headless Chromium."""

    render: bool = False
    next_page: str | None = None

    @field_validator("next_page")
    @classmethod
    def _next_page_selector(cls, value: str | None, info: ValidationInfo) -> str | None:
        return checked_selector(value, str(info.field_name))


def origin(company: Company) -> str:
    """`base_url`, else the careers site's own scheme and host: no shared API host."""
    if company.base_url:
        return company.base_url.rstrip("/")
    parts = urlsplit(getattr(company.keys, "careers_url", ""))
    return f"{parts.scheme}://{parts.netloc}"
