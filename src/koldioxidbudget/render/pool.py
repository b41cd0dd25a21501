"""Rendering in worker processes, for a server that renders reports on demand.

``RenderPool`` keeps ``processes`` warm renderer processes. The process that asks (an API
worker) builds the report's document (the engine's figures and the words: ~50 ms) and sends it
to a renderer, which converts the charts (vl-convert, 20–90 ms each) and lays out the pages
(Typst, ~0.4 s; it reuses what it laid out for earlier reports). The asking process's event
loop never waits for the renderers' Rust and JavaScript, holds none of their memory, and keeps
answering while they start. (Laying the PDF out with blank charts on the second core while the
charts convert was tried: on two cores it was slower, 0.92 s against 0.73 s median.)

With a chart store (``chartstore.ChartStore``, shared by every process on the disk), converted
charts are kept across reports and restarts, and ``prefill`` converts the charts of every
area's report in one extra process at the lowest priority: most charts do not depend on the
parameters, so a report of any area then converts only the few that do.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import logging
import multiprocessing
import os
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

__all__ = ["RECYCLE_AFTER", "RenderPool", "watch_parent"]

#: reports a renderer process renders (on average) before the renderers are replaced by fresh
#: ones, which start warm from the initializer (a memory ceiling without a per-process limit)
RECYCLE_AFTER = 25
#: how often a waiting report asks whether its client is still there, s
_CANCEL_POLL_S = 0.2

log = logging.getLogger(__name__)


def _watch_parent(parent: int) -> None:
    """End this renderer when the process that started it is gone (even killed with -9)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def watch_parent(parent: int) -> None:
    """A worker process's initializer: end the worker within a second when ``parent`` is gone,
    instead of rendering on as an orphan (a killed server or ``report --all``)."""
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _running(pid: int | None) -> bool:
    """Whether process ``pid`` still runs (not gone, not a zombie). Asked of the operating
    system: ``Process.is_alive`` can answer wrongly while another thread reaps the process."""
    if pid is None:
        return False
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


def _start_worker(parent: int, store: str | None, nice: int = 0) -> None:
    """Warm a new renderer: register the fonts and convert one chart (Typst needs no warming:
    each report is laid out in a process of its own, see ``pdf.compile_pdf``).

    ``nice``: run at that niceness, and, where Linux offers it, only on otherwise idle CPU
    (SCHED_IDLE; nice 19 alone measured p99 45 ms instead of 15 ms for the API meanwhile).
    Set first, so every thread the renderer starts inherits it."""
    if nice:
        os.nice(nice)
        if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
            with contextlib.suppress(OSError):
                os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
    watch_parent(parent)
    from . import use_chart_store

    use_chart_store(store)
    from .svg import chart_svg

    chart_svg(
        {"data": {"values": [{"x": 1}]}, "mark": "point", "encoding": {"x": {"field": "x"}}},
        lang="sv",
        id_prefix="warm",
    )


def _warm(job: Any, code: str) -> None:
    """In a renderer: build and render one real report in every format and throw it away, so
    the JavaScript and Typst caches are warm when the first client asks (the first reports of
    a cold process take 1.5–3 s, later ones about 1 s)."""
    from . import FORMATS, render_document, report_document

    render_document(report_document(code, job), FORMATS, self_contained=True)


def _render(doc: Any, fmt: str, self_contained: bool) -> bytes:
    """In a renderer: ``doc`` as ``fmt``."""
    from . import render_document

    return render_document(doc, (fmt,), self_contained=self_contained)[fmt]


