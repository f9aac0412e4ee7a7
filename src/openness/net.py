"""Local servers for the benchmark and the tests: a free port on 127.0.0.1, and waiting until a URL answers."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_until_up(url: str, timeout: float = 30.0, interval: float = 0.1) -> None:
    """Poll `url` until it answers (any HTTP status) or the deadline passes (TimeoutError)."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=2).close()  # noqa: S310 - a local server this process started
            return
        except urllib.error.HTTPError:
            return
        except OSError as exc:  # URLError is an OSError
            last = exc
            time.sleep(interval)
    raise TimeoutError(f"{url} did not come up within {timeout:g} s: {last}")
