"""The HTTP server: routing to platform renderers, faults, the admin API and a request log.

`FakeATS.handle` is transport-free (method, path, headers, body -> Response) so the
routing logic is the same whether a test thread or the CLI serves it.
"""

from __future__ import annotations

import json
import sys
import threading
import traceback
from dataclasses import asdict, dataclass, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

from . import faults
from .base import Platform, Request, Response, Route, json_response
from .boards import DEFAULT_DESCRIPTION_BYTES, Board
from .platforms import PLATFORMS, get_platform

ADMIN_PREFIX = "_fake"


@dataclass(frozen=True)
class LoggedRequest:
    """One served request; `kind` is "list", "detail" or "other" (admin calls are not logged)."""

    method: str
    path: str
    query: dict[str, str]
    status: int
    target: str = ""  # path and query string as sent
    kind: str = "other"
    platform: str | None = None
    token: str | None = None
    fault: str | None = None


class _AdminError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class FakeATS:
    """Serves fake boards for every registered platform on one local port."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0, *, verbose: bool = False) -> None:
        self.host = host
        self.port = port
        self.verbose = verbose
        self._boards: dict[tuple[str, str], Board] = {}
        self._log: list[LoggedRequest] = []
        self._lock = threading.Lock()
        self._routes: list[tuple[Platform, Route]] = [
            (platform, route) for platform in PLATFORMS.values() for route in platform.routes()
        ]
        self._httpd: _HTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -----------------------------------------------------------------------

    def start(self) -> FakeATS:
        """Bind and serve in a daemon thread; returns self."""
        if self._httpd is not None:
            raise RuntimeError("FakeATS is already running")
        httpd = _HTTPServer((self.host, self.port), _Handler)
        httpd.app = self
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(
            target=httpd.serve_forever,
            kwargs={"poll_interval": 0.05},  # stop() waits for one poll: keep tests quick
            name=f"fakeats-{self.port}",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        httpd, thread = self._httpd, self._thread
        self._httpd = self._thread = None
        if httpd is not None:
            httpd.shutdown()
            httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)

    def __enter__(self) -> FakeATS:
        if self._httpd is None:
            self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    @property
    def url(self) -> str:
        """Base URL to use as a company's `base_url` (replaces the real API origin)."""
        if self._httpd is None:
            raise RuntimeError("FakeATS is not running: call start() first")
        return f"http://{self.host}:{self.port}"

    def base_url(self, platform: str, token: str) -> str:
        """What a company on this board sets as `base_url`."""
        prefix = f"/{platform}/{token}" if get_platform(platform).tenant_prefix else ""
        return self.url + prefix

    # -- boards --------------------------------------------------------------------------

    def add_board(
        self,
        platform: str,
        token: str,
        size: int = 100,
        seed: int = 0,
        *,
        description_bytes: int = DEFAULT_DESCRIPTION_BYTES,
        **options: Any,
    ) -> Board:
        """Create (or replace) the board `token` on `platform`.

        `options` are platform-specific (`Platform.board_options`, e.g. Workday's `cap`).
        """
        renderer = get_platform(platform)
        unknown = set(options) - set(renderer.board_options)
        if unknown:
            raise ValueError(f"{platform} boards take no option(s) {sorted(unknown)}")
        board = Board(
            platform,
            token,
            size=size,
            seed=seed,
            external_id=renderer.external_id,
            description_bytes=description_bytes,
            serves_unlisted=renderer.serves_unlisted,
            options={**renderer.board_options, **options},
        )
        with self._lock:
            self._boards[(platform, token)] = board
        return board

    def board(self, platform: str, token: str) -> Board:
        """An existing board; KeyError if there is none."""
        with self._lock:
            return self._boards[(platform, token)]

    def remove_board(self, platform: str, token: str) -> None:
        """Delete a board: its routes answer 404 from now on (a dead token)."""
        with self._lock:
            self._boards.pop((platform, token), None)

    def boards(self) -> list[Board]:
        with self._lock:
            return list(self._boards.values())

    # -- request log ---------------------------------------------------------------------

    @property
    def requests(self) -> list[LoggedRequest]:
        """Copy of the request log, oldest first."""
        with self._lock:
            return list(self._log)

    def clear_requests(self) -> int:
        with self._lock:
            count = len(self._log)
            self._log.clear()
            return count

    # -- dispatch ------------------------------------------------------------------------

    def handle(self, method: str, target: str, headers: dict[str, str], body: bytes) -> Response:
        """Answer one request; `target` is the raw path with query string."""
        split = urlsplit(target)
        query = {k: v[0] for k, v in parse_qs(split.query, keep_blank_values=True).items()}
        segments = [unquote(s) for s in split.path.strip("/").split("/")]
        if segments[0] == ADMIN_PREFIX:
            return self._admin(method, segments[1:], body)
        request = Request(method, split.path, query, headers, {}, body=body)
        entry = LoggedRequest(method, split.path, query, 404, target=target)
        response = json_response({"error": "Not Found"}, status=404)
        route_method = "GET" if method == "HEAD" else method
        if method in ("GET", "HEAD", "POST"):
            for platform, route in self._routes:
                if route.method != route_method:
                    continue
                params = route.match(segments)
                if params is not None:
                    request = replace(request, params=params)
                    response, entry = self._serve(platform, route, request, entry)
                    break
        with self._lock:
            self._log.append(replace(entry, status=response.status))
        return response

    def _serve(
        self, platform: Platform, route: Route, request: Request, entry: LoggedRequest
    ) -> tuple[Response, LoggedRequest]:
        token = request.params["token"]
        entry = replace(entry, kind=route.kind, platform=platform.name, token=token)
        with self._lock:
            board = self._boards.get((platform.name, token))
        if board is None:
            return platform.not_found(request, route.kind), entry
        fault = board.take_fault(platform.page_of(request)) if route.kind == "list" else None
        if fault is None:
            return route.handler(request, board), entry

        def render(empty: bool) -> Response:
            return route.handler(replace(request, empty=empty), board)

        return faults.respond(fault, render), replace(entry, fault=fault.kind)

    # -- admin API -----------------------------------------------------------------------

    def _admin(self, method: str, path: list[str], body: bytes) -> Response:
        try:
            return json_response(self._admin_call(method, path, body))
        except _AdminError as exc:
            return json_response({"error": str(exc)}, status=exc.status)
        except (ValueError, TypeError) as exc:
            return json_response({"error": str(exc)}, status=400)

    def _admin_call(self, method: str, path: list[str], body: bytes) -> Any:
        if path == ["requests"]:
            if method == "GET":
                return {"requests": [asdict(r) for r in self.requests]}
            if method == "DELETE":
                return {"cleared": self.clear_requests()}
        if path == ["boards"]:
            if method == "GET":
                return {"boards": [_board_info(b) for b in self.boards()]}
            if method == "POST":
                data = _json_object(body)
                board = self.add_board(
                    _str(data, "platform"),
                    _str(data, "token"),
                    size=_int(data, "size", 100),
                    seed=_int(data, "seed", 0),
                    description_bytes=_int(data, "description_bytes", DEFAULT_DESCRIPTION_BYTES),
                    **_options(data),
                )
                return _board_info(board)
        if len(path) >= 3 and path[0] == "boards":
            board = self._admin_board(path[1], path[2])
            action = path[3:]
            if action == [] and method == "GET":
                return {**_board_info(board), "ids": board.ids(), "listed_ids": board.listed_ids()}
            if action == [] and method == "DELETE":
                self.remove_board(board.platform, board.token)
                return {"deleted": True}
            if action == ["mutate"] and method == "POST":
                return _mutate(board, _json_object(body))
            if action == ["fault"] and method == "POST":
                return _set_fault(board, _json_object(body))
        raise _AdminError(404, f"no admin route {method} /{ADMIN_PREFIX}/{'/'.join(path)}")

    def _admin_board(self, platform: str, token: str) -> Board:
        try:
            return self.board(platform, token)
        except KeyError:
            raise _AdminError(404, f"no board {platform}:{token}") from None


