"""``python -m bench``: time the engine's hot paths and print medians and ratios to the targets.

Reads the official sources from ``$KOLDIOXIDBUDGET_SOURCES`` (as ``make bench`` sets it). Each
figure is the median of several runs; the machines are shared and noisy, so compare ratios.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def _median(fn: Callable[[], object], runs: int) -> tuple[float, list[float]]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), times


def main() -> None:
    ap = argparse.ArgumentParser(prog="python -m bench")
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()

    from koldioxidbudget.edition import build_editions, load_edition
    from koldioxidbudget.method.budget import compute_budgets
    from koldioxidbudget.method.global_budget import global_cells
    from koldioxidbudget.method.params import parameters_from

    rows: list[tuple[str, float, float | None, str]] = []
    with tempfile.TemporaryDirectory() as tmp:

        def build() -> None:
            d = Path(tmp) / f"e{time.perf_counter_ns()}"
            build_editions(into=d)

        med, _ = _median(build, max(3, args.runs // 2))
        rows.append(("edition build from the raw files (all releases)", med, 10.0, "s"))

        root = Path(tmp) / "final"
        build_editions(into=root)
        tables = load_edition(None, into=root)
        base = parameters_from()
        cells = [c for c in global_cells(tables, base.global_source)]

        def all_cells() -> None:
            for _src, temp, prob in cells:
                compute_budgets(
                    tables=tables,
                    params=dataclasses.replace(base, temperature_c=temp, probability_pct=prob),
                )

        compute_budgets(tables=tables, params=base)  # warm the inventory memo, as a server would be
        med, _ = _median(all_cells, args.runs)
        n_areas = len(tables.areas)
        rows.append(
            (
                f"all {n_areas} areas × {len(cells)} temperature/probability cells (headline figures)",
                med,
                0.5,
                "s",
            )
        )

        run = compute_budgets(tables=tables, params=base)
        med, _ = _median(lambda: run.areas(), args.runs)
        rows.append(
            (
                f"full results for all {n_areas} areas (pathways, references, delay, ledger)",
                med,
                None,
                "s",
            )
        )

        env = dict(os.environ, KOLDIOXIDBUDGET_EDITIONS=str(root))
        exe = str(Path(sys.executable).with_name("koldioxidbudget"))

        def cold() -> None:
            subprocess.run([exe, "budget", "uppsala"], env=env, check=True, capture_output=True)

        med, _ = _median(cold, args.runs)
        rows.append(("cold 'koldioxidbudget budget uppsala'", med, 1.0, "s"))

        # the API under load (bench/load.py; 'make bench-load' runs the full 30 s)
        from bench import load

        os.environ["KOLDIOXIDBUDGET_EDITIONS"] = str(root)
        f = load.main(["--seconds", "10", "--warmup", "5", "--reports", "0", "--json"])
        rows.append(
            (
                f"API /budget p99, {f['clients']} clients × 10 s after 5 s "
                f"({f['throughput_rps']} req/s, "
                f"{f['errors']} errors)",
                f["p99_ms"] / 1e3,
                0.05,
                "s",
            )
        )

        # the yearly update: fetch + build from a local mirror, and data diff (bench/update.py)
        from bench.update import update_rows
        from koldioxidbudget.edition import sources_dir

        rows += update_rows(Path(tmp) / "update", sources=sources_dir(), runs=3)

        # the report: one municipality warm, and every area in parallel (bench/report.py)
        from bench.report import report_rows

        rows += report_rows(root, out=Path(tmp) / "reports", runs=args.runs)

    width = max(len(r[0]) for r in rows)
    print(f"{'benchmark':<{width}}  {'median':>9}  {'target':>7}  {'ratio':>6}")
    for name, med, target, unit in rows:
        tgt = f"{target:.2f} {unit}" if target else "–"
        ratio = f"{med / target:.2f}" if target else "–"
        print(f"{name:<{width}}  {med:>7.3f} {unit}  {tgt:>7}  {ratio:>6}")


if __name__ == "__main__":
    main()
