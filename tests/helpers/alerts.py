"""Real receivers for alerts: a webhook server that checks signatures and can go down,
and an SMTP server (aiosmtpd) that keeps the messages it accepts."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from sqlalchemy import Engine, select

from jobcrawler.alerts import records
from jobcrawler.alerts.spec import SearchSpec
from jobcrawler.alerts.worker import match_all
from jobcrawler.db.engine import write_transaction
from jobcrawler.db.models import Delivery
from tests.helpers.pgserver import free_port


class Receiver:
    """An HTTP server on 127.0.0.1 answering POSTs with `handle`. `stop()` closes the port
    (connection refused, as a receiver that is down); `start()` opens the same port again."""

    def __init__(self) -> None:
        self.port = free_port()
        self._server: ThreadingHTTPServer | None = None
        self.lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def handle(self, headers: Any, raw: bytes) -> int:
        raise NotImplementedError

    def start(self) -> None:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                raw = self.rfile.read(int(self.headers["Content-Length"]))
                with receiver.lock:
                    status = receiver.handle(self.headers, raw)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None


class WebhookReceiver(Receiver):
    """Checks each POST's signature: `received` holds (delivery id, body, signature valid)."""

    def __init__(self, secret: str) -> None:
        super().__init__()
        self.secret = secret
        self.received: list[tuple[str, dict[str, Any], bool]] = []

    def signed(self, header: str, raw: bytes) -> bool:
        """The documented scheme, computed here from scratch: t=<unix>,v1=HMAC(t.body)."""
        fields = dict(part.split("=", 1) for part in header.split(","))
        mac = hmac.new(self.secret.encode(), fields["t"].encode() + b"." + raw, hashlib.sha256)
        recent = abs(time.time() - int(fields["t"])) < 300
        return recent and hmac.compare_digest(mac.hexdigest(), fields["v1"])

    def handle(self, headers: Any, raw: bytes) -> int:
        ok = self.signed(headers.get("X-Jobcrawler-Signature", "t=0,v1="), raw)
        self.received.append((headers["X-Jobcrawler-Delivery"], json.loads(raw), ok))
        return 204 if ok else 401

    def events(self) -> list[tuple[str, str]]:
        """(kind, external id) of every event received, in order."""
        return [(b["event"]["kind"], b["posting"]["external_id"]) for _, b, _ in self.received]


class SlackReceiver(Receiver):
    """Takes Slack-style `{"text": ...}` POSTs; `texts` are what came."""

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []

    def handle(self, headers: Any, raw: bytes) -> int:
        self.texts.append(json.loads(raw)["text"])
        return 200


class SmtpSink:
    """aiosmtpd on a free port; `messages` are the parsed messages it accepted. With
    `login` (user, password), it requires AUTH with them before it takes mail."""

    def __init__(self, login: tuple[str, str] | None = None) -> None:
        self.messages: list[Message] = []
        self.port = free_port()
        sink = self

        class Handler:
            async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
                sink.messages.append(message_from_bytes(envelope.content))
                return "250 OK"

        def check(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> Any:
            given = (data.login.decode(), data.password.decode())
            return AuthResult(success=given == login, handled=False)

        auth = {"authenticator": check, "auth_required": True} if login else {}
        self._controller = Controller(
            Handler(), hostname="127.0.0.1", port=self.port, auth_require_tls=False, **auth
        )

    def __enter__(self) -> SmtpSink:
        self._controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._controller.stop()


SECRET = "s3cret-for-tests-only"


def subscribe(engine: Engine, name: str = "watch", **spec: Any) -> int:
    """Save search `name` (API source) with `spec`; a webhook subscriber by default."""
    spec.setdefault("subscribers", [{"webhook": "http://127.0.0.1:9/hook", "secret": SECRET}])
    with write_transaction(engine) as conn:
        return records.save(
            conn, SearchSpec.model_validate({"name": name, **spec}), "api", datetime.now(UTC)
        )


def queued(engine: Engine) -> list[tuple[str, str]]:
    """(event key, state) of every delivery, oldest first."""
    query = select(Delivery.event_key, Delivery.state).order_by(Delivery.id)
    with engine.connect() as conn:
        return [tuple(row) for row in conn.execute(query)]


def queued_postings(engine: Engine) -> list[tuple[str, str]]:
    """(event kind, posting external id) of every queued posting event."""
    query = select(Delivery.payload).order_by(Delivery.id)
    with engine.connect() as conn:
        payloads = conn.execute(query).scalars().all()
    return [(p["event"]["kind"], p["posting"]["external_id"]) for p in payloads]


def match_until(engine: Engine, deliveries: int, timeout: float = 300) -> None:
    """Match until `deliveries` are queued. On PostgreSQL the feed holds events back while
    an older transaction runs anywhere on the server (test runs share it)."""
    deadline = time.monotonic() + timeout
    while True:
        match_all(engine, datetime.now(UTC))
        if len(queued(engine)) >= deliveries:
            return
        assert time.monotonic() < deadline, f"{len(queued(engine))} of {deliveries} queued"
        time.sleep(0.1)
