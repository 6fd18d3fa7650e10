"""A TCP proxy on 127.0.0.1 that tests can take down or cut, to fake a lost database.

It relays bytes between the app and a real server unchanged. `down()` closes
the listener and every relayed connection (the database is unreachable);
`up()` listens again on the same port. `cut_on(marker)` closes a connection
the moment the app sends bytes containing `marker`, before they reach the
server: the statement, and so the transaction, is lost half-way.
"""

import contextlib
import os
import socket
import threading
from collections.abc import Iterator

import pytest
from sqlalchemy.engine import make_url

from office_core.db import Database
from tests.conftest import BACKENDS, fresh_database_url

PORT = int(os.environ.get("DWIGITAL_TEST_PROXY_PORT", "0"))
NEEDS_POSTGRES = pytest.mark.skipif(
    "postgresql" not in BACKENDS, reason="PostgreSQL is not among the test databases"
)


class TcpProxy:
    """Relay 127.0.0.1:<port> to `target`; see the module docstring."""

    def __init__(self, target: tuple[str, int]):
        self.target = target
        self.port = PORT
        self.cuts = 0
        self._marker: bytes | None = None
        self._lock = threading.Lock()
        self._sockets: set[socket.socket] = set()
        self._listener: socket.socket | None = None

    def up(self) -> "TcpProxy":
        """Start accepting connections (again, on the same port)."""
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(32)
        self.port = listener.getsockname()[1]
        self._listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()
        return self

    def down(self) -> None:
        """Stop listening and drop every open connection."""
        if self._listener is not None:
            # shutdown() wakes the thread blocked in accept(), so the port is
            # free again at once.
            _close(self._listener)
            self._listener = None
        self.cut()

    def cut(self) -> None:
        """Drop every open connection; new ones are still accepted."""
        with self._lock:
            doomed, self._sockets = self._sockets, set()
        for sock in doomed:
            _close(sock)

    def cut_on(self, marker: bytes | None) -> None:
        """Drop a connection when the app sends `marker`; None stops doing so."""
        self._marker = marker

    def url(self, database_url: str) -> str:
        """Return `database_url` pointed at this proxy instead of the server."""
        host = f"{self.target[0]}:{self.target[1]}"
        return database_url.replace(host, f"127.0.0.1:{self.port}", 1)

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            try:
                server = socket.create_connection(self.target)
            except OSError:
                _close(client)
                continue
            with self._lock:
                self._sockets |= {client, server}
            for source, sink, watch in (
                (client, server, True),
                (server, client, False),
            ):
                threading.Thread(
                    target=self._pump, args=(source, sink, watch), daemon=True
                ).start()

    def _pump(self, source: socket.socket, sink: socket.socket, watch: bool) -> None:
        try:
            while data := source.recv(65536):
                marker = self._marker
                if watch and marker is not None and marker in data:
                    self.cuts += 1
                    break
                sink.sendall(data)
        except OSError:
            pass
        _close(source)
        _close(sink)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    sock.close()


@contextlib.contextmanager
def postgres_behind_proxy(tmp_path) -> Iterator[tuple[Database, TcpProxy]]:
    """Yield a fresh migrated PostgreSQL database, reached directly, and a proxy."""
    url, drop = fresh_database_url("postgresql", tmp_path)
    direct = Database(url)
    direct.migrate()
    server = make_url(url)
    proxy = TcpProxy((server.host, server.port or 5432)).up()
    try:
        yield direct, proxy
    finally:
        proxy.down()
        direct.dispose()
        drop()
