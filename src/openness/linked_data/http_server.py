"""The HTTP stack under `openness serve`: Waitress on a socket bound before anything else is loaded.

Waitress is a production WSGI server (pure Python, no dependencies): it parses requests itself
(a malformed or negative Content-Length is a 400), bounds header and body sizes, accepts up to
`connection_limit` connections with a backlog of 1024 and runs the application on a thread pool.
Its own error answers carry the security headers too; socket errors (clients that go away) are not
logged as tracebacks.
"""

from __future__ import annotations

import errno
import logging
import socket
import sys
import threading
from http import HTTPStatus

from ..errors import OpennessError
from .endpoint import MAX_BODY

SECURITY_HEADERS = {
    "Content-Security-Policy": ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                                "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
}


def listen_socket(host: str, port: int, backlog: int = 1024) -> socket.socket:
    """A socket bound to host:port and listening, or an OpennessError naming the problem (checked first,
    so a busy port or a bad host is reported at once, before the graph is loaded)."""
    where = f"{host}:{port}"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError, ValueError) as exc:
        raise OpennessError(f"cannot listen on {where}: unknown host {host!r} ({getattr(exc, 'strerror', None) or exc})") from None
    family, kind, proto, _, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(backlog)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            reason = f"port {port} is in use (choose another with --port, or --port 0 for any free one)"
        elif exc.errno == errno.EADDRNOTAVAIL:
            reason = f"{host} is not an address of this machine"
        elif exc.errno == errno.EACCES:
            reason = "permission denied (ports below 1024 need privileges)"
        else:
            reason = exc.strerror or str(exc)
        raise OpennessError(f"cannot listen on {where}: {reason}") from None
    return sock


class Server:
    """Waitress serving a LinkedDataApp on an already-listening socket.

    serve_forever() runs Waitress's event loop in the calling thread until shutdown() (from another
    thread) or Ctrl-C; server_close() stops the worker threads and the query workers.
    """

    def __init__(self, sock: socket.socket, app, threads: int = 32) -> None:
        from waitress.adjustments import Adjustments
        from waitress.channel import HTTPChannel
        from waitress.server import TcpWSGIServer
        from waitress.task import ErrorTask, ThreadedTaskDispatcher

        class _ErrorTask(ErrorTask):  # Waitress's own error answers (a malformed request) get them too
            def execute(self) -> None:
                self.response_headers.extend(SECURITY_HEADERS.items())
                super().execute()

        class _Channel(HTTPChannel):
            error_task_class = _ErrorTask

        class _Server(TcpWSGIServer):
            channel_class = _Channel

        logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # a queue under load is expected
        self.app = app
        self.server_address = sock.getsockname()[:2]
        self._map: dict = {}
        self._stop = threading.Event()
        self._stopped = threading.Event()
        self._stopped.set()
        adj = Adjustments(sockets=[sock], threads=threads, ident="openness", connection_limit=1000, backlog=1024,
                          max_request_body_size=MAX_BODY, max_request_header_size=65536, channel_timeout=60,
                          log_socket_errors=False, expose_tracebacks=False, asyncore_use_poll=True,
                          clear_untrusted_proxy_headers=True)
        dispatcher = ThreadedTaskDispatcher()
        dispatcher.set_thread_count(threads)
        self._dispatcher = dispatcher
        self._server = _Server(app, self._map, True, sock, dispatcher=dispatcher, adj=adj, bind_socket=False,
                               sockinfo=(sock.family, sock.type, sock.proto, sock.getsockname()))

    def serve_forever(self) -> None:
        from waitress import wasyncore

        self._stopped.clear()
        try:
            while not self._stop.is_set():
                wasyncore.loop(timeout=0.2, map=self._map, use_poll=True, count=1)
        finally:
            self._stopped.set()

    def shutdown(self) -> None:
        self._stop.set()
        self._stopped.wait(10)

    def server_close(self) -> None:
        from waitress import wasyncore

        self._stop.set()
        self._stopped.wait(10)
        self._dispatcher.shutdown(timeout=2)
        wasyncore.close_all(self._map)
        self.app.close()


class WsgiHeaders:
    """Request headers from a WSGI environ, looked up by their HTTP names."""

    def __init__(self, environ) -> None:
        self.environ = environ

    def get(self, name: str, default: str | None = None) -> str | None:
        key = name.upper().replace("-", "_")
        if key in ("CONTENT_TYPE", "CONTENT_LENGTH"):
            return self.environ.get(key, default)
        return self.environ.get("HTTP_" + key, default)


def status_phrase(status: int) -> str:
    """The reason phrase of an HTTP status, for the WSGI status line."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Status"


def log_line(line: str) -> None:
    """One line on stderr; a closed or broken stderr is not an error of the request."""
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