def _prefill(job: Any, codes: list[str], marker: str) -> int:
    """In the low-priority renderer: convert every chart of ``codes``' reports under ``job``
    into the chart store; one process at a time (a lock file), once per ``marker``."""
    import fcntl

    from . import render_charts, report_document

    done = Path(marker)
    if done.exists():
        return 0
    done.parent.mkdir(parents=True, exist_ok=True)
    with open(done.with_suffix(".lock"), "w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return 0  # another server process is filling the store
        if done.exists():
            return 0
        for code in codes:
            render_charts(report_document(code, job))
        done.write_text(f"{len(codes)} areas\n", "utf-8")
    return len(codes)


def _stop(executors: list[ProcessPoolExecutor]) -> None:
    """End ``executors``' processes now: SIGTERM, then SIGKILL for any still running after 5 s."""
    processes = [p for e in executors for p in getattr(e, "_processes", {}).values()]
    for p in processes:
        p.terminate()
    for p in processes:
        p.join(timeout=5)
    for p in processes:  # a renderer that did not stop on SIGTERM (stuck in native code)
        if p.exitcode is None and _running(p.pid):
            p.kill()
            p.join(timeout=5)
    for e in executors:  # their processes are gone: each manager thread ends at once
        e.shutdown(wait=True, cancel_futures=True)


class RenderPool:
    """``processes`` warm renderer processes (spawned, so no runtime threads are forked)."""

    def __init__(
        self,
        processes: int = 1,
        *,
        chart_store: str | Path | None = None,
    ) -> None:
        if processes < 1:
            raise ValueError("a render pool needs at least one process")
        self.processes = processes
        self.chart_store = str(chart_store) if chart_store is not None else None
        self._executor: ProcessPoolExecutor | None = self._new_executor()
        self._background: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._rendered = 0  # reports the current renderers have rendered (see RECYCLE_AFTER)

    def _new_executor(self, processes: int | None = None, nice: int = 0) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=processes or self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(), self.chart_store, nice),
        )

    def prefill(self, job: Any, codes: list[str]) -> Future[int]:
        """Convert the charts of every area in ``codes`` under ``job`` into the chart store, in
        one extra process at the lowest priority (it uses only what the server leaves idle);
        a report of any of these areas then converts only the charts its parameters change.
        Done once per store, edition, language and parameters; the future gives the number of
        areas converted (0 when already done or being done by another process)."""
        marker = self._marker(job)
        if marker is None:
            raise ValueError("prefill needs a chart store")
        with self._lock:
            if self._background is None:
                self._background = self._new_executor(1, nice=19)
            background = self._background
            future = background.submit(_prefill, job, codes, str(marker))

        def finished(_: Future[int]) -> None:  # give the process's memory back when done
            with self._lock:
                if self._background is background:
                    self._background = None
            background.shutdown(wait=False)

        future.add_done_callback(finished)
        return future

    def prefilled(self, job: Any) -> bool:
        """Whether the store holds ``job``'s charts for every area (``prefill`` has finished)."""
        marker = self._marker(job)
        return marker is not None and marker.exists()

    def _marker(self, job: Any) -> Path | None:
        """The file ``prefill`` writes when ``job``'s charts are all in the store."""
        if self.chart_store is None:
            return None
        h = hashlib.blake2b(repr((job.edition, job.lang, job.params)).encode())
        return Path(self.chart_store) / f"prefilled-{h.hexdigest()[:16]}"

    def warm(self, job: Any, code: str) -> None:
        """Start the processes now and have each render ``code``'s report under ``job`` (a
        ``ReportJob``), instead of making the first clients wait for that."""
        executor = self._open()
        for f in [executor.submit(_warm, job, code) for _ in range(self.processes)]:
            f.result()

    def render(
        self,
        doc: Any,
        fmt: str,
        *,
        self_contained: bool = True,
        cancelled: Callable[[], bool] = lambda: False,
    ) -> bytes | None:
        """``doc`` as ``fmt`` ("pdf" or "html"); None when ``cancelled()`` turns true while the
        report still waits for a renderer (it is then taken out of the queue, never laid out).

        A renderer process that died (killed, out of memory) is replaced and the report tried
        once more."""
        try:
            return self._render(doc, fmt, self_contained, cancelled)
        except BrokenProcessPool:
            log.warning("a report renderer process died; starting new ones")
            with self._lock:
                self._open().shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()
            return self._render(doc, fmt, self_contained, cancelled)

    def _render(
        self, doc: Any, fmt: str, self_contained: bool, cancelled: Callable[[], bool]
    ) -> bytes | None:
        with self._lock:
            executor = self._open()
            self._rendered += 1
            if self._rendered > RECYCLE_AFTER * self.processes:
                # a renderer's memory only grows (JavaScript heap, Typst's caches: ~960 MB
                # seen after 40 distinct reports): new renderers take the next reports, the
                # old ones finish what they have and end
                self._executor = self._new_executor()
                self._rendered = 1
                old, executor = executor, self._executor
                old.shutdown(wait=False)
            future = executor.submit(_render, doc, fmt, self_contained)
        while True:
            try:
                return future.result(timeout=_CANCEL_POLL_S)
            except FutureTimeout:
                if cancelled() and future.cancel():
                    return None  # still queued: taken out (a started one finishes, unread)

    def _open(self) -> ProcessPoolExecutor:
        if self._executor is None:
            raise RuntimeError("the render pool is closed")
        return self._executor

    def close(self) -> None:
        """Stop the renderers now (a report being rendered is abandoned).

        The executors' queues are released here, while this process lives: a uvicorn worker
        ends with ``os._exit``, which would leave their semaphores to multiprocessing's
        resource tracker, and it warns of "leaked semaphore objects" at every stop."""
        with self._lock:
            executors = [e for e in (self._executor, self._background) if e is not None]
            self._executor = self._background = None
        _stop(executors)
        del executors  # the last reference: the queues' semaphores are unlinked as collected
        gc.collect()
