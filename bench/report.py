"""Report benchmark (``python -m bench`` calls ``report_rows``): one municipality's PDF + HTML
in a warm process (median of ``runs`` different areas). The cold command and ``report --all``
are timed as whole processes in ``bench/__main__.py``."""

from __future__ import annotations

import statistics
import time
from pathlib import Path


def report_rows(editions: Path, *, runs: int = 5) -> list[tuple[str, float, float | None, str]]:
    from koldioxidbudget.render import ReportJob, render_document, report_document

    job = ReportJob(editions_dir=str(editions))
    render_document(report_document("stockholm", job))  # warm: edition, runs, fonts, engines
    times = []
    # different municipalities, so neither the chart cache nor Typst's memo can help
    for area in ("uppsala", "göteborg", "kiruna", "malmö", "gotland")[:runs]:
        t0 = time.perf_counter()
        render_document(report_document(area, job))
        times.append(time.perf_counter() - t0)
    return [
        (
            f"report: one municipality, PDF + HTML, warm process (median of {len(times)} areas)",
            statistics.median(times),
            1.5,
            "s",
        )
    ]
