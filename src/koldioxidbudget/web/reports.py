"""Reports on demand: one area's report for the request's parameters, as PDF or HTML.

The report is the one ``koldioxidbudget report`` writes (``koldioxidbudget.render``: the same
document model, charts and renderers), made self-contained so one response is the whole report.
Callers cache the bytes by edition + parameters + area + language + format.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..method.params import Parameters
    from ..render.pool import RenderPool

__all__ = ["FORMATS", "LANGS", "MEDIA_TYPES", "Cancelled", "render_report"]

FORMATS = ("pdf", "html")
LANGS = ("sv", "en")
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}


class Cancelled(Exception):
    """The client left before its report or download was made: the work stopped, nothing is
    cached."""


def render_report(
    *,
    code: str,
    lang: str,
    fmt: str,
    params: Parameters,
    edition: str,
    editions_dir: Path,
    pool: RenderPool | None = None,
    cancelled: Callable[[], bool] = lambda: False,
) -> bytes:
    """The report of area ``code`` in ``fmt`` ("pdf" or "html"), laid out by ``pool`` when
    given (the document itself is always built here). ``Cancelled`` when ``cancelled()`` turns
    true before the report is laid out, or while it waits for a renderer."""
    from ..render import ReportJob, render_document, report_document

    job = ReportJob(
        lang=lang,
        formats=(fmt,),
        params=params,
        edition=edition,
        editions_dir=str(editions_dir),
        self_contained=True,
    )
    doc = report_document(code, job)
    if cancelled():
        raise Cancelled(code)
    if pool is not None:
        out = pool.render(doc, fmt, self_contained=True, cancelled=cancelled)
        if out is None:
            raise Cancelled(code)
        return out
    return render_document(doc, (fmt,), self_contained=True)[fmt]
