"""UKG Pro (UltiPro) Recruiting: job boards `{host}/{TENANT}/JobBoard/{board-guid}`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit

from jobcrawler.platforms.base import CareersKeys, Entry, Platform
from jobcrawler.platforms.sites import careers_origin, careers_url

if TYPE_CHECKING:
    pass

#: Board hosts: `recruiting.ultipro.com`, `recruiting2.ultipro.com`, `recruiting.ultipro.ca`,
#: and the newer `{customer}.rec.pro.ukg.net`.
_HOST = re.compile(r"recruiting\d*\.ultipro\.(?:com|ca)|[a-z0-9-]+\.rec\.pro\.ukg\.net")
_TENANT = re.compile(r"^[A-Za-z0-9]+$")
_BOARD = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


@dataclass(frozen=True, slots=True)
class JobBoard:
    """A UKG job board: the host origin, the tenant alias and the board's GUID."""

    origin: str
    tenant: str
    board: str

    @property
    def url(self) -> str:
        return f"{self.origin}/{self.tenant}/JobBoard/{self.board}"


def job_board(host: str, segments: list[str]) -> JobBoard | None:
    """The board of a lower-case host and its path (`/{TENANT}/JobBoard/{guid}/...`)."""
    if not _HOST.fullmatch(host) or len(segments) < 3 or segments[1].lower() != "jobboard":
        return None
    tenant, board = segments[0], segments[2]
    if not (_TENANT.match(tenant) and _BOARD.match(board)):
        return None
    return JobBoard(f"https://{host}", tenant, board.lower())


def parse_careers_url(url: str) -> JobBoard | None:
    """The job board of an http(s) URL, or None."""
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https"):
        return None
    return job_board(host, [unquote(s) for s in parts.path.split("/") if s])


def recognize(host: str, segments: list[str], query: dict[str, list[str]]) -> Entry | None:
    board = job_board(host, segments)
    return {"ats": "ukg", "careers_url": board.url} if board else None


def default_name(entry: Mapping[str, str], url: str) -> str | None:
    board = parse_careers_url(entry.get("careers_url", ""))
    return board.tenant.lower() if board else None


class UKGKeys(CareersKeys):
    """`careers_url`: the job board's URL, which names its tenant and board GUID."""

    def model_post_init(self, context: Any) -> None:
        if parse_careers_url(self.careers_url) is None:
            raise ValueError(
                f"careers_url {self.careers_url!r} is not a UKG job board URL "
                "(https://recruiting.ultipro.com/{TENANT}/JobBoard/{board-guid})"
            )


PLATFORM = Platform(
    name="ukg",
    label="UKG Pro",
    keys=UKGKeys,
    spider="jobcrawler.spiders.ukg:UKGSpider",
    origin_of=careers_origin(parse_careers_url),
    tenant_domains=(".rec.pro.ukg.net",),
    domains=("ultipro.com", "ultipro.ca", "ukg.net"),
    recognize=recognize,
    board_url=careers_url,
    default_name=default_name,
    example={
        "careers_url": "https://recruiting.ultipro.com/ACM1001ACME/JobBoard/"
        "dcc5dbea-875e-4cd1-bfd2-8e046cecc54f"
    },
    readme_keys="`careers_url`",
    readme_example="`https://recruiting.ultipro.com/ACM1001ACME/JobBoard/{board-guid}/`",
)
