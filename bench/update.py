"""Benchmarks of the yearly update (``python -m bench`` adds these rows): fetch + build from a
local stand-in for the publishers (``tests/update/mirror.py``, serving recorded responses made
from the shared data), and the explanation of the change between two CO2 editions for every area.
"""

from __future__ import annotations

import dataclasses
import statistics
import time
from pathlib import Path

Row = tuple[str, float, float | None, str]


def _timed(fn, runs: int) -> tuple[float, float]:  # type: ignore[no-untyped-def]
    """(first run, median of the runs) in seconds."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times[0], statistics.median(times)


def update_rows(tmp: Path, *, sources: Path, runs: int = 3) -> list[Row]:
    from tests.update.conftest import (
        NEW_RELEASE,
        OLD_RELEASE,
        old_population,
        revise,
        source_folder,
    )
    from tests.update.mirror import SMHI_RAW, Mirror
    from tests.update.xlsx import smhi_variant

    from koldioxidbudget.edition import build_editions
    from koldioxidbudget.service.inputs import parameters_from
    from koldioxidbudget.sources.fetch import FetchSettings, fetch_sources
    from koldioxidbudget.story.changes import changes, diff_editions, sentence

    rows: list[Row] = []
    with Mirror(sources) as mirror:
        settings = dataclasses.replace(FetchSettings.from_env(mirror=mirror.url), gcb_year=2019)
        n = 0
        stored: list[int] = []

        def fetch() -> Path:
            nonlocal n
            n += 1
            into = tmp / f"fetched-{n}"
            res = fetch_sources(into, settings=settings, seed_from=sources)
            assert res.ok, res.errors
            stored[:] = [f.bytes for f in res.files]
            return into

        def fetch_build() -> None:
            into = fetch()
            build_editions(sources=into, into=into.parent / f"editions-{n}")

        _, med = _timed(fetch, runs)
        what = f"{len(stored)} files, {sum(stored) / 1e6:.1f} MB"
        rows.append((f"fetch all 5 remotes from the local mirror ({what})", med, 5.0, "s"))
        _, med = _timed(fetch_build, runs)
        rows.append(("fetch + build (CO2 and CO2e editions) from the local mirror", med, 15.0, "s"))

    old_bytes = smhi_variant(
        sources / SMHI_RAW, release=OLD_RELEASE, drop_years=[2022], scale=revise
    )
    old_src = source_folder(
        tmp / "src-old",
        smhi={f"smhi_lansrapport_co2_{OLD_RELEASE}.xlsx": old_bytes},
        population=old_population,
    )
    new_src = source_folder(
        tmp / "src-new",
        smhi={f"smhi_lansrapport_co2_{NEW_RELEASE}.xlsx": (sources / SMHI_RAW).read_bytes()},
    )
    root = tmp / "pair"
    (old,) = build_editions(sources=old_src, into=root)
    (new,) = build_editions(sources=new_src, into=root)
    params = parameters_from()

    def diff_all() -> None:
        a = diff_editions(old.id, new.id, params=params, into=root)
        for c in changes(a):
            sentence(c, "sv")
            sentence(c, "en")

    first, med = _timed(diff_all, max(runs, 5))
    rows.append(("diff of two editions, first call (loads both editions)", first, 3.0, "s"))
    rows.append(
        ("diff of two editions, all 312 areas: attribution + sv/en sentences", med, 2.0, "s")
    )
    return rows
