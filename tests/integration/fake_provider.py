"""A fake WhatsApp provider on 127.0.0.1 that answers as told and records requests."""

import json
import threading
import time
from collections import deque
from contextlib import suppress
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs


@dataclass
class Received:
    """One request the fake got."""

    path: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body)

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


@dataclass
class FakeProvider:
    """Answers queued per phone number; `default` when none is queued."""

    server: ThreadingHTTPServer
    answers: dict[str, deque] = field(default_factory=dict)
    default: tuple = (200, {"messages": [{"id": "wamid.OK"}]})
    received: list[Received] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def answer(self, number: str, *answers: tuple) -> None:
        """Queue answers for requests to `number` (digits, no +)."""
        self.answers.setdefault(number, deque()).extend(answers)

    def next_answer(self, number: str) -> tuple:
        with self.lock:
            queued = self.answers.get(number)
            return queued.popleft() if queued else self.default


def _handler(fake_ref: list):
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            fake = fake_ref[0]
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            request = Received(self.path, dict(self.headers.items()), body)
            with fake.lock:
                fake.received.append(request)
            status, payload, *extra = fake.next_answer(_number(request))
            if status == "sleep":
                time.sleep(payload)
                status, payload = 200, {"messages": [{"id": "late"}]}
            # The client may have given up waiting: that was the test's timeout.
            with suppress(BrokenPipeError, ConnectionResetError):
                self._answer(status, payload, extra[0] if extra else {})

        def _answer(self, status: int, payload: dict, headers: dict) -> None:
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(json.dumps(payload).encode())

        def log_message(self, *args) -> None:
            pass

    return Handler


def _number(request: Received) -> str:
    if request.headers.get("Content-Type", "").startswith("application/json"):
        return request.json().get("to", "")
    return request.form().get("target", "")


def start_fake() -> FakeProvider:
    """Start the fake on a free port of 127.0.0.1 in a daemon thread."""
    ref: list = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(ref))
    fake = FakeProvider(server)
    ref.append(fake)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return fake