def _board_info(board: Board) -> dict[str, Any]:
    return {
        "platform": board.platform,
        "token": board.token,
        "size": len(board),
        "seed": board.seed,
        "description_bytes": board.description_bytes,
        "options": board.options,
        "faults": board.faults(),
    }


def _options(data: dict[str, Any]) -> dict[str, Any]:
    """Platform-specific board options: `{"options": {"cap": 2000}}`."""
    options = data.get("options") or {}
    if not isinstance(options, dict):
        raise ValueError("'options' must be an object")
    return options


def _mutate(board: Board, data: dict[str, Any]) -> dict[str, list[str]]:
    """Apply in the order remove, change, add, restore; return the affected ids."""
    unknown = set(data) - {"remove", "change", "add", "restore"}
    if unknown:
        raise ValueError(f"unknown mutation(s) {sorted(unknown)}")
    restore = data.get("restore") or []
    if not isinstance(restore, list):
        raise ValueError("restore must be a list of ids")
    return {
        "removed": board.remove(_int(data, "remove", 0)),
        "changed": board.change(_int(data, "change", 0)),
        "added": board.add(_int(data, "add", 0)),
        "restored": board.restore(str(i) for i in restore),
    }


def _set_fault(board: Board, data: dict[str, Any]) -> dict[str, Any]:
    """`{"kind": null}` clears every fault of the board."""
    options = dict(data)
    kind = options.pop("kind", None)
    if kind is None:
        board.clear_faults()
    else:
        times = options.pop("times", None)
        page = options.pop("page", None)
        board.set_fault(str(kind), times=times, page=page, **options)
    return {"faults": board.faults()}


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body or b"{}")
    except json.JSONDecodeError as exc:
        raise ValueError(f"invalid JSON body: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("the JSON body must be an object")
    return data


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        raise ValueError(f"{key!r} must be a non-empty string")
    return value


def _int(data: dict[str, Any], key: str, default: int) -> int:
    value = data.get(key, default)
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{key!r} must be an integer")
    return value


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    app: FakeATS


class _Handler(BaseHTTPRequestHandler):
    """Thin transport: reads the request, asks `FakeATS.handle`, writes the answer."""

    protocol_version = "HTTP/1.1"  # keep-alive, like the real APIs; every answer has a length
    server_version = "FakeATS/1.0"
    timeout = 60  # idle keep-alive connections give their thread back eventually
    server: _HTTPServer

    def do_GET(self) -> None:
        self._serve()

    do_HEAD = do_POST = do_DELETE = do_PUT = do_GET

    def _serve(self) -> None:
        app = self.server.app
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {name.lower(): value for name, value in self.headers.items()}
        try:
            response = app.handle(self.command, self.path, headers, body)
        except Exception:
            traceback.print_exc(file=sys.stderr)
            response = json_response({"error": "fake ATS internal error"}, status=500)
        try:
            self.send_response(response.status)
            self.send_header("Content-Type", response.content_type)
            self.send_header("Content-Length", str(len(response.body)))
            for name, value in response.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":
                self.wfile.write(response.body)
        except (BrokenPipeError, ConnectionResetError):
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        if self.server.app.verbose:
            super().log_message(format, *args)
