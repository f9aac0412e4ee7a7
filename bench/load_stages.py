"""Where `Dataset.load` into an on-disk store spends its time, stage by stage (wall and CPU seconds).

    PYTHONPATH=src python bench/load_stages.py CATALOGUE.ttl STORE_DIR

Prints one JSON line per stage longer than half a second (content hash, each file's parse, each
source's refresh, the final flush) and one for the whole load. CPU includes Oxigraph's own threads,
so on a shared machine it is the steadier figure. The code measured is the code as it is: the stages
are timed by wrapping the functions Dataset.load calls, not by re-implementing it.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from collections.abc import Callable
from typing import Any

import pyoxigraph as ox

from openness.graph import dataset as D


def _stamp(name: str, wall0: float, cpu0: float) -> None:
    print(json.dumps({"stage": name, "wall_s": round(time.perf_counter() - wall0, 2),
                      "cpu_s": round(time.process_time() - cpu0, 2),
                      "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
                      "loadavg": round(os.getloadavg()[0], 1)}), flush=True)


def _timed(name: str, fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        wall0, cpu0 = time.perf_counter(), time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            if time.perf_counter() - wall0 > 0.5:
                _stamp(name, wall0, cpu0)
    return wrapper


class _TimedStore:
    """An ox.Store whose flush is timed (the final flush can wait for RocksDB compactions)."""

    def __init__(self, store: ox.Store) -> None:
        self._store = store

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)

    def flush(self) -> None:
        wall0, cpu0 = time.perf_counter(), time.process_time()
        self._store.flush()
        _stamp("flush", wall0, cpu0)


def main(catalogue: str, store_dir: str) -> None:
    D.Source.content_hash = _timed("content_hash", D.Source.content_hash)  # type: ignore[method-assign]
    D._load_file = _timed("parse (_load_file)", D._load_file)
    D.Dataset._refresh = staticmethod(_timed("refresh", D.Dataset._refresh))  # type: ignore[method-assign]
    real_store = ox.Store
    D.ox.Store = lambda *args: _TimedStore(real_store(*args)) if args else real_store()  # type: ignore[misc]
    wall0, cpu0 = time.perf_counter(), time.process_time()
    D.Dataset.load([catalogue], store_dir, include_generated=False)
    _stamp("Dataset.load", wall0, cpu0)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
