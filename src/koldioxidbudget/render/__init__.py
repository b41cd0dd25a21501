"""Reports as files: Document → print PDF (Typst, PDF/UA-1) and accessible HTML (Jinja2), with
the charts rendered once to SVG (vl-convert) and shared by both.

``write_report`` writes one area's report; ``write_reports_all`` every municipality, county
and Sweden in parallel processes. Both are what ``koldioxidbudget report`` calls. Files are
named ``koldioxidbudget-<area-slug>-<budget year>[-<lang>].<pdf|html>`` (Swedish has no
language suffix) and written to a temporary file first, then renamed, so a reader never sees a
half-written report.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ParameterError

__all__ = [
    "FORMATS",
    "ReportJob",
    "output_name",
    "render_charts",
    "render_document",
    "report_document",
    "write_report",
    "write_reports_all",
]

log = logging.getLogger(__name__)

FORMATS = ("pdf", "html")
#: The temperature/probability cells of the sensitivity tables.
SENSITIVITY_TEMPERATURES = (1.5, 1.7, 2.0)
SENSITIVITY_PROBABILITIES = (33, 50, 67, 83)


@dataclass(frozen=True)
class ReportJob:
    """Everything that decides a set of reports (picklable, for worker processes)."""

    lang: str = "sv"
    formats: tuple[str, ...] = FORMATS
    preset: str | None = None
    overrides: tuple[tuple[str, str], ...] = ()
    profile: str | None = None
    edition: str | None = None
    editions_dir: str | None = None
    self_contained: bool = False

    def __post_init__(self) -> None:
        bad = [f for f in self.formats if f not in FORMATS]
        if bad or not self.formats:
            raise ParameterError(
                f"Unknown report format {', '.join(bad) or '(none)'}. Valid values: pdf, html "
                "(e.g. --format pdf,html)."
            )
        if self.lang not in ("sv", "en"):
            raise ParameterError(f"Unknown language {self.lang!r}. Valid values: sv, en.")


def output_name(slug: str, budget_from: int, lang: str, fmt: str) -> str:
    """``koldioxidbudget-uppsala-2024.pdf``; other languages add ``-en``."""
    suffix = "" if lang == "sv" else f"-{lang}"
    return f"koldioxidbudget-{slug}-{budget_from}{suffix}.{fmt}"


class _Context:
    """The computed runs, edition and profile for one job (built once per process)."""

    def __init__(self, job: ReportJob) -> None:
        from ..edition import load_edition, resolve_edition
        from ..method.budget import compute_budgets
        from ..method.global_budget import global_cells
        from ..method.params import LocalTarget, parameters_from
        from ..profile import load_profile

        self.job = job
        self.profile = load_profile(job.profile) if job.profile else None
        info = resolve_edition(job.edition, into=job.editions_dir)
        self.tables = load_edition(info.id, into=job.editions_dir, subsectors=True)
        self.manifest = info.manifest
        overrides = dict(job.overrides)
        params = parameters_from(job.preset, overrides)
        adoption = None
        if self.profile is not None:
            if self.profile.local_targets:
                params = dataclasses.replace(
                    params,
                    local_targets=tuple(
                        LocalTarget(y, r, b) for y, r, b in self.profile.local_targets
                    ),
                )
            if self.profile.adopted_edition:
                adoption = load_edition(self.profile.adopted_edition, into=job.editions_dir)
        self.run = compute_budgets(tables=self.tables, params=params, adoption_tables=adoption)
        self.variant = None
        if abs(params.temperature_c - 1.5) > 1e-9:
            vparams = dataclasses.replace(params, temperature_c=1.5, probability_pct=50)
            self.variant = compute_budgets(tables=self.tables, params=vparams)
        self.previous, self.changes = _changes(info.id, self.tables, params, job.editions_dir)
        self.sensitivity = tuple(
            compute_budgets(
                tables=self.tables,
                params=dataclasses.replace(params, temperature_c=temp, probability_pct=prob),
            )
            for src, temp, prob in global_cells(self.tables, params.global_source)
            if temp in SENSITIVITY_TEMPERATURES and prob in SENSITIVITY_PROBABILITIES
        )


def _changes(
    edition_id: str, tables: Any, params: Any, editions_dir: str | None
) -> tuple[str | None, dict[str, Any]]:
    """The previous edition's id and, per area, what changed since it (``diff.explain_all``)."""
    from ..diff import explain_all, previous_edition
    from ..edition import load_edition

    prev = previous_edition(edition_id, into=editions_dir)
    if prev is None:
        return None, {}
    old = load_edition(prev.id, into=editions_dir)
    return prev.id, {c.code: c for c in explain_all(old, tables, params)}


#: how many jobs' contexts a process keeps (a server asked for many parameter sets stays bounded)
CONTEXT_CACHE_SIZE = 16
_CONTEXTS: OrderedDict[ReportJob, _Context] = OrderedDict()
_CONTEXTS_LOCK = threading.Lock()


def _context(job: ReportJob) -> _Context:
    """The context of ``job``, shared by every language and format of the same parameters; the
    ``CONTEXT_CACHE_SIZE`` most recently used are kept."""
    key = dataclasses.replace(job, lang="sv", formats=FORMATS, self_contained=False)
    with _CONTEXTS_LOCK:
        ctx = _CONTEXTS.get(key)
        if ctx is None:
            ctx = _CONTEXTS[key] = _Context(key)
        _CONTEXTS.move_to_end(key)
        while len(_CONTEXTS) > CONTEXT_CACHE_SIZE:
            _CONTEXTS.popitem(last=False)
    return ctx


