"""Rendering in worker processes, for a server that renders reports on demand.

``RenderPool`` keeps ``processes`` warm renderer processes. The process that asks (an API
worker) builds the report's document (the engine's figures and the words: ~50 ms) and sends it
to a renderer, which converts the charts (vl-convert, 20–90 ms each) and lays out the pages
(Typst, ~0.4 s; it reuses what it laid out for earlier reports). The asking process's event
loop never waits for the renderers' Rust and JavaScript, holds none of their memory, and keeps
answering while they start. (Laying the PDF out with blank charts on the second core while the
charts convert was tried: on two cores it was slower, 0.92 s against 0.73 s median.)

Recently converted charts are kept in the asking process (by spec, language and figure id,
bounded in bytes), so a second report of the same area, in the other format or with parameters
that leave some charts unchanged, converts only the charts that differ.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any

__all__ = ["RenderPool"]

log = logging.getLogger(__name__)

_ChartKey = tuple[str, str, str]  # (spec JSON, language, figure id)


def _watch_parent(parent: int) -> None:
    """End this renderer when the process that started it is gone (even killed with -9)."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)


def _start_worker(parent: int) -> None:
    """Warm a new renderer: register the fonts, convert one chart, lay out one line."""
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from .pdf import warm_typst
    from .svg import chart_svg

    chart_svg(
        {"data": {"values": [{"x": 1}]}, "mark": "point", "encoding": {"x": {"field": "x"}}},
        lang="sv",
        id_prefix="warm",
    )
    warm_typst()


def _warm(job: Any, code: str) -> None:
    """In a renderer: build and render one real report in every format and throw it away, so
    the JavaScript and Typst caches are warm when the first client asks (the first reports of
    a cold process take 1.5–3 s, later ones about 1 s)."""
    from . import FORMATS, render_document, report_document

    render_document(report_document(code, job), FORMATS, self_contained=True)


def _render(
    doc: Any, fmt: str, self_contained: bool, known: dict[str, str]
) -> tuple[bytes, dict[str, str]]:
    """In a renderer: ``doc`` as ``fmt``, and the charts it converted (for the asker's cache)."""
    from . import render_charts, render_document

    out = render_document(doc, (fmt,), self_contained=self_contained, svgs=known)
    charts = render_charts(doc, known)  # this process's chart cache: converted just now
    return out[fmt], {k: v for k, v in charts.items() if k not in known}


class RenderPool:
    """``processes`` warm renderer processes (spawned, so no runtime threads are forked)."""

    def __init__(self, processes: int = 1, *, chart_cache_mb: float = 16.0) -> None:
        if processes < 1:
            raise ValueError("a render pool needs at least one process")
        self.processes = processes
        self._executor = self._new_executor()
        self._charts: OrderedDict[_ChartKey, str] = OrderedDict()
        self._chart_bytes = 0
        self._chart_limit = int(chart_cache_mb * 1024 * 1024)
        self._lock = threading.Lock()

    def _new_executor(self) -> ProcessPoolExecutor:
        return ProcessPoolExecutor(
            max_workers=self.processes,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_start_worker,
            initargs=(os.getpid(),),
        )

    def warm(self, job: Any, code: str) -> None:
        """Start the processes now and have each render ``code``'s report under ``job`` (a
        ``ReportJob``), instead of making the first clients wait for that."""
        for f in [self._executor.submit(_warm, job, code) for _ in range(self.processes)]:
            f.result()

    def render(self, doc: Any, fmt: str, *, self_contained: bool = True) -> bytes:
        """``doc`` as ``fmt`` ("pdf" or "html").

        A renderer process that died (killed, out of memory) is replaced and the report tried
        once more."""
        try:
            return self._render(doc, fmt, self_contained)
        except BrokenProcessPool:
            log.warning("a report renderer process died; starting new ones")
            with self._lock:
                self._executor.shutdown(wait=False, cancel_futures=True)
                self._executor = self._new_executor()
            return self._render(doc, fmt, self_contained)

    def _render(self, doc: Any, fmt: str, self_contained: bool) -> bytes:
        keys = {f.id: (json.dumps(f.spec, sort_keys=True), doc.lang, f.id) for f in doc.figures()}
        with self._lock:
            known = {fid: self._charts[k] for fid, k in keys.items() if k in self._charts}
            for fid in known:
                self._charts.move_to_end(keys[fid])
        body, converted = self._executor.submit(_render, doc, fmt, self_contained, known).result()
        for fid, svg in converted.items():
            self._remember(keys[fid], svg)
        return body

    def _remember(self, key: _ChartKey, svg: str) -> None:
        size = len(svg) + len(key[0])
        with self._lock:
            if key in self._charts or size > self._chart_limit:
                return
            self._charts[key] = svg
            self._chart_bytes += size
            while self._chart_bytes > self._chart_limit:
                k, v = self._charts.popitem(last=False)
                self._chart_bytes -= len(v) + len(k[0])

    def close(self) -> None:
        """Stop the renderers now (a report being rendered is abandoned)."""
        processes = list(getattr(self._executor, "_processes", {}).values())
        self._executor.shutdown(wait=False, cancel_futures=True)
        for p in processes:
            p.terminate()
        for p in processes:
            p.join(timeout=5)
