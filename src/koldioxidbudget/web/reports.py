"""Reports on demand: the report of one area for the request's parameters, as PDF or HTML.

Rendering belongs to ``koldioxidbudget.render``; this module only calls it (its entry point
``render_report_bytes(run, code, *, lang, fmt) -> bytes`` when present, else its job API) and
answers 501 while a deployment lacks it. Results are cached by edition + parameters + area + language + format.
"""

from __future__ import annotations

import importlib
import importlib.util
from collections.abc import Callable
from typing import Any

from .problems import Problem

__all__ = ["FORMATS", "LANGS", "MEDIA_TYPES", "renderer"]

FORMATS = ("pdf", "html")
LANGS = ("sv", "en")
MEDIA_TYPES = {"pdf": "application/pdf", "html": "text/html; charset=utf-8"}

_ENTRY = "render_report_bytes"


def renderer() -> Callable[..., bytes]:
    """The report renderer, called as ``render(run=, code=, lang=, fmt=, preset=, overrides=,
    edition=, editions_dir=)``; a 501 problem when ``koldioxidbudget.render`` is not installed.

    Uses ``render_report_bytes`` when the render package has it, else its public job API
    (``ReportJob`` → ``report_document`` → ``render_document``, self-contained HTML).
    """
    if importlib.util.find_spec("koldioxidbudget.render") is None:
        raise _missing()
    module: Any = importlib.import_module("koldioxidbudget.render")
    entry = getattr(module, _ENTRY, None)
    if entry is not None:

        def via_entry(*, run: Any, code: str, lang: str, fmt: str, **_: Any) -> bytes:
            return bytes(entry(run, code, lang=lang, fmt=fmt))

        return via_entry
    if all(hasattr(module, n) for n in ("ReportJob", "report_document", "render_document")):

        def via_job(
            *,
            run: Any,
            code: str,
            lang: str,
            fmt: str,
            preset: str | None,
            overrides: tuple[tuple[str, str], ...],
            edition: str,
            editions_dir: Any,
        ) -> bytes:
            job = module.ReportJob(
                lang=lang,
                formats=(fmt,),
                preset=preset,
                overrides=overrides,
                edition=edition,
                editions_dir=str(editions_dir),
                self_contained=True,
            )
            doc = module.report_document(code, job)
            return bytes(module.render_document(doc, (fmt,), self_contained=True)[fmt])

        return via_job
    raise _missing()


def _missing() -> Problem:
    return Problem(
        501,
        "not-implemented",
        "Report rendering is not installed on this server yet (koldioxidbudget.render."
        f"{_ENTRY}); the budget itself is at /api/v1/areas/{{code}}/budget.",
    )
