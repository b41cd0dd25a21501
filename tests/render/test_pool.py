"""The server's renderer processes (render/pool.py) and chart store (render/chartstore.py):
same bytes as rendering here, a killed renderer replaced, no renderer left behind, contexts
bounded, charts stored and prefilled so a report converts only what its parameters change."""

from __future__ import annotations

import dataclasses
import os
import signal
import time
from pathlib import Path

import pytest

from koldioxidbudget.method.params import DEFAULT_PRESET, Parameters
from koldioxidbudget.render import ReportJob, render_document, report_document
from koldioxidbudget.render.pool import RenderPool, _running
from koldioxidbudget.service.inputs import named as preset


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
    pids = [q.pid for q in p._executor._processes.values()]  # type: ignore[attr-defined]
    assert pids and all(_running(pid) for pid in pids)
    p.close()
    # asked of the operating system (is_alive can race with the executor's own reaping thread)
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in pids) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(_running(pid) for pid in pids)


def test_report_scenarios_are_bounded_and_shared_by_language(editions_root: Path) -> None:
    from koldioxidbudget.service.scenario import scenario

    scenario.cache_clear()
    for conv in "ABCAB":
        for lang in ("sv", "en"):
            report_document("0380", _job(editions_root, lang=lang, params=_conv(conv)))
    info = scenario.cache_info()
    assert info.currsize == 3  # three parameter sets; languages share one scenario
    assert info.misses == 3 and info.hits == 7
    scenario.cache_clear()


def _conv(conv: str) -> Parameters:
    return dataclasses.replace(preset(DEFAULT_PRESET), convention=conv)


def test_chart_store_round_trip(tmp_path: Path) -> None:
    from koldioxidbudget.render.chartstore import ChartStore

    store = ChartStore(tmp_path / "charts")
    assert store.get('{"mark": "bar"}', "sv", "a") is None
    store.put('{"mark": "bar"}', "sv", "a", "<svg>a</svg>")
    assert store.get('{"mark": "bar"}', "sv", "a") == "<svg>a</svg>"
    assert store.get('{"mark": "bar"}', "en", "a") is None  # the language is part of the key
    assert store.get('{"mark": "line"}', "sv", "a") is None
    assert store.count() == 1
    assert not list(tmp_path.rglob("*.tmp"))
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    ChartStore(blocked).put("{}", "sv", "a", "<svg/>")  # unwritable: skipped, no error


def test_charts_come_from_the_store(tmp_path: Path, editions_root: Path) -> None:
    import json

    from koldioxidbudget.render import render_charts, use_chart_store
    from koldioxidbudget.render.chartstore import ChartStore

    doc = report_document("kiruna", _job(editions_root))
    f = doc.figures()[0]
    ChartStore(tmp_path).put(json.dumps(f.spec, sort_keys=True), doc.lang, f.id, "<svg>x</svg>")
    use_chart_store(tmp_path)
    try:
        svgs = render_charts(doc)
    finally:
        use_chart_store(None)
    assert svgs[f.id] == "<svg>x</svg>"
    assert ChartStore(tmp_path).count() == len(doc.figures())  # the others were stored


def test_prefill_leaves_only_parameter_charts_to_convert(
    tmp_path: Path, editions_root: Path
) -> None:
    from koldioxidbudget.render.chartstore import ChartStore

    store = ChartStore(tmp_path)
    p = RenderPool(1, chart_store=tmp_path)
    try:
        job = _job(editions_root)
        assert p.prefill(job, ["1480", "2584"]).result() == 2
        assert p.prefilled(job) and p.prefill(job, ["1480"]).result() == 0  # once
        before = store.count()
        other = report_document("1480", _job(editions_root, params=_conv("B")))
        assert p.render(other, "pdf").startswith(b"%PDF")
        # history, sectors, per capita, trend and the global chart were already converted
        assert 0 < store.count() - before <= len(other.figures()) - 8
    finally:
        p.close()


def test_a_worker_ending_with_os_exit_leaks_no_semaphore(tmp_path: Path) -> None:
    """A uvicorn worker closes its pool and ends with os._exit: multiprocessing's resource
    tracker must find nothing left to clean up (it warns "leaked semaphore objects")."""
    import subprocess
    import sys

    script = tmp_path / "worker.py"
    script.write_text(
        "import os\n"
        "from koldioxidbudget.render.pool import RenderPool\n"
        "if __name__ == '__main__':\n"
        "    p = RenderPool(1)\n"
        "    assert p._open().submit(os.getpid).result() != os.getpid()\n"
        "    p.close()\n"
        "    print('closed', flush=True)\n"
        "    os._exit(0)\n",
        "utf-8",
    )
    # stderr is read to its end: that waits for the resource tracker, which inherits it
    done = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stdout == "closed\n", done.stderr
    assert "leaked" not in done.stderr and "resource_tracker" not in done.stderr, done.stderr


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", "rb") as f:
                    fields = f.read().rsplit(b")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.append(int(entry))
    return out


def test_report_all_workers_end_with_their_parent(editions_root: Path, tmp_path: Path) -> None:
    """'report --all' killed (SIGKILL, no chance to clean up): its two workers do not go on
    rendering as orphans."""
    import subprocess
    import sys

    script = tmp_path / "all.py"
    script.write_text(
        "import sys\n"
        "from koldioxidbudget.render import ReportJob, write_reports_all\n"
        "if __name__ == '__main__':\n"
        "    job = ReportJob(editions_dir=sys.argv[1], formats=('html',))\n"
        "    write_reports_all(job, out_dir=sys.argv[2], workers=2)\n",
        "utf-8",
    )
    proc = subprocess.Popen([sys.executable, str(script), str(editions_root), str(tmp_path)])
    try:
        workers: list[int] = []
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline and not list(tmp_path.glob("*.html")):
            time.sleep(0.2)  # the workers are rendering once the first report is written
        workers = [c for c in _children(proc.pid) if _running(c)]
        assert list(tmp_path.glob("*.html")), "no report written in 120 s"
        assert len(workers) >= 2, workers  # two workers (and the resource tracker)
    finally:
        proc.kill()
        proc.wait(timeout=10)
    deadline = time.monotonic() + 10
    while any(_running(w) for w in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(w) for w in workers)
