"""The query workers of `openness serve`: processes holding the graph, bounded in time and memory.

Oxigraph cannot interrupt a query from another thread, and a thread that is never stopped would keep
a core busy; a process can be stopped. Each worker holds its own copy of the graph; a query still
running at the time limit has its worker killed and replaced (503). Each worker's address space is
capped (RLIMIT_AS) at its size once the graph is loaded plus a per-query allowance: a query that
needs more fails its allocation, the worker dies or says so, is replaced, and the client gets 503.
Every query passes guard.check_query in the worker too (depth and SERVICE), before Oxigraph parses it.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from collections.abc import Sequence

from ..graph.guard import QueryRefused, check_query
from .endpoint import Answer, ProtocolRequest, execute, serving_store


def _send(stream, obj) -> None:
    payload = pickle.dumps(obj, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(struct.pack(">Q", len(payload)) + payload)
    stream.flush()


def _read_exactly(stream, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError("the pipe closed")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _recv(stream):
    (size,) = struct.unpack(">Q", _read_exactly(stream, 8))
    return pickle.loads(_read_exactly(stream, size))  # noqa: S301 - our own child process, over its private pipe


def _limit_memory(megabytes: int) -> None:
    """Cap this process's address space at its present size plus `megabytes` (the per-query allowance)."""
    import resource

    if megabytes <= 0:
        return
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            size_kb = next(int(line.split()[1]) for line in status if line.startswith("VmSize:"))
    except (OSError, StopIteration, ValueError):
        size_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    limit = size_kb * 1024 + megabytes * 1024 * 1024
    try:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    except (ValueError, OSError):
        pass  # a hard limit already lower than ours: keep it


def _child_env() -> dict[str, str]:
    return {**os.environ, "RUST_BACKTRACE": "0", "OPENNESS_SERVER_PID": str(os.getpid())}


def _exit_with_parent() -> None:
    """End this child process as soon as the server that started it is gone (even if killed with
    SIGKILL), rather than run on as an orphan with a query or the verdicts."""
    parent = int(os.environ.get("OPENNESS_SERVER_PID") or os.getppid())  # as given: it may be gone already

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()


def worker_main() -> None:
    """A query worker: reads (request, accept) messages on stdin, writes Answers on stdout."""
    _exit_with_parent()
    data, max_rows, memory_mb, federation = _recv(sys.stdin.buffer)
    store = serving_store(data)
    _limit_memory(memory_mb)
    out = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing else may write into the answer pipe
    _send(out, ("ready",))
    while True:
        try:
            request, accept = _recv(sys.stdin.buffer)
        except (EOFError, KeyboardInterrupt):
            return
        try:
            check_query(request.query or "", federation)  # again, in case a caller skipped it
            answer = execute(store, request, accept, max_rows)
        except QueryRefused as exc:
            answer = Answer(400, "text/plain", f"{exc.message}\n".encode())
        except MemoryError:
            answer = Answer(503, "text/plain", _memory_message(memory_mb), retire=True)
        except Exception as exc:  # noqa: BLE001 - the worker must answer, never die silently
            answer = Answer(500, "text/plain", f"query failed: {type(exc).__name__}: {exc}\n".encode())
        _send(out, answer)
        if answer.retire:
            return


def _memory_message(memory_mb: int) -> bytes:
    return (f"the query needed more memory than this endpoint allows a query ({memory_mb} MB) and was "
            f"stopped: narrow it or add a LIMIT\n").encode()


