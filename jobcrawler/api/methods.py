"""HTTP methods as a client expects them, where FastAPI's routing falls short.

- HEAD on every GET resource (RFC 9110 9.3.2): uptime checks and `curl -I` use it, and
  FastAPI routes take only the methods they declare, so HEAD got 405. It is run as the
  GET, without the body; the headers stay the GET's.
- A 405 lists every method of the resource in `Allow`: FastAPI makes one route per
  method, and the first route of the path answered with its own method alone
  (`GET /searches` said `Allow: GET`, hiding POST).
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import Response
from starlette.exceptions import HTTPException
from starlette.routing import Match
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: The methods the API's routes use.
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


class HeadAsGet:
    """ASGI middleware: a HEAD request is answered as the same GET without its body."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, headers_only)


def install(app: FastAPI) -> None:
    """HEAD for GET, and complete `Allow` headers, on `app`."""
    app.add_middleware(HeadAsGet)

    @app.exception_handler(HTTPException)
    async def complete_allow(request: Request, exc: HTTPException) -> Response:
        if exc.status_code == 405:
            exc.headers = {"Allow": ", ".join(allowed(request.app, request.scope))}
        return await http_exception_handler(request, exc)


def allowed(app: FastAPI, scope: Scope) -> list[str]:
    """The methods some route of the request's path takes, HEAD with GET; found by asking
    the routes (`matches`), as included routers hide their own."""
    methods = [
        method
        for method in METHODS
        if any(
            route.matches({**scope, "method": method})[0] == Match.FULL
            for route in app.router.routes
        )
    ]
    return sorted({*methods, *(["HEAD"] if "GET" in methods else [])})
