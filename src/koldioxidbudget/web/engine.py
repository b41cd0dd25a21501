"""The server's state: editions, loaded tables and bounded in-memory caches.

Editions are immutable, so anything computed from one (edition id + parameters) can be cached
and revalidated by ETag. Every cache here is bounded (by items or bytes), so memory stays flat
whatever parameters clients send; computations are de-duplicated when several requests need the
same result at once.
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import math
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import numpy as np
from cachetools import LRUCache

from ..edition import (
    CURRENT_FILE,
    EditionInfo,
    current_editions,
    current_since,
    editions_dir,
    list_editions,
    load_edition,
    resolve_edition,
)
from ..errors import EditionError
from ..method.budget import METHOD_VERSION, BudgetRun, compute_budgets
from ..method.inventory import inventory_key
from ..method.params import Parameters
from ..schema import GAS_CO2, Tables
from .problems import Problem, msg, server_paths_in
from .settings import Settings

if TYPE_CHECKING:
    from ..render.pool import RenderPool

__all__ = ["LRU", "Engine", "etag_for"]

log = logging.getLogger(__name__)

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

try:
    from importlib.metadata import version as _version

    _APP_VERSION = _version("koldioxidbudget")
except Exception:  # pragma: no cover - not installed (running from a source tree)
    _APP_VERSION = "0"


def etag_for(*parts: object) -> str:
    """A strong ETag for a response that is a pure function of ``parts`` (edition id, parameters,
    area, format…) and of the method and package versions."""
    h = hashlib.blake2b(digest_size=16)
    for p in (METHOD_VERSION, _APP_VERSION, *parts):
        h.update(repr(p).encode())
        h.update(b"\x00")
    return f'"{h.hexdigest()}"'


class LRU(Generic[K, V]):
    """A thread-safe least-recently-used map bounded by item count or by the total of the sizes
    given to ``put`` (a ``cachetools.LRUCache`` under a lock), counting hits and misses for
    /health. A value larger than the whole bound is not kept (and drops the key's older one)."""

    def __init__(self, *, max_items: int | None = None, max_bytes: float | None = None) -> None:
        if max_items is not None and max_bytes is not None:
            raise TypeError("an LRU is bounded by max_items or by max_bytes, not both")
        self._data: LRUCache[K, tuple[V, int]] = (
            LRUCache(max_bytes, getsizeof=lambda item: item[1])
            if max_bytes is not None
            else LRUCache(max_items if max_items is not None else math.inf)
        )
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, key: K) -> V | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                self.misses += 1
                return None
            self.hits += 1
            return item[0]

    def put(self, key: K, value: V, size: int = 1) -> None:
        with self._lock:
            try:
                self._data[key] = (value, size)
            except ValueError:  # larger than the whole cache
                self._data.pop(key, None)

    def __len__(self) -> int:
        return len(self._data)

    @property
    def nbytes(self) -> int:
        return int(self._data.currsize)


_MB = 1024 * 1024


def run_nbytes(run: BudgetRun) -> int:
    """About what ``run`` holds on its own (its arrays, its adopted run's, and ~4 KB of Python
    objects each): the inventory and trends it shares with other runs are not counted."""
    total = 0
    for r in (run, run.adopted):
        if r is None:
            continue
        total += 4096
        for f in dataclasses.fields(r):
            v = getattr(r, f.name)
            if isinstance(v, np.ndarray):
                total += v.nbytes
    return total