def report_document(area: str, job: ReportJob) -> Any:
    """The report's document model for ``area`` (a name or code) under ``job``."""
    from ..areas import find_area
    from ..story.report import build_report

    ctx = _context(job)
    code = find_area(ctx.tables.areas, area).code
    return build_report(
        ctx.run,
        code,
        lang=job.lang,
        profile=ctx.profile,
        variant_run=ctx.variant,
        tables=ctx.tables,
        manifest=ctx.manifest,
        sensitivity=ctx.sensitivity,
        change=ctx.changes.get(code),
        previous_edition=ctx.previous,
    )


def render_charts(doc: Any) -> dict[str, str]:
    """Every figure's SVG, by figure id (identical specs, such as the global chart every report
    shares, are rendered once per process; with a chart store, once per store)."""
    return {f.id: _chart(json.dumps(f.spec, sort_keys=True), doc.lang, f.id) for f in doc.figures()}


#: converted charts on disk (``use_chart_store``; a server's renderers set it)
_STORE: Any = None


def use_chart_store(root: str | Path | None) -> None:
    """Keep converted charts in ``root`` (``chartstore.ChartStore``) for this process; None
    stops. Without a store, charts are kept in memory only (the 256 most recent)."""
    global _STORE
    from .chartstore import ChartStore

    _STORE = ChartStore(root) if root is not None else None
    _chart.cache_clear()


@functools.lru_cache(maxsize=256)  # ~20 KB each; charts that do not change with the parameters
def _chart(spec_json: str, lang: str, id_prefix: str) -> str:
    from .svg import chart_svg

    store = _STORE
    svg = store.get(spec_json, lang, id_prefix) if store is not None else None
    if svg is None:
        svg = chart_svg(json.loads(spec_json), lang=lang, id_prefix=id_prefix)
        if store is not None:
            store.put(spec_json, lang, id_prefix, svg)
    return svg


def render_document(
    doc: Any,
    formats: Sequence[str] = FORMATS,
    *,
    self_contained: bool = False,
) -> dict[str, bytes]:
    """The report in each format as bytes (charts rendered once for both)."""
    charts = render_charts(doc)
    out: dict[str, bytes] = {}
    if "pdf" in formats:
        from .pdf import render_pdf

        out["pdf"] = render_pdf(doc, charts)
    if "html" in formats:
        from .html import render_html

        out["html"] = render_html(doc, charts, self_contained=self_contained).encode("utf-8")
    return out


def _write_atomic(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)


def _write(doc: Any, job: ReportJob, out_dir: Path) -> list[Path]:
    files = render_document(doc, job.formats, self_contained=job.self_contained)
    out_dir.mkdir(parents=True, exist_ok=True)
    if "html" in files and not job.self_contained:
        from .html import write_assets

        write_assets(out_dir)
    paths = []
    for fmt_, data in files.items():
        p = out_dir / output_name(doc.area_slug, doc.budget_from, doc.lang, fmt_)
        _write_atomic(p, data)
        paths.append(p)
    return paths


def write_report(
    area: str, job: ReportJob | None = None, *, out_dir: str | Path = "."
) -> list[Path]:
    """Write ``area``'s report in ``job.formats`` to ``out_dir``; returns the paths written."""
    job = job or ReportJob()
    doc = report_document(area, job)
    return _write(doc, job, Path(out_dir))


def _worker(job: ReportJob, code: str, out_dir: str) -> list[str]:
    doc = report_document(code, job)
    return [str(p) for p in _write(doc, job, Path(out_dir))]


def write_reports_all(
    job: ReportJob | None = None,
    *,
    out_dir: str | Path = ".",
    workers: int = 2,
    progress: Callable[[int, int, str], None] | None = None,
    on_error: Callable[[str, Exception], None] | None = None,
) -> list[Path]:
    """Every municipality, county and Sweden, in ``workers`` processes.

    ``progress(done, total, area_code)`` is called after each area (in this process). A failed
    area raises at once, unless ``on_error(area_code, error)`` is given: then it is told and
    the other areas go on. Workers use this process's chart store (``use_chart_store``).
    """
    job = job or ReportJob()
    ctx = _context(job)  # validates the job and the profile before any worker starts
    codes = list(ctx.run.codes)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    if workers <= 1:
        for i, code in enumerate(codes, 1):
            try:
                written += [Path(p) for p in _worker(job, code, str(out))]
            except Exception as e:
                if on_error is None:
                    raise
                on_error(code, e)
            if progress:
                progress(i, len(codes), code)
        return written
    import multiprocessing

    # spawn, not fork: vl-convert and Typst keep runtime threads that a fork would not copy;
    # each worker ends when this process does, however it ends
    mp = multiprocessing.get_context("spawn")
    store = str(_STORE.root) if _STORE is not None else None
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=mp,
        initializer=_start_worker,
        initargs=(os.getpid(), store),
    ) as pool:
        futures = {pool.submit(_worker, job, code, str(out)): code for code in codes}
        for i, fut in enumerate(as_completed(futures), 1):
            try:
                written += [Path(p) for p in fut.result()]
            except Exception as e:
                if on_error is None:
                    raise
                on_error(futures[fut], e)
            if progress:
                progress(i, len(codes), futures[fut])
    return written


def _start_worker(parent: int, store: str | None) -> None:
    """A ``write_reports_all`` worker: end with ``parent``, share its chart store, and start
    the chart converter while the first document is built."""
    from .pool import watch_parent
    from .svg import warm_converter

    watch_parent(parent)
    if store is not None:
        use_chart_store(store)
    warm_converter()
