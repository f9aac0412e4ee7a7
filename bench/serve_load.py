"""Latency under load: `openness serve` beside a stock Oxigraph server holding the same graph.

200 clients send one SPARQL query each at the same moment (an ASK, then a small SELECT, `--rounds`
times); for each server and kind this prints how many were answered with 200 and the p50, p99 and
maximum latency. Figures depend on the machine; the test suite asserts behaviour only
(tests/test_serve_load.py), this script measures.

    python bench/serve_load.py                    # needs the `oxigraph` server (test extras) for the comparison
    python bench/serve_load.py --clients 400 --rounds 3
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))  # this checkout's openness, as the servers it starts use

from openness.net import free_port, wait_until_up  # noqa: E402

OLMO = "<https://w3id.org/openness/id/project/olmo>"
QUERIES = {"ASK": f"ASK {{ {OLMO} ?p ?o }}",
           "SELECT": f"SELECT ?label WHERE {{ {OLMO} <http://www.w3.org/2000/01/rdf-schema#label> ?label }}"}


def burst(endpoint: str, query: str, clients: int) -> tuple[int, list[float], list[str]]:
    """(answered with 200, latencies in seconds, other outcomes) of `clients` simultaneous requests."""
    url = endpoint + "?" + urllib.parse.urlencode({"query": query})
    start = threading.Barrier(clients)
    outcomes: list[tuple[str, float]] = [("", 0.0)] * clients

    def client(i: int) -> None:
        start.wait()
        began = time.monotonic()
        try:
            request = urllib.request.Request(url, headers={"Accept": "application/sparql-results+json"})
            with urllib.request.urlopen(request, timeout=120) as response:
                response.read()
                outcomes[i] = (str(response.status), time.monotonic() - began)
        except urllib.error.HTTPError as exc:
            outcomes[i] = (str(exc.code), time.monotonic() - began)
        except OSError as exc:
            outcomes[i] = (type(exc).__name__, time.monotonic() - began)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    latencies = sorted(seconds for _, seconds in outcomes)
    return sum(1 for o, _ in outcomes if o == "200"), latencies, sorted({o for o, _ in outcomes if o != "200"})


def report(name: str, kind: str, clients: int, result) -> None:
    answered, latencies, other = result
    p99 = latencies[max(0, int(0.99 * len(latencies)) - 1)]
    print(f"{name:<9} {kind:<6} {answered:>4}/{clients} answered 200"
          f"{' (others: ' + ', '.join(other) + ')' if other else ''}   p50 {1000 * statistics.median(latencies):6.0f} ms"
          f"   p99 {1000 * p99:6.0f} ms   max {1000 * latencies[-1]:6.0f} ms", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT / "src"), os.environ.get("PYTHONPATH")]))}
    oxigraph = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    servers: dict[str, str] = {}
    processes = []
    with tempfile.TemporaryDirectory() as tmp:
        try:
            port = free_port()
            processes.append(subprocess.Popen([sys.executable, "-m", "openness", "serve", "--port", str(port), "--quiet"],
                                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            servers["openness"] = f"http://127.0.0.1:{port}/sparql"
            if Path(oxigraph).exists():
                dump = Path(tmp) / "all.nq"
                subprocess.run([sys.executable, "-c", "import sys, pyoxigraph as ox; from openness.graph.dataset import "
                                "Dataset; open(sys.argv[1], 'wb').write(Dataset.load().dump(ox.RdfFormat.N_QUADS))",
                                str(dump)], env=env, check=True)
                store = Path(tmp) / "store"
                subprocess.run([oxigraph, "load", "--location", str(store), "--file", str(dump)], check=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                port = free_port()
                processes.append(subprocess.Popen([oxigraph, "serve", "--location", str(store), "--bind",
                                                   f"127.0.0.1:{port}", "--union-default-graph"],
                                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
                servers["oxigraph"] = f"http://127.0.0.1:{port}/query"
            else:
                print("the oxigraph server is not installed (pip install oxigraph): openness only", file=sys.stderr)
            for endpoint in servers.values():
                try:
                    wait_until_up(endpoint + "?query=ASK%7B%7D", timeout=120, interval=0.2)
                except TimeoutError as exc:
                    raise SystemExit(str(exc)) from None
            time.sleep(3)  # let the query workers finish starting
            for _ in range(args.rounds):
                for kind, query in QUERIES.items():
                    for name, endpoint in servers.items():
                        report(name, kind, args.clients, burst(endpoint, query, args.clients))
        finally:
            for process in processes:
                process.terminate()
                try:
                    process.wait(10)
                except subprocess.TimeoutExpired:
                    process.kill()


if __name__ == "__main__":
    main()
