"""`openness bench --push`: the largest catalogue `push`ed into a stock Oxigraph server, the saved queries there.

The catalogue is bulk-loaded beside the bundled graph into an on-disk store; `push` streams it from there
(nothing loaded into memory); each saved query then runs from a new client. Push time, query times and
the peak resident memory of the client and of the server (a separate process, sampled) are recorded.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

from measure import _tree_rss_kb, _wait_http, child
from openness.net import free_port

PUSH_LOAD = r"""
import json, sys, time
from openness.graph.dataset import Dataset
t = time.perf_counter(); Dataset.load([sys.argv[1]], sys.argv[2], include_generated=False)
print(json.dumps({"load_s": time.perf_counter() - t}))
"""

PUSH = r"""
import json, sys, time
from openness.graph.dataset import Dataset
from openness.linked_data.push import push
url, catalogue, store = sys.argv[1:4]
d = Dataset.load([catalogue], store, include_generated=False)  # already loaded: opens the on-disk store
t = time.perf_counter(); report = push(url + "/store", dataset=d, timeout=3600)
print(json.dumps({"push_s": time.perf_counter() - t, "triples": sum(g.triples for g in report.graphs),
                  "graphs": [g.graph for g in report.graphs]}))
"""

PUSHED_QUERY = r"""
import json, sys, time
import pyoxigraph as ox
from openness.graph.query import RemoteBackend, saved_queries
url, graphs, name, limit = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], float(sys.argv[4])
# The server stops a query at `limit` (oxigraph serve --timeout-s); the client waits a little longer.
backend = RemoteBackend(url + "/query", graphs, timeout=limit + 30)
P, L = "https://w3id.org/openness/id/project/", "https://w3id.org/openness/id/licence/apache-2-0"
params = {"a": ox.NamedNode(P + "synthetic-00001"), "b": ox.NamedNode(P + "synthetic-00002"),
          "project": ox.NamedNode(P + "synthetic-00001"), "licence": ox.NamedNode(L)}
q = saved_queries()[name]
t = time.perf_counter(); backend.run(q.text, {p.name: params[p.name] for p in q.params})
print(json.dumps({"query_s": time.perf_counter() - t}))
"""


class _Server:
    """A stock Oxigraph server (`oxigraph serve`) whose resident memory is sampled in a thread; past
    `limit_mb` it is stopped (the machine is shared: a query that would take all its memory is stopped
    as one that would run all night is), and `take()` says so."""

    def __init__(self, binary: str, location: Path, query_limit: float, limit_mb: float) -> None:
        self.args = [binary, "serve", "--location", str(location), "--timeout-s", f"{query_limit:g}"]
        self.limit_kb, self.peak, self.over = limit_mb * 1024, 0, False
        self.proc: subprocess.Popen | None = None
        self.url = ""
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)
        self.thread.start()

    def start(self) -> bool:
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.proc = subprocess.Popen([*self.args, "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, start_new_session=True)
        return _wait_http(self.url + "/query?query=ASK%7B%7D", 120, self.proc) is not None

    def running(self) -> bool:
        return self.proc is not None and self.proc.poll() is None

    def _sample(self) -> None:
        while not self.done.is_set():
            proc = self.proc
            if proc is not None and proc.poll() is None:
                rss = _tree_rss_kb(proc.pid)
                self.peak = max(self.peak, rss)
                if rss > self.limit_kb:
                    self.over = True
                    os.killpg(proc.pid, 9)
            self.done.wait(0.1)

    def take(self) -> tuple[float, bool]:
        """The peak resident memory (MB) since the last take, and whether the server was stopped for it."""
        peak, over = self.peak, self.over
        self.peak, self.over = 0, False
        return round(peak / 1024, 1), over

    def stop(self) -> None:
        if self.running():
            os.killpg(self.proc.pid, 15)
        if self.proc is not None:
            self.proc.wait()

    def close(self) -> None:
        self.stop()
        self.done.set()
        self.thread.join()


def push_and_query(catalogue: Path, work: Path, query_limit: float = 600,
                   server_limit_mb: float = 8000) -> dict[str, object]:
    """Load the catalogue beside the bundled graph into an on-disk store (bulk load), `push` it from there
    into a stock Oxigraph server and run every saved query there, each from a new client; the client's
    and the server's peak resident memory (MB). A query the server has not answered in `query_limit`
    seconds is stopped there (`--timeout-s`); one that takes the server past `server_limit_mb` is
    stopped by stopping the server (restarted for the next query); both are in "stopped_queries"."""
    from openness.graph.query import saved_queries  # noqa: PLC0415

    binary = shutil.which("oxigraph") or str(Path(sys.executable).parent / "oxigraph")
    if not Path(binary).exists():
        return {"error": "no `oxigraph` binary (pip install oxigraph)"}
    store = work / "push-store"
    loaded, load_peak, err = child(PUSH_LOAD, str(catalogue), str(store), timeout=7200)
    if not loaded:
        return {"error": f"loading the catalogue into a store failed: {err}"}
    out: dict[str, object] = {"load_s": loaded["load_s"], "load_peak_rss_mb": round(load_peak, 1)}
    server = _Server(binary, work / "oxigraph-server", query_limit, server_limit_mb)
    try:
        if not server.start():
            return {**out, "error": "the Oxigraph server did not start"}
        pushed, client_peak, err = child(PUSH, server.url, str(catalogue), str(store), timeout=7200)
        peak, over = server.take()
        out.update(push_client_peak_rss_mb=round(client_peak, 1), push_server_peak_rss_mb=peak)
        if not pushed:
            return {**out, "error": f"push failed: the server passed {server_limit_mb:g} MB and was stopped"
                    if over else f"push failed: {err}"}
        out.update(push_s=pushed["push_s"], triples=pushed["triples"])
        per: dict[str, float] = {}
        stopped: dict[str, str] = {}
        client_peak = server_peak = 0.0
        for name in saved_queries():
            if not server.running():
                server.stop()
                if not server.start():
                    return {**out, "error": "the Oxigraph server did not restart"}
            started = time.perf_counter()
            found, peak, err = child(PUSHED_QUERY, server.url, json.dumps(pushed["graphs"]), name, str(query_limit),
                                     timeout=query_limit + 60)
            speak, over = server.take()
            client_peak, server_peak = max(client_peak, peak), max(server_peak, speak)
            if found:
                per[name] = found["query_s"]
                continue
            stopped[name] = (f"the server passed {server_limit_mb:g} MB and was stopped" if over
                             else f"not answered within {query_limit:g} s" if err == "timeout" or "timed out" in err
                             else err[:300]) + f" (after {time.perf_counter() - started:.1f} s)"
        # query_s: the queries answered; those stopped are listed with the reason and when they were stopped.
        out.update(query_s=sum(per.values()), per_query_s=per, stopped_queries=stopped,
                   query_client_peak_rss_mb=round(client_peak, 1), query_server_peak_rss_mb=server_peak)
        return out
    finally:
        server.close()
