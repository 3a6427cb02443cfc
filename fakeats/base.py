"""What a platform module provides: its routes, its id scheme and its error shapes.

A new ATS plugs in as one module with a `Platform` subclass plus one line in
`platforms.py`; the server does routing, board lookup, faults and logging for all of them.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .boards import Board
    from .postings import Posting

JSON_TYPE = "application/json; charset=utf-8"
HTML_TYPE = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Request:
    """A parsed incoming request as a platform handler sees it."""

    method: str
    path: str
    query: Mapping[str, str]  # first value of each parameter
    headers: Mapping[str, str]  # lower-cased names
    params: Mapping[str, str]  # values captured by the route pattern
    empty: bool = False  # the `empty` fault: render the board as if it had no postings
    body: bytes = b""  # request body (POST routes, e.g. Workday's JSON search)

    def flag(self, name: str) -> bool:
        """Boolean query parameter the way the APIs read them (`content=true`)."""
        return self.query.get(name, "").lower() in ("true", "1", "yes")

    def json(self) -> Any:
        """The body parsed as JSON; ValueError when it is not JSON."""
        return json.loads(self.body or b"null")


@dataclass
class Response:
    status: int
    body: bytes
    content_type: str = JSON_TYPE
    headers: dict[str, str] = field(default_factory=dict)


def dumps(data: Any) -> bytes:
    """Compact JSON; non-ASCII as \\u escapes (valid JSON, and the fast path of the encoder)."""
    return json.dumps(data, separators=(",", ":")).encode()


def json_response(data: Any, status: int = 200) -> Response:
    return Response(status, dumps(data))


Handler = Callable[[Request, "Board"], Response]


@dataclass(frozen=True)
class Route:
    """`pattern` segments in braces capture values; `{token}` names the board.

    kind "list" marks listing requests (faults apply to them), "detail" single postings.
    `method` is the HTTP method the route answers (GET routes also answer HEAD).
    """

    pattern: str
    kind: str
    handler: Handler
    method: str = "GET"

    def match(self, segments: Sequence[str]) -> dict[str, str] | None:
        parts = self.pattern.strip("/").split("/")
        if len(parts) != len(segments):
            return None
        params: dict[str, str] = {}
        for part, segment in zip(parts, segments, strict=True):
            if part.startswith("{") and part.endswith("}"):
                if not segment:
                    return None
                params[part[1:-1]] = segment
            elif part != segment:
                return None
        return params


class Platform:
    """Base for one ATS. Subclasses set `name` and implement `routes` and `external_id`."""

    name: str = ""
    serves_unlisted: bool = False  # the API returns postings crawlers must skip (Ashby)
    #: Platforms whose tenants have their own host (`{board}.recruitee.com`) are served under
    #: `/{name}/{token}` instead, so routes start with that prefix and a company's
    #: `base_url` is `server.base_url(platform, token)`.
    tenant_prefix: bool = False
    #: Per-board options the platform understands, with their defaults
    #: (`FakeATS.add_board(..., **options)`; stored as `Board.options`).
    board_options: Mapping[str, Any] = {}

    def routes(self) -> Sequence[Route]:
        raise NotImplementedError

    def stored_id(self, posting: Posting, base_url: str) -> str:
        """The external id a crawl of this board stores for `posting`."""
        return posting.external_id

    def company_keys(self, token: str) -> dict[str, Any]:
        """The platform keys of a company crawling board `token` (its `base_url` is
        `FakeATS.base_url(name, token)`)."""
        return {"board": token}

    def external_id(self, seed: int, index: int) -> str:
        """The id of posting `index` as the API prints it, as a string."""
        raise NotImplementedError

    def page_of(self, request: Request) -> int:
        """0-based listing page of a request (platforms without paging have only page 0)."""
        return 0

    def not_found(self, request: Request, kind: str) -> Response:
        """Unknown board or posting."""
        return json_response({"error": "Not Found"}, status=404)