class Engine:
    """Editions, tables and caches for one server process (see the module docstring)."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.root: Path = editions_dir(settings.editions)
        self._lock = threading.Lock()
        self._listing: tuple[int, list[EditionInfo]] = (-1, [])
        self._resolved: LRU[tuple[int, str | None, str | None], EditionInfo] = LRU(max_items=256)
        self._tables: dict[str, Tables] = {}
        self._views: LRU[tuple[str, tuple[object, ...]], Tables] = LRU(
            max_items=settings.inventory_cache_items
        )
        self.runs: LRU[tuple[str, Parameters], BudgetRun] = LRU(
            max_bytes=settings.run_cache_mb * _MB
        )
        self.responses: LRU[Hashable, bytes] = LRU(max_bytes=settings.response_cache_mb * _MB)
        self.downloads: LRU[Hashable, bytes] = LRU(max_bytes=settings.download_cache_mb * _MB)
        self.reports: LRU[Hashable, bytes] = LRU(max_bytes=settings.report_cache_mb * _MB)
        #: report renderer processes (``Settings.report_processes``), started with the app
        self.render_pool: RenderPool | None = None
        #: the job whose charts the renderers prefill (for /health)
        self.prefill_job: Any = None
        # one computation per key at a time; output locks are always taken before run locks
        self._run_stripes = [threading.Lock() for _ in range(64)]
        self._out_stripes = [threading.Lock() for _ in range(64)]
        #: the current editions as last read: (pointer file's mtime, {gas: id}, since)
        self._live: tuple[int, dict[str, str], str | None] = (-2, {}, None)

    # -- editions ---------------------------------------------------------------------------

    def _mtime(self) -> int:
        try:
            return self.root.stat().st_mtime_ns
        except OSError:
            return -1

    def live(self) -> tuple[dict[str, str], str | None]:
        """The current edition per gas and since when (the pointer file's ``updated_at``),
        re-read when the file changes. When they change, the tables and resolutions of editions
        that are no longer current are dropped (requests under way keep the tables they hold
        and finish on the edition they started with; cached responses are keyed by edition id,
        so none is served for the wrong edition)."""
        try:
            m = (self.root / CURRENT_FILE).stat().st_mtime_ns
        except OSError:
            m = -1
        if m != self._live[0]:
            with self._lock:
                if m != self._live[0]:
                    current = current_editions(self.root)
                    if self._live[0] != -2 and current != self._live[1]:
                        log.info("current editions now %s (were %s)", current, self._live[1])
                        keep = set(current.values())
                        for eid in [e for e in self._tables if e not in keep]:
                            del self._tables[eid]
                        self._resolved = LRU(max_items=256)
                        self._listing = (-1, [])
                    self._live = (m, current, current_since(self.root))
        return self._live[1], self._live[2]

    def editions(self) -> list[EditionInfo]:
        """Every complete edition, oldest release first (re-listed when the folder changes)."""
        m = self._mtime()
        if self._listing[0] != m:
            self._listing = (m, list_editions(self.root) if m != -1 else [])
        return self._listing[1]

    def edition(
        self, query: str | None, *, gas: str | None = GAS_CO2, in_path: bool = False
    ) -> EditionInfo:
        """The edition an id or prefix names (default: the newest ``gas`` edition).

        Unknown ids are a 404 in a path and a 422 naming ``edition`` in a query.
        """
        if query is None:
            self.live()  # follow the pointer file: a switch drops the old edition's state
        eds = self.editions()
        if not eds:
            raise Problem(
                503,
                "no-edition",
                msg("no_edition"),
                headers={"Retry-After": "3600"},
            )
        key = (self._listing[0], query, gas)
        hit = self._resolved.get(key)
        if hit is not None:
            return hit
        try:
            info = resolve_edition(query, gas=gas, into=self.root)
        except EditionError as e:
            if query is None:
                detail = msg("no_edition") if server_paths_in(e) else e
                raise Problem(503, "no-edition", detail) from None
            ids = [x.id for x in eds]
            if in_path:
                raise Problem(404, "edition-not-found", e, extra={"editions": ids}) from None
            raise Problem(
                422,
                "invalid-parameter",
                e,
                invalid_params=[
                    {
                        "name": "edition",
                        "reason": msg("reason.no_such_edition"),
                        "allowed": ids,
                        "value": query[:100],
                    }
                ],
            ) from None
        self._resolved.put(key, info)
        return info

    def tables(self, info: EditionInfo) -> Tables:
        t = self._tables.get(info.id)
        if t is None:
            with self._lock:
                t = self._tables.get(info.id)
                if t is None:
                    t = load_edition(info.id, gas=None, into=self.root)
                    self._tables[info.id] = t
        return t

    # -- computations -----------------------------------------------------------------------

    def _view(self, tables: Tables, params: Parameters) -> Tables:
        key = (tables.edition_id, inventory_key(params))
        view = self._views.get(key)
        if view is None:
            view = dataclasses.replace(tables)
            self._views.put(key, view)
        return view

    def run(self, tables: Tables, params: Parameters) -> BudgetRun:
        """Every area's budget under ``params`` (LRU-cached; one computation per key at a time)."""
        key = (tables.edition_id, params)
        hit = self.runs.get(key)
        if hit is not None:
            return hit
        with self._run_stripes[hash(key) % 64]:
            hit = self.runs.get(key)
            if hit is not None:
                return hit
            run = compute_budgets(tables=self._view(tables, params), params=params)
            run.adopted  # noqa: B018 - the ledger's run, computed here rather than per request
            self.runs.put(key, run, run_nbytes(run))
            return run

    def computed_run(self, tables: Tables, params: Parameters) -> BudgetRun | None:
        """The run for ``params`` if it is already computed (never computes)."""
        return self.runs.get((tables.edition_id, params))

    def cached(
        self, cache: LRU[Hashable, bytes], key: Hashable, make: Callable[[], bytes]
    ) -> bytes:
        """``cache[key]``, made once by ``make`` when missing (concurrent callers wait for it).

        ``make`` may call ``run`` but not ``cached`` (the lock order keeps this deadlock-free)."""
        hit = cache.get(key)
        if hit is not None:
            return hit
        with self._out_stripes[hash(key) % 64]:
            hit = cache.get(key)
            if hit is not None:
                return hit
            value = make()
            cache.put(key, value, len(value))
            return value

    def renderers(self) -> dict[str, Any]:
        """The report renderers' state, for /health."""
        pool = self.render_pool
        if pool is None:
            return {"processes": 0}
        job = self.prefill_job
        return {
            "processes": pool.processes,
            "chart_store": pool.chart_store is not None,
            "prefilled": job is not None and pool.prefilled(job),
        }

    def stats(self) -> dict[str, Any]:
        return {
            name: {"items": len(c), "bytes": c.nbytes, "hits": c.hits, "misses": c.misses}
            for name, c in (
                ("runs", self.runs),
                ("responses", self.responses),
                ("downloads", self.downloads),
                ("reports", self.reports),
            )
        }
