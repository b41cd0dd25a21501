"""The browser's pathway code (static/js/pathway.js) agrees with the engine: for every area and
every temperature/probability cell at default parameters, for each delay 0–10, for a grid of
sector rates, and under every rate convention (A–D), to a relative difference below 1e-9."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.method.cells import cells_for, compute_cells
from koldioxidbudget.method.pathway import annual_path, required_rate
from koldioxidbudget.method.scenarios import cost_of_delay, sector_what_if
from tests.browser.conftest import ready

TOL = 1e-9
SECTOR_GRID = (0.0, 0.05, 0.1172, 0.25, 0.6)

JS = """
async ({pathwayUrl, indexUrl, grid, conventions}) => {
  const P = await import(pathwayUrl);
  const index = await (await fetch(indexUrl)).json();
  const out = {};
  const codes = Object.keys(index.areas);
  await Promise.all(codes.map(async (code) => {
    const d = await (await fetch('/' + index.areas[code])).json();
    const hY = Math.max(1, d.horizon_year - d.as_of + 1);
    const n = d.path_end_year - d.as_of + 1;
    const res = { cells: {}, delayed: [], sectors: [], conventions: {} };
    for (const [cid, c] of Object.entries(d.cells)) {
      const rate = P.requiredRate(d.e0_t, c.remaining_t, d.convention, hY, d.residual_fraction);
      res.cells[cid] = {
        rate,
        path: P.annualPath(d.e0_t, c.remaining_t, rate, d.convention, n, hY, d.residual_fraction),
        delay: P.costOfDelay({asOf: d.as_of, e0: d.e0_t, remaining: c.remaining_t, convention: d.convention,
          horizonYear: d.horizon_year, residualFraction: d.residual_fraction, maxDelay: d.max_delay_years,
          infeasibleRate: d.infeasible_rate}),
      };
    }
    const c0 = d.cells[d.default_cell];
    for (let k = 0; k <= d.max_delay_years; k++) {
      res.delayed.push(P.delayedPath({asOf: d.as_of, e0: d.e0_t, remaining: c0.remaining_t, convention: d.convention,
        horizonYear: d.horizon_year, residualFraction: d.residual_fraction, delay: k, nYears: n}));
    }
    const sectors = Object.keys(d.sector_e0_t);
    for (let k = 0; k < grid.length; k++) {
      const rates = {};
      sectors.forEach((s, i) => (rates[s] = grid[(i + k) % grid.length]));
      res.sectors.push(P.sectorWhatIf({asOf: d.as_of, end: d.horizon_year, sectorE0: d.sector_e0_t,
        sectorRates: rates, remaining: c0.remaining_t}));
    }
    for (const [i, [conv, rho]] of conventions.entries()) {
      const rate = P.requiredRate(d.e0_t, c0.remaining_t, conv, hY, rho);
      res.conventions[i] = {
        rate,
        path: P.annualPath(d.e0_t, c0.remaining_t, rate, conv, n, hY, rho),
        delay: P.costOfDelay({asOf: d.as_of, e0: d.e0_t, remaining: c0.remaining_t, convention: conv,
          horizonYear: d.horizon_year, residualFraction: rho, maxDelay: d.max_delay_years,
          infeasibleRate: d.infeasible_rate}),
      };
    }
    out[code] = res;
  }));
  return JSON.stringify(out);
}
"""

CONVENTIONS = (("A", 0.0), ("B", 0.0), ("C", 0.0), ("D", 0.0), ("D", 0.1))


def _rel(a: Any, b: Any) -> float:
    if a is None or b is None or isinstance(a, bool) or isinstance(b, bool):
        return 0.0 if a == b else float("inf")
    a, b = float(a), float(b)
    if a == b:
        return 0.0
    return abs(a - b) / max(abs(a), abs(b))


def _close(js: Any, py: Any, where: str, worst: list[float]) -> None:
    if isinstance(py, dict):
        for k, v in py.items():
            _close(js[k], v, f"{where}.{k}", worst)
    elif isinstance(py, list | tuple):
        assert len(js) == len(py), f"{where}: length {len(js)} != {len(py)}"
        for i, (x, y) in enumerate(zip(js, py, strict=True)):
            _close(x, y, f"{where}[{i}]", worst)
    else:
        r = _rel(js, py)
        worst.append(r)
        assert r < TOL, f"{where}: browser {js!r} != engine {py!r} (rel {r:.3g})"


@pytest.fixture(scope="module")
def browser_results(page_module: Any, server: Any, site_dir: Path) -> dict[str, Any]:
    pathway = next((site_dir / "assets" / "js").glob("pathway.*.js")).name
    page_module.goto(server.url + "sv/0380/")
    ready(page_module)
    raw = page_module.evaluate(
        JS,
        {
            "pathwayUrl": f"/assets/js/{pathway}",
            "indexUrl": "/data/index.json",
            "grid": list(SECTOR_GRID),
            "conventions": [list(c) for c in CONVENTIONS],
        },
    )
    return json.loads(raw)


@pytest.fixture(scope="module")
def page_module(browser: Any) -> Any:
    ctx = browser.new_context()
    pg = ctx.new_page()
    yield pg
    ctx.close()


def _delay_dicts(cases: Any) -> list[dict[str, Any]]:
    return [dataclasses.asdict(c) for c in cases]


def test_site_parity_every_area_every_cell(browser_results: dict[str, Any], sweden: Any) -> None:
    from koldioxidbudget.service.inputs import parameters_from

    cells = cells_for(sweden, parameters_from(None))
    runs = compute_cells(sweden, parameters_from(None))
    assert set(browser_results) == set(runs[cells[0].id].codes)
    worst: list[float] = []
    for code, res in browser_results.items():
        for cid, run in runs.items():
            r = run.area(code)
            js = res["cells"][cid]
            _close(js["rate"], r.rate, f"{code}/{cid}/rate", worst)
            _close(js["path"], [t for _, t in r.references["budget"]], f"{code}/{cid}/path", worst)
            _close(js["delay"], _delay_dicts(r.cost_of_delay), f"{code}/{cid}/delay", worst)
    assert max(worst) < TOL


def test_site_parity_delays_sectors_conventions(
    browser_results: dict[str, Any], sweden: Any
) -> None:
    from koldioxidbudget.service.inputs import parameters_from

    base = parameters_from(None)
    run = compute_budgets(tables=sweden, params=base)
    worst: list[float] = []
    for code, res in browser_results.items():
        r = run.area(code)
        e0, rem, p = r.e0_t, r.remaining_t, r.parameters
        n = p.path_end_year - p.as_of + 1
        # the delayed path: E0 until the start, then the pathway of what is left
        for d, js in enumerate(res["delayed"]):
            b = rem - d * e0
            n_h = max(1, p.horizon_year - p.as_of - d + 1)
            rate = float(required_rate(e0=np.array([e0]), budget=np.array([b]), convention=p.convention, n_years=n_h, residual_fraction=p.residual_fraction)[0])  # fmt: skip
            rest = annual_path(e0=np.array([e0]), budget=np.array([b]), rate=np.array([rate]), convention=p.convention, n_years=max(0, n - d), horizon_years=n_h, residual_fraction=p.residual_fraction)[0]  # fmt: skip
            _close(js, [e0] * d + [float(x) for x in rest], f"{code}/delayed{d}", worst)
        sector_e0 = {s.sector: e0 * s.share for s in r.sectors}
        for k, js in enumerate(res["sectors"]):
            rates = {s: SECTOR_GRID[(i + k) % len(SECTOR_GRID)] for i, s in enumerate(sector_e0)}
            w = sector_what_if(
                as_of=p.as_of,
                end=p.horizon_year,
                sector_e0=sector_e0,
                sector_rates=rates,
                remaining_t=rem,
            )
            _close(js["cumulative_t"], w.cumulative_t, f"{code}/sectors{k}", worst)
            _close(js["by_sector"], w.by_sector, f"{code}/sectors{k}/by", worst)
            assert js["within_budget"] == w.within_budget
        for i, (conv, rho) in enumerate(CONVENTIONS):
            js = res["conventions"][str(i)]
            h = max(1, p.horizon_year - p.as_of + 1)
            rate = float(required_rate(e0=np.array([e0]), budget=np.array([rem]), convention=conv, n_years=h, residual_fraction=rho)[0])  # fmt: skip
            path = annual_path(e0=np.array([e0]), budget=np.array([rem]), rate=np.array([rate]), convention=conv, n_years=n, horizon_years=h, residual_fraction=rho)[0]  # fmt: skip
            cod = cost_of_delay(
                as_of=p.as_of,
                e0=e0,
                remaining_t=rem,
                convention=conv,
                horizon_year=p.horizon_year,
                residual_fraction=rho,
                max_delay=p.max_delay_years,
                infeasible_rate=p.infeasible_rate,
            )
            _close(js["rate"], rate, f"{code}/{conv}{rho}/rate", worst)
            _close(js["path"], [float(x) for x in path], f"{code}/{conv}{rho}/path", worst)
            _close(js["delay"], _delay_dicts(cod), f"{code}/{conv}{rho}/delay", worst)
    assert worst and max(worst) < TOL
