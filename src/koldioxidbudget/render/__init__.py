"""Reports as files: Document → print PDF (Typst, PDF/UA-1) and accessible HTML (Jinja2), with
the charts rendered once to SVG (vl-convert) and shared by both.

``write_report`` writes one area's report; ``write_reports_all`` every municipality, county
and Sweden in parallel processes. Both are what ``koldioxidbudget report`` calls. Files are
named ``koldioxidbudget-<area-slug>-<budget year>[-<lang>].<pdf|html>`` (Swedish has no
language suffix) and written to a temporary file first, then renamed, so a reader never sees a
half-written report.
"""

from __future__ import annotations

import functools
import json
import logging
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import ParameterError
from ..files import remove_stale_temporaries, write_atomic
from ..method.params import Parameters
from ..service.inputs import named
from ..service.scenario import ScenarioSpec, scenario

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


@dataclass(frozen=True)
class ReportJob:
    """Everything that decides a set of reports (picklable, for worker processes): the scenario
    (typed ``Parameters``, edition, profile) and how it is written."""

    lang: str = "sv"
    formats: tuple[str, ...] = FORMATS
    params: Parameters | None = None
    profile: str | None = None
    edition: str | None = None
    editions_dir: str | None = None
    self_contained: bool = False

    def __post_init__(self) -> None:
        bad = [f for f in self.formats if f not in FORMATS]
        if bad or not self.formats:
            raise ParameterError(key="unknown_report_format", value=", ".join(bad) or "–")
        if self.lang not in ("sv", "en"):
            raise ParameterError(key="unknown_language", value=self.lang, valid=("sv", "en"))

    @property
    def spec(self) -> ScenarioSpec:
        """The scenario the reports show (one per job, whatever its language and formats)."""
        return ScenarioSpec(
            params=self.params or named(),
            edition=self.edition,
            profile=self.profile,
            editions_dir=self.editions_dir,
        )


def output_name(slug: str, budget_from: int, lang: str, fmt: str) -> str:
    """``koldioxidbudget-uppsala-2024.pdf``; other languages add ``-en``."""
    suffix = "" if lang == "sv" else f"-{lang}"
    return f"koldioxidbudget-{slug}-{budget_from}{suffix}.{fmt}"


def report_document(area: str, job: ReportJob) -> Any:
    """The report's document model for ``area`` (a name or code) under ``job``: the words and
    figures of the story, every number read from the job's scenario."""
    from ..areas import find_area
    from ..story.report import build_report

    sc = scenario(job.spec)
    code = find_area(sc.tables.areas, area).code
    return build_report(
        sc.run,
        code,
        lang=job.lang,
        profile=sc.profile,
        variant_run=sc.variant,
        tables=sc.tables,
        manifest=sc.edition.manifest if sc.edition else {},
        sensitivity=tuple(sc.cells.values()),
        change=sc.changes.get(code),
        previous_edition=sc.previous.id if sc.previous else None,
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


def _write(doc: Any, job: ReportJob, out_dir: Path) -> list[Path]:
    files = render_document(doc, job.formats, self_contained=job.self_contained)
    out_dir.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(out_dir)  # of a report killed, or stopped by a full disk, earlier
    if "html" in files and not job.self_contained:
        from .html import write_assets

        write_assets(out_dir)
    paths = []
    for fmt_, data in files.items():
        p = out_dir / output_name(doc.area_slug, doc.budget_from, doc.lang, fmt_)
        write_atomic(p, data)
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
    codes = list(scenario(job.spec).run.codes)  # checks the job and the profile before any worker
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
