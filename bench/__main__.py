"""``python -m bench``: time what people wait for and print medians and ratios to the targets.

Reads the official sources from ``$KOLDIOXIDBUDGET_SOURCES`` (as ``make bench`` sets it) and
builds its own editions in a temporary folder. Each figure is the median of several runs (the
count is printed); the machines are shared and noisy, so compare ratios. Every row with a target
says PASS or MISS; a MISS never fails the command (timing is judged here, never in a test).
The closing note quotes the figures, and the nowcast backtest's table (``bench.backtest``)
follows them.

``--skip`` leaves out the long rows: ``report-all`` (every area's report, minutes), ``site``
(the site build and the compressed page sizes), ``load`` (the API under load), ``update``.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

#: what a repeated ``budget AREA --format json`` must not import (issue 12)
HEAVY_MODULES = ("pandas", "numpy", "fastapi", "starlette", "jinja2", "vl_convert", "typst")
#: the import-time budget of that command (sum of every module's own import time)
IMPORT_BUDGET_S = 0.30


@dataclass
class Row:
    name: str
    median: float
    target: float | None
    unit: str = "s"
    runs: int = 1
    note: str = ""

    @property
    def ratio(self) -> float | None:
        return self.median / self.target if self.target else None

    @property
    def verdict(self) -> str:
        if self.target is None:
            return ""
        return "PASS" if self.median <= self.target else "MISS"


def _median(fn: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def _exe() -> str:
    return str(Path(sys.executable).with_name("koldioxidbudget"))


def _run(args: list[str], env: dict[str, str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_exe(), *args], env=env, check=True, capture_output=True, text=True, **kw
    )  # type: ignore[call-overload, no-any-return]


def cli_rows(root: Path, tmp: Path, runs: int) -> list[Row]:
    """Cold processes: ``budget uppsala --format json`` and ``report uppsala`` (PDF + HTML),
    each the first time (empty caches) and asked again (the caches filled by the first)."""
    rows: list[Row] = []
    base = dict(os.environ, KOLDIOXIDBUDGET_EDITIONS=str(root))
    n = 0

    def fresh_env() -> dict[str, str]:
        nonlocal n
        n += 1
        return dict(base, KOLDIOXIDBUDGET_CACHE=str(tmp / f"cache-{n}"))

    budget = ["budget", "uppsala", "--format", "json"]
    med, _ = _median(lambda: _run(budget, fresh_env()), runs)
    rows.append(Row("cold 'budget uppsala --format json', first time", med, 0.5, runs=runs))
    again = fresh_env()
    _run(budget, again)
    med, _ = _median(lambda: _run(budget, again), runs)
    rows.append(Row("cold 'budget uppsala --format json', asked again", med, 0.5, runs=runs))

    # the import budget of the repeated command: no heavy module, little import time
    proc = subprocess.run(
        [sys.executable, "-X", "importtime", _exe(), *budget],
        env=again,
        check=True,
        capture_output=True,
        text=True,
    )
    total_us = 0
    heavy = set()
    for line in proc.stderr.splitlines():
        m = re.match(r"import time:\s+(\d+) \|\s+\d+ \|(\s*)(\S+)", line)
        if m:
            total_us += int(m.group(1))
            top = m.group(3).split(".")[0]
            if top in HEAVY_MODULES:
                heavy.add(top)
    note = f"heavy modules imported: {', '.join(sorted(heavy))}" if heavy else "no heavy module"
    rows.append(
        Row(
            "  import time of that command (python -X importtime, sum)",
            total_us / 1e6 if not heavy else float("inf"),
            IMPORT_BUDGET_S,
            note=note,
        )
    )

    out = tmp / "reports"
    report = ["report", "uppsala", "--out", str(out)]
    r_runs = max(3, runs // 2)
    med, _ = _median(lambda: _run(report, fresh_env()), r_runs)
    rows.append(Row("cold 'report uppsala' (PDF + HTML), empty chart store", med, 2.0, runs=r_runs))
    again = fresh_env()
    _run(report, again)
    med, _ = _median(lambda: _run(report, again), r_runs)
    rows.append(Row("cold 'report uppsala' (PDF + HTML), charts stored", med, 2.0, runs=r_runs))
    return rows


def report_all_row(root: Path, tmp: Path) -> Row:
    """``report --all`` (every area, Swedish, PDF + HTML, 2 processes), once, empty chart store."""
    env = dict(os.environ, KOLDIOXIDBUDGET_EDITIONS=str(root), KOLDIOXIDBUDGET_CACHE=str(tmp))
    t0 = time.perf_counter()
    proc = subprocess.run(
        [_exe(), "report", "--all", "--workers", "2", "--out", str(tmp / "all")],
        env=env,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - t0
    n = len(list((tmp / "all").glob("*.pdf")))
    note = f"{n} PDFs; exit {proc.returncode}"
    return Row("'report --all' (sv, PDF + HTML, 2 processes)", seconds, 150.0, note=note)


def _fetch(url: str, encoding: str = "br") -> tuple[int, bytes, dict[str, str]]:
    req = urllib.request.Request(url, headers={"Accept-Encoding": encoding})
    with urllib.request.urlopen(req, timeout=60) as r:
        return r.status, r.read(), {k.lower(): v for k, v in r.headers.items()}


_REF = re.compile(r'(?:src|href)="(/[^"#?]+|(?!https?:|data:|#|mailto:)[^"#?:]+)"')


def _page_transfer(base: str, path: str) -> int:
    """Bytes on the wire (brotli) for a page and the scripts, styles, fonts and images it
    names (each once), as a browser would fetch them on a first visit."""
    _, body, _ = _fetch(base + path)
    total = len(body)
    import brotli

    html = brotli.decompress(body).decode("utf-8", "replace") if body[:1] != b"<" else body
    seen: set[str] = set()
    for ref in _REF.findall(str(html)):
        if ref.endswith("/") or ref in seen:
            continue  # links to other pages are not part of this one
        seen.add(ref)
        url = urllib.parse.urljoin(base + path, ref)
        try:
            _, b, _ = _fetch(url)
        except OSError:
            continue
        total += len(b)
    return total


def site_rows(root: Path, tmp: Path) -> list[Row]:
    """The site build (once), then the area page and the start page as ``serve`` sends them."""
    from bench import load

    env = dict(os.environ, KOLDIOXIDBUDGET_EDITIONS=str(root), KOLDIOXIDBUDGET_CACHE=str(tmp))
    site = tmp / "site"
    t0 = time.perf_counter()
    _run(["site", "build", "--out", str(site)], env)
    rows = [Row("'site build' (every area)", time.perf_counter() - t0, 20.0)]
    os.environ["KOLDIOXIDBUDGET_SITE"] = str(site)
    port = load._free_port()
    proc = load.start_server(port, 1)
    try:
        base = f"http://{load.HOST}:{port}"
        area = _page_transfer(base, "/sv/0380/")
        start = _page_transfer(base, "/")
    finally:
        load.stop_server(proc)
    rows.append(Row("area page as served (Uppsala, brotli)", area / 1e3, 400.0, "KB"))
    rows.append(Row("start page as served (brotli)", start / 1e3, 150.0, "KB"))
    return rows


def load_rows(root: Path) -> list[Row]:
    """The API under load (``bench/load.py``): 200 clients (think 0.5–1.5 s, 0–2 settings),
    judged with the warm-up; then 100 clients (think 0.1–0.5 s, 0–3 settings) on a fresh
    server."""
    from bench import load

    os.environ["KOLDIOXIDBUDGET_EDITIONS"] = str(root)
    rows = []
    f = load.main(["--seconds", "20", "--warmup", "10", "--reports", "0", "--json"])
    a = f["with_warmup"]
    assert isinstance(a, dict)
    rows.append(
        Row(
            f"API /budget p99, 200 clients, 10 s warm-up + 20 s ({a['requests']} requests, "
            f"{f['throughput_rps']} req/s, {a['errors']} errors)",
            a["p99_ms"] / 1e3,
            0.05,
            note=f"warm-up p99 {f['warmup']['p99_ms']} ms; measured p99 {f['p99_ms']} ms",  # type: ignore[index]
        )
    )
    rows.append(
        Row(
            f"  a parameter set never asked before ({a['first_seen']} sets), median",
            a["first_seen_p50_ms"] / 1e3,
            0.02,
            note=f"p99 {a['first_seen_p99_ms']} ms",
        )
    )
    g = load.main(
        [
            "--clients",
            "100",
            "--think",
            "0.1",
            "0.5",
            "--max-params",
            "3",
            "--seconds",
            "20",
            "--warmup",
            "0",
            "--reports",
            "0",
            "--json",
        ]
    )
    rows.append(
        Row(
            f"API /budget p99, 100 clients, think 0.1–0.5 s, 0–3 settings, cold server "
            f"({g['requests']} requests, {g['throughput_rps']} req/s)",
            g["p99_ms"] / 1e3,  # type: ignore[operator]
            0.1,
        )
    )
    rows.append(Row("  errors at 100 clients", float(g["errors"]), 0.0, "", note="target 0"))  # type: ignore[arg-type]
    return rows


def engine_rows(tmp: Path, runs: int) -> tuple[Path, list[Row]]:
    from koldioxidbudget.edition import build_editions, load_edition
    from koldioxidbudget.method.budget import compute_budgets
    from koldioxidbudget.method.global_budget import global_cells
    from koldioxidbudget.service.inputs import parameters_from

    rows: list[Row] = []

    def build() -> None:
        build_editions(into=tmp / f"e{time.perf_counter_ns()}")

    r = max(3, runs // 2)
    med, _ = _median(build, r)
    rows.append(Row("edition build from the raw files (all releases)", med, 10.0, runs=r))

    root = tmp / "final"
    build_editions(into=root)
    tables = load_edition(None, into=root)
    base = parameters_from()
    cells = list(global_cells(tables, base.global_source))

    def all_cells() -> None:
        for _src, temp, prob in cells:
            compute_budgets(
                tables=tables,
                params=dataclasses.replace(base, temperature_c=temp, probability_pct=prob),
            )

    compute_budgets(tables=tables, params=base)  # warm the inventory memo, as a server would be
    med, _ = _median(all_cells, runs)
    rows.append(
        Row(
            f"all {len(tables.areas)} areas × {len(cells)} temperature/probability cells",
            med,
            0.5,
            runs=runs,
        )
    )
    run = compute_budgets(tables=tables, params=base)
    med, _ = _median(lambda: run.areas(), runs)
    rows.append(Row("full results for every area", med, None, runs=runs))
    return root, rows


def _fmt(x: float, unit: str) -> str:
    if x == float("inf"):
        return "–"
    if unit == "s":
        return f"{x:.3f} s"
    return f"{x:.1f} {unit}".strip()


def print_rows(rows: list[Row]) -> None:
    width = max(len(r.name) for r in rows)
    print(
        f"{'benchmark':<{width}}  {'median':>11}  {'runs':>4}  {'target':>9}  {'ratio':>6}  verdict"
    )
    for r in rows:
        tgt = _fmt(r.target, r.unit) if r.target is not None else "–"
        ratio = f"{r.ratio:.2f}" if r.ratio is not None and r.ratio != float("inf") else "–"
        line = f"{r.name:<{width}}  {_fmt(r.median, r.unit):>11}  {r.runs:>4}  {tgt:>9}  {ratio:>6}  {r.verdict}"
        print(line + (f"  ({r.note})" if r.note else ""))
    judged = [r for r in rows if r.target is not None]
    missed = [r for r in judged if r.verdict == "MISS"]
    print()
    print(
        f"Note: {len(judged) - len(missed)} of {len(judged)} targets met on this run"
        + (
            ": missed "
            + "; ".join(
                f"{r.name.strip()} {_fmt(r.median, r.unit)} (target {_fmt(r.target or 0, r.unit)})"
                for r in missed
            )
            if missed
            else "."
        )
        + " Timings from a shared machine: compare the ratios, and re-run before concluding."
    )


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument(
        "--skip",
        default="",
        help="comma-separated: report-all, site, load, update, backtest",
    )
    ap.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    args = ap.parse_args()
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}

    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="koldioxidbudget-bench-") as t:
        tmp = Path(t)
        root, engine = engine_rows(tmp, args.runs)
        rows += engine
        rows += cli_rows(root, tmp / "cli", args.runs)
        if "load" not in skip:
            rows += load_rows(root)
        if "site" not in skip:
            rows += site_rows(root, tmp / "site")
        if "report-all" not in skip:
            rows.append(report_all_row(root, tmp / "report-all"))
        if "update" not in skip:
            from bench.update import update_rows
            from koldioxidbudget.edition import sources_dir

            rows += [
                Row(name, med, target, unit)
                for name, med, target, unit in update_rows(
                    tmp / "update", sources=sources_dir(), runs=3
                )
            ]
        from bench.report import report_rows

        rows += [
            Row(name, med, target, unit, runs=args.runs)
            for name, med, target, unit in report_rows(root, runs=args.runs)
        ]
        print_rows(rows)
        if args.json:
            Path(args.json).write_text(
                json.dumps([dataclasses.asdict(r) for r in rows], indent=1), "utf-8"
            )
        if "backtest" not in skip:
            from bench.backtest import table

            os.environ["KOLDIOXIDBUDGET_EDITIONS"] = str(root)
            print()
            print("Nowcast backtest (python -m bench.backtest):")
            print(table(), end="")


if __name__ == "__main__":
    main()
