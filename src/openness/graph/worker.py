"""A local query under a time limit: pyoxigraph cannot be interrupted from another thread, so the
query runs in a forked child (it shares the loaded store copy-on-write, nothing is re-loaded) and is
killed when the limit passes or the user presses Ctrl-C.

Outcomes: the result; the query's own error (exit 2); QueryTimeout (exit 3) after `timeout` seconds;
KeyboardInterrupt re-raised at once (the CLI exits 130); a child killed by a signal (a parser stack
overflow, the memory limit) is reported as bad input, never taking the command down with it.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import time
from collections.abc import Mapping

from ..errors import OpennessError
from .query import LocalBackend, QueryResult

DEFAULT_TIMEOUT = 300.0


class QueryTimeout(OpennessError):
    """A query stopped at its time limit: undetermined, exit code 3."""

    exit_code = 3


def run_limited(backend, text: str, bindings: Mapping | None = None, timeout: float = DEFAULT_TIMEOUT) -> QueryResult:
    """`backend.run(text, bindings)`, stopped after `timeout` seconds (0: no limit, run in this process).

    Only a LocalBackend runs in a child; a remote endpoint has its own client time limit."""
    if not timeout or not isinstance(backend, LocalBackend) or not hasattr(os, "fork"):
        return backend.run(text, bindings)
    read_end, write_end = os.pipe()
    # Ctrl-C is held back across the fork: arriving between fork() and the parent's `try`, it would leave
    # the child running the query with nobody to stop it.
    parent = os.getpid()
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        pid = os.fork()
    except BaseException:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        raise
    if pid == 0:  # the child: run, send the pickled outcome, leave without running any clean-up
        os.close(read_end)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        die_with_parent(parent)
        try:
            outcome: tuple = ("ok", backend.run(text, bindings))
        except OpennessError as exc:
            outcome = ("error", exc.message, exc.exit_code)
        except BaseException as exc:  # noqa: BLE001 - reported by the parent as one line
            outcome = ("error", f"the query failed: {type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}", 2)
        try:
            payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(write_end, "wb") as pipe:
                pipe.write(payload)
        finally:
            os._exit(0)
    try:
        os.close(write_end)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
        payload = _read_until(read_end, time.monotonic() + timeout, timeout)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read_end)
    _, status = os.waitpid(pid, 0)
    if not payload:
        if os.WIFSIGNALED(status):
            name = signal.Signals(os.WTERMSIG(status)).name
            raise OpennessError(f"the query could not be evaluated: the query engine stopped with {name} "
                                "(a query nested too deeply, or too large for the memory available?)")
        raise OpennessError("the query could not be evaluated: the query engine stopped without an answer")
    outcome = pickle.loads(payload)  # noqa: S301 - written by our own child process
    if outcome[0] == "ok":
        return outcome[1]
    error = OpennessError(outcome[1])
    error.exit_code = outcome[2]
    raise error


def die_with_parent(parent: int) -> None:
    """In a forked child: be killed when `parent` ends, however it ends (Linux; elsewhere a no-op).

    A parent killed outright (SIGKILL, the OOM killer) runs no clean-up, and its query child would go on
    evaluating a runaway query, orphaned."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent ended before the request took effect
        os._exit(1)


def _read_until(fd: int, deadline: float, timeout: float) -> bytes:
    chunks: list[bytes] = []
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise QueryTimeout(f"the query was stopped after {timeout:g} s (--timeout SECONDS sets the limit; 0: none)")
        ready, _, _ = select.select([fd], [], [], min(left, 0.5))
        if not ready:
            continue
        chunk = os.read(fd, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except (ProcessLookupError, ChildProcessError):
        pass