class _Worker:
    """One child Python process holding its own copy of the graph (started with subprocess, so
    nothing depends on how the parent's __main__ was started)."""

    def __init__(self, data: Sequence[str], max_rows: int, memory_mb: int, federation: Sequence[str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from openness.linked_data.workers import worker_main; worker_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env=_child_env())
        _send(self.process.stdin, (list(data), max_rows, memory_mb, list(federation)))
        self.ready = False

    def poll(self, timeout: float) -> bool:
        readable, _, _ = select.select([self.process.stdout], [], [], max(0.0, timeout))
        return bool(readable)

    def send(self, obj) -> None:
        _send(self.process.stdin, obj)

    def recv(self):
        return _recv(self.process.stdout)

    def wait_ready(self, timeout: float) -> bool:
        try:
            if not self.ready and self.poll(timeout):
                self.ready = self.recv() == ("ready",)
        except (EOFError, OSError):
            return False
        return self.ready

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(5)
        except subprocess.TimeoutExpired:
            pass
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass


class QueryPool:
    """Worker processes answering queries, each bounded by `time_limit` seconds and `memory_mb` megabytes.

    `workers` general workers take queries in arrival order. One more, the express worker, keeps light
    queries from waiting behind heavy ones: when every general worker is busy, a query runs there for
    at most `light_limit` seconds; one still running then is stopped (that worker is replaced) and
    waits for a general worker like any other. A query that waits longer than `queue_wait` seconds for
    a worker gets 503 with Retry-After.
    """

    def __init__(self, data: Sequence[str] = (), workers: int = 2, time_limit: float = 10.0,
                 max_rows: int = 10_000, *, memory_mb: int = 1024, light_limit: float = 1.0,
                 queue_wait: float | None = None, allow_federation: Sequence[str] = ()) -> None:
        self.data = [str(d) for d in data]
        self.time_limit = time_limit
        self.max_rows = max_rows
        self.memory_mb = memory_mb
        self.light_limit = min(light_limit, time_limit)
        self.queue_wait = queue_wait if queue_wait is not None else max(30.0, 3 * time_limit)
        self.allow_federation = tuple(allow_federation)
        self._idle: dict[str, list[_Worker]] = {"general": [], "express": []}
        self._all: set[_Worker] = set()
        self._lock = threading.Condition()
        self._closed = False
        for _ in range(max(1, workers)):
            self._add("general")
        if light_limit > 0:
            self._add("express")

    def _add(self, lane: str) -> None:
        worker = _Worker(self.data, self.max_rows, self.memory_mb, self.allow_federation)
        with self._lock:
            self._all.add(worker)
            self._idle[lane].append(worker)
            self._lock.notify_all()

    def _release(self, worker: _Worker, lane: str) -> None:
        with self._lock:
            self._idle[lane].append(worker)
            self._lock.notify_all()

    def _retire(self, worker: _Worker, lane: str) -> None:
        with self._lock:
            self._all.discard(worker)
        worker.stop()
        if not self._closed:
            self._add(lane)

    def _retire_later(self, worker: _Worker, lane: str) -> None:
        threading.Thread(target=self._retire, args=(worker, lane), daemon=True).start()

    def _take(self, deadline: float, express: bool) -> tuple[_Worker, str] | None:
        """An idle general worker (or, if `express`, the express one while no general one is idle)."""
        with self._lock:
            while not self._closed:
                if self._idle["general"]:
                    return self._idle["general"].pop(), "general"
                if express and self._idle["express"]:
                    return self._idle["express"].pop(), "express"
                left = deadline - time.monotonic()
                if left <= 0:
                    return None
                self._lock.wait(left)
        return None

    def run(self, request: ProtocolRequest, accept: str | None) -> Answer:
        """Answer one query, or 503 when it runs past the time or memory limit or every worker stays busy."""
        deadline = time.monotonic() + self.queue_wait
        express = self.light_limit > 0
        while True:
            taken = self._take(deadline, express)
            if taken is None:
                return Answer(503, "text/plain", b"the endpoint is busy: try again shortly\n",
                              headers={"Retry-After": "5"})
            worker, lane = taken
            limit = self.light_limit if lane == "express" else self.time_limit
            answer = self._run_on(worker, lane, request, accept, limit)
            if answer is not None:
                return answer
            if lane == "general":
                return Answer(503, "text/plain", f"the query ran past this endpoint's time limit of "
                                                 f"{self.time_limit:g} seconds and was stopped\n".encode())
            express = False  # too heavy for the express lane: wait for a general worker

    def _run_on(self, worker: _Worker, lane: str, request: ProtocolRequest, accept: str | None,
                limit: float) -> Answer | None:
        """The worker's answer, or None when it ran past `limit` (the worker is then replaced)."""
        if not worker.wait_ready(60):
            self._retire_later(worker, lane)
            return Answer(503, "text/plain", b"the query worker did not start\n")
        try:
            worker.send((request, accept))
            if worker.poll(limit):
                answer = worker.recv()
                if answer.retire:
                    self._retire_later(worker, lane)
                else:
                    self._release(worker, lane)
                return answer
        except (EOFError, OSError):
            try:
                code = worker.process.wait(5)
            except subprocess.TimeoutExpired:
                code = None
            self._retire_later(worker, lane)
            if code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV):
                return Answer(503, "text/plain", _memory_message(self.memory_mb) if code != -signal.SIGSEGV
                              else b"the query worker crashed on this query and was replaced\n")
            return Answer(500, "text/plain", b"the query worker failed\n")
        self._retire_later(worker, lane)
        return None

    def wait_ready(self, timeout: float = 60) -> None:
        with self._lock:
            workers = list(self._all)
        for worker in workers:
            worker.wait_ready(timeout)

    def close(self) -> None:
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
            self._lock.notify_all()
        for worker in workers:
            worker.stop()


def verdicts_main() -> None:
    """Claim verdicts for `openness serve`, in a process of their own at a lower priority: pySHACL is
    pure Python, and in the server's process it would hold the interpreter lock for minutes."""
    from ..claims.service import compute_verdicts
    from ..graph.dataset import Dataset

    _exit_with_parent()
    data = _recv(sys.stdin.buffer)
    out = sys.stdout.buffer
    sys.stdout = sys.stderr
    try:
        os.nice(10)
    except OSError:
        pass
    try:
        result = ("ok", compute_verdicts(Dataset.load(data)))
    except Exception as exc:  # noqa: BLE001 - reported by the server as one line
        result = ("error", f"{type(exc).__name__}: {exc}")
    _send(out, result)


class VerdictsProcess:
    """compute_verdicts(Dataset.load(data)) in a child process; stop() ends it early."""

    def __init__(self, data: Sequence[str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-c", "from openness.linked_data.workers import verdicts_main; verdicts_main()"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0, env=_child_env())
        _send(self.process.stdin, list(data))

    def __call__(self, dataset=None) -> tuple[list, str | None]:
        """Wait for the verdicts (the dataset argument is ignored: the child loads its own copy)."""
        try:
            status, value = _recv(self.process.stdout)
        except (EOFError, OSError):
            raise RuntimeError(f"the verdicts process ended without an answer (exit {self.process.wait()})") from None
        finally:
            self.stop()
        if status != "ok":
            raise RuntimeError(value)
        return value

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            try:
                stream.close()
            except OSError:
                pass
