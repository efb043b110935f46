"""A real HTTP webhook receiver on loopback (http.server in a thread) for the tests: it verifies the
signature of every request with the shared secret and answers with scripted status codes."""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from gateway.api.webhooks import SIGNATURE_HEADER, SignatureError, verify_signature


@dataclass
class Received:
    body: dict[str, Any]
    headers: dict[str, str]
    signature_ok: bool
    signature_error: str | None
    answered: int


@dataclass
class Receiver:
    secret: str
    script: list[int] = field(default_factory=list)  # status codes to answer, then 200
    received: list[Received] = field(default_factory=list)
    server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self.server is not None
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}/hooks"

    def start(self) -> "Receiver":
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                try:
                    verify_signature(receiver.secret, self.headers.get(SIGNATURE_HEADER), raw, time.time())
                    ok, error = True, None
                except SignatureError as exc:
                    ok, error = False, str(exc)
                status = receiver.script.pop(0) if receiver.script else (200 if ok else 401)
                receiver.received.append(Received(json.loads(raw), dict(self.headers.items()), ok,
                                                  error, status))
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
