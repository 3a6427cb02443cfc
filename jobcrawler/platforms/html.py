"""Careers pages without structured data, read with CSS/XPath selectors from the YAML."""

from __future__ import annotations

from pydantic import field_validator

from jobcrawler.platforms.base import Platform
from jobcrawler.platforms.careers import PagesKeys, origin, selector_problem

#: Selector name -> the item field it fills, for list items (and, with `detail_`, detail pages).
ITEM_FIELDS: dict[str, str] = {
    "id": "external_id",
    "title": "title",
    "url": "url",
    "apply_url": "apply_url",
    "location": "location",
    "department": "department",
    "team": "team",
    "employment_type": "employment_type",
    "remote_type": "remote_type",
    "posted_at": "posted_at",
    "salary": "salary_text",  # prose such as "$120k - $150k a year"; normalize reads it
}
DETAIL_FIELDS: dict[str, str] = {
    "description": "description_html",
    **{name: field for name, field in ITEM_FIELDS.items() if name not in ("id", "url")},
}
REQUIRED_SELECTORS = ("item", "title", "url")
SELECTOR_NAMES: tuple[str, ...] = (
    "item",
    *ITEM_FIELDS,
    *(f"detail_{name}" for name in DETAIL_FIELDS),
)


class HtmlKeys(PagesKeys):
    """`selectors`: `item`, `title` and `url` required, the others from SELECTOR_NAMES."""

    selectors: dict[str, str]

    @field_validator("selectors")
    @classmethod
    def _known_and_valid(cls, value: dict[str, str]) -> dict[str, str]:
        unknown = sorted(set(value) - set(SELECTOR_NAMES))
        if unknown:
            raise ValueError(
                f"unknown selector(s) {', '.join(unknown)} (known: {', '.join(SELECTOR_NAMES)})"
            )
        missing = [name for name in REQUIRED_SELECTORS if not value.get(name)]
        if missing:
            raise ValueError(f"selectors {', '.join(missing)} required")
        for name, expression in value.items():
            problem = selector_problem(expression)
            if problem:
                raise ValueError(f"selector {name} {expression!r} {problem}")
        return value


PLATFORM = Platform(
    name="html",
    label="HTML",
    keys=HtmlKeys,
    spider="jobcrawler.spiders.html:HtmlSpider",
    origin_of=origin,
    generic=True,  # a posting is checked at its page only with detail_* selectors
    readme_keys="`careers_url`, `selectors`, `next_page`, `render`",
    readme_example="any careers page",
)
