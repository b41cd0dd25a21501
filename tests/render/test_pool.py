"""The server's renderer processes (render/pool.py): same bytes as rendering here, charts kept
for the next report, a killed renderer replaced, no renderer left behind, contexts bounded."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest

from koldioxidbudget import render
from koldioxidbudget.render import ReportJob, render_document, report_document
from koldioxidbudget.render.pool import RenderPool


@pytest.fixture(scope="module")
def pool() -> RenderPool:
    p = RenderPool(1)
    yield p
    p.close()


def _job(editions_root: Path, **kw: object) -> ReportJob:
    return ReportJob(editions_dir=str(editions_root), self_contained=True, **kw)  # type: ignore[arg-type]


def test_pool_renders_the_same_report(pool: RenderPool, editions_root: Path) -> None:
    doc = report_document("gotland", _job(editions_root))
    here = render_document(doc, ("pdf", "html"), self_contained=True)
    assert pool.render(doc, "pdf") == here["pdf"]  # fixed timestamp: byte for byte
    assert pool.render(doc, "html") == here["html"]
    # every chart of the report is now kept in this process for the next one
    assert len(pool._charts) == len(doc.figures())


def test_pool_replaces_a_killed_renderer(editions_root: Path) -> None:
    p = RenderPool(1)
    try:
        doc = report_document("kiruna", _job(editions_root, lang="en"))
        first = p.render(doc, "pdf")
        (proc,) = p._executor._processes.values()  # type: ignore[attr-defined]
        os.kill(proc.pid, signal.SIGKILL)
        proc.join(timeout=10)
        assert p.render(doc, "pdf") == first
    finally:
        p.close()


def test_close_leaves_no_renderer(editions_root: Path) -> None:
    p = RenderPool(2)
    p.render(report_document("kiruna", _job(editions_root)), "html")
    procs = list(p._executor._processes.values())  # type: ignore[attr-defined]
    assert len(procs) >= 1
    p.close()
    assert all(not q.is_alive() for q in procs)


def test_report_contexts_are_bounded_and_shared_by_language(
    editions_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(render, "CONTEXT_CACHE_SIZE", 2)
    render._CONTEXTS.clear()
    for conv in "ABC":
        for lang in ("sv", "en"):
            report_document(
                "0380", _job(editions_root, lang=lang, overrides=(("convention", conv),))
            )
    assert len(render._CONTEXTS) == 2  # three parameter sets, two kept; languages share one
    assert [dict(k.overrides)["convention"] for k in render._CONTEXTS] == ["B", "C"]
    render._CONTEXTS.clear()
