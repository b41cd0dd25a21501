"""Guards on an edition's data, run by every build and by ``koldioxidbudget data check``.

Each check is one ``_check_*`` function over an edition's :class:`~koldioxidbudget.schema.Tables`
(and the previous edition's, for comparisons). Findings have a severity:

* ``hard`` — the edition must not become the current edition (an area without emissions in a
  year, municipalities adding up to more than Sweden, a release whose last data year is older
  than the previous edition's, Sweden's emissions of an already published year moving by more
  than 25 %, population missing for municipalities or for a whole year, a number that is not
  finite or beyond any plausible value (``PLAUSIBLE``: a global budget of 1e300 Gt, a cement
  plant of 1e25 t), a CO2 edition the engine cannot compute);
* ``soft`` — published with a warning (series breaks such as "Utrikes transporter" being zero
  until 2022 and non-zero after, years missing from SMHI's usual series, large one-year jumps in
  a municipality (likely a point source), large revisions against the previous edition, a large
  share of SMHI's unallocated emissions);
* ``info`` — reported for the record (SMHI's unallocated emissions of the last year).

The report is written into the edition as ``checks.json`` before the edition is renamed into
place, so it is as immutable as the tables; the "current" pointer only ever names an edition
whose report passed. Thresholds are :class:`Thresholds` (documented in ``docs/updating.md``).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import itertools
import json
import logging
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from .errors import KoldioxidbudgetError
from .schema import GAS_CO2, NATIONAL_CODE, Tables

__all__ = [
    "CHECKS_FILE",
    "CheckReport",
    "Finding",
    "Thresholds",
    "check_edition",
    "passed",
    "read_report",
    "year_ranges",
]

log = logging.getLogger(__name__)

#: The report's file name inside an edition directory.
CHECKS_FILE = "checks.json"

Severity = Literal["hard", "soft", "info"]

#: Years SMHI publishes at municipal level before the annual series starts in 2015.
_SMHI_EARLY_YEARS = (1990, 2000, 2005, 2010)
_ANNUAL_FROM = 2015


@dataclass(frozen=True)
class Thresholds:
    """Where a check starts to report (fractions are relative changes, ``_t`` tonnes)."""

    #: one-year jump of a municipality's total: both relative and absolute must be exceeded
    jump_ratio: float = 0.5
    jump_min_t: float = 20_000.0
    #: revision of a municipality's total for an already published year, against the previous edition
    previous_area_ratio: float = 0.10
    previous_area_min_t: float = 10_000.0
    #: revision of Sweden's total for an already published year: soft above, hard above
    previous_national_soft: float = 0.03
    previous_national_hard: float = 0.25
    #: SMHI's unallocated share of Sweden's total above which it is a warning
    unallocated_share: float = 0.02
    #: at most this many findings of one kind are listed (largest first)
    max_listed: int = 25


@dataclass(frozen=True)
class Finding:
    """One thing a check found; ``check`` names a message ``diff.check.<check>`` filled from
    ``values`` (tonnes in keys ``value``/``delta``/``old``/``new``, fractions in ``pct``)."""

    check: str
    severity: Severity
    values: dict[str, Any] = field(default_factory=dict)
    code: str | None = None
    year: int | None = None


@dataclass(frozen=True)
class CheckReport:
    """Every finding of one edition's checks; ``passed`` when there is no hard finding."""

    edition: str
    gas: str
    previous: str | None
    findings: tuple[Finding, ...]
    checked_at: str = ""
    thresholds: Thresholds = field(default_factory=Thresholds)

    @property
    def passed(self) -> bool:
        return not any(f.severity == "hard" for f in self.findings)

    def of(self, severity: Severity) -> list[Finding]:
        return [f for f in self.findings if f.severity == severity]

    def to_dict(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "gas": self.gas,
            "previous": self.previous,
            "passed": self.passed,
            "checked_at": self.checked_at,
            "counts": {s: len(self.of(s)) for s in ("hard", "soft", "info")},
            "thresholds": dataclasses.asdict(self.thresholds),
            "findings": [dataclasses.asdict(f) for f in self.findings],
        }

    def to_json(self) -> bytes:
        return (json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n").encode("utf-8")

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CheckReport:
        return cls(
            edition=d["edition"],
            gas=d["gas"],
            previous=d.get("previous"),
            findings=tuple(Finding(**f) for f in d.get("findings", [])),
            checked_at=d.get("checked_at", ""),
            thresholds=Thresholds(**d.get("thresholds", {})),
        )


def year_ranges(years: tuple[int, ...] | list[int]) -> str:
    """``[1990, 2015, 2016, 2017, 2020]`` → ``"1990, 2015–2017, 2020"``."""
    ys = sorted(set(years))
    parts: list[str] = []
    i = 0
    while i < len(ys):
        j = i
        while j + 1 < len(ys) and ys[j + 1] == ys[j] + 1:
            j += 1
        parts.append(str(ys[i]) if i == j else f"{ys[i]}–{ys[j]}")
        i = j + 1
    return ", ".join(parts)


def read_report(edition_path: str | Path) -> CheckReport | None:
    """The report stored in an edition, or None for editions built before the checks existed."""
    f = Path(edition_path) / CHECKS_FILE
    if not f.is_file():
        return None
    try:
        return CheckReport.from_dict(json.loads(f.read_text("utf-8")))
    except (OSError, ValueError, TypeError, KeyError) as e:
        log.warning("unreadable %s in %s (%s): treated as failed", CHECKS_FILE, edition_path, e)
        return CheckReport(
            edition=Path(edition_path).name,
            gas="",
            previous=None,
            findings=(Finding("engine", "hard", {"error": f"unreadable {CHECKS_FILE}: {e}"}),),
        )


def passed(edition_path: str | Path) -> bool:
    """Whether an edition may be current: its report passed, or it has none (older builds)."""
    r = read_report(edition_path)
    return r is None or r.passed


# ---------------------------------------------------------------------------------------------
# the checks


def _municipal_totals(tables: Tables) -> pd.DataFrame:
    """Municipalities × years, total emissions (every sector)."""
    mun = tables.areas.loc[tables.areas["level"] == "kommun", "code"]
    em = tables.emissions[tables.emissions["code"].isin(mun)]
    return em.pivot_table(index="code", columns="year", values="emissions_t", aggfunc="sum")


def _national(tables: Tables) -> pd.Series:
    em = tables.emissions
    return em[em["code"] == NATIONAL_CODE].groupby("year")["emissions_t"].sum()


def _names(tables: Tables) -> dict[str, str]:
    return dict(zip(tables.areas["code"], tables.areas["name"], strict=True))


def _check_missing_area_years(tables: Tables, th: Thresholds) -> list[Finding]:
    """Every area has emissions in every data year of the edition (hard)."""
    years = tables.data_years
    have = tables.emissions.groupby("code")["year"].unique()
    names = _names(tables)
    out = []
    for code in tables.areas["code"]:
        got = set(int(y) for y in have.get(code, []))
        missing = [y for y in years if y not in got]
        if missing:
            out.append(
                Finding(
                    "missing-area",
                    "hard",
                    {"name": names.get(code, code), "code": code, "years": missing},
                    code=code,
                )
            )
    return out[: th.max_listed]


def _check_missing_years(tables: Tables, previous: Tables | None, th: Thresholds) -> list[Finding]:
    """Years missing from SMHI's usual series (1990, 2000, 2005, 2010, 2015 → last) or present in
    the previous edition (soft)."""
    years = tables.data_years
    first, last = years[0], years[-1]
    expected = {y for y in _SMHI_EARLY_YEARS if y >= first} | set(
        range(max(first, _ANNUAL_FROM), last + 1)
    )
    if previous is not None:
        expected |= {y for y in previous.data_years if first <= y <= last}
    missing = sorted(expected - set(years))
    if not missing:
        return []
    return [Finding("missing-years", "soft", {"years": missing, "expected": sorted(expected)})]


def _check_last_year(tables: Tables, previous: Tables | None, th: Thresholds) -> list[Finding]:
    """A newer release does not end earlier than the previous edition (hard)."""
    if previous is None or tables.last_data_year >= previous.last_data_year:
        return []
    return [
        Finding(
            "last-year-regressed",
            "hard",
            {"year": tables.last_data_year, "previous": previous.last_data_year},
        )
    ]


def _check_series_breaks(tables: Tables, th: Thresholds) -> list[Finding]:
    """A sector that is zero for every area up to some year and non-zero after, or the reverse
    (soft): e.g. SMHI's "Utrikes transporter", 0 until 2022 and non-zero from 2023 (2026 vintage)."""
    em = tables.emissions
    mun = tables.areas.loc[tables.areas["level"] != "riket", "code"]
    em = em[em["code"].isin(mun) | (em["code"] == NATIONAL_CODE)]
    per = em.assign(a=em["emissions_t"].abs()).groupby(["sector", "year"])["a"].sum().unstack()
    out = []
    for sector, row in per.iterrows():
        ys = [int(y) for y in row.index]
        nz = [bool(v > 0.5) for v in row.to_numpy()]
        if all(nz) or not any(nz):
            continue
        nat = em[(em["code"] == NATIONAL_CODE) & (em["sector"] == sector)].set_index("year")[
            "emissions_t"
        ]
        k = nz.index(True)
        if k > 0 and all(nz[k:]):
            y = ys[k]
            out.append(
                Finding(
                    "series-break",
                    "soft",
                    {
                        "sector": str(sector),
                        "until": ys[k - 1],
                        "year": y,
                        "value": float(nat.get(y, 0.0)),
                    },
                    year=y,
                )
            )
            continue
        j = len(nz) - nz[::-1].index(True)  # first zero after the last non-zero
        if j < len(nz) and not any(nz[j:]) and all(nz[:j]):
            out.append(
                Finding(
                    "series-stop",
                    "soft",
                    {
                        "sector": str(sector),
                        "until": ys[j - 1],
                        "year": ys[j],
                        "value": float(nat.get(ys[j - 1], 0.0)),
                    },
                    year=ys[j],
                )
            )
    return out


def _check_jumps(tables: Tables, th: Thresholds) -> list[Finding]:
    """A municipality's total moving by more than ``jump_ratio`` and ``jump_min_t`` from one year
    to the next (soft; likely a point source opening, closing or changing)."""
    tot = _municipal_totals(tables)
    years = [int(y) for y in tot.columns]
    names = _names(tables)
    found: list[tuple[float, Finding]] = []
    for a, b in itertools.pairwise(years):
        if b != a + 1:
            continue
        e0, e1 = tot[a].to_numpy(dtype=float), tot[b].to_numpy(dtype=float)
        delta = e1 - e0
        with np.errstate(divide="ignore", invalid="ignore"):
            rel = np.where(e0 > 0, delta / np.where(e0 > 0, e0, 1.0), np.inf)
        hit = (np.abs(rel) > th.jump_ratio) & (np.abs(delta) > th.jump_min_t)
        for i in (int(k) for k in np.flatnonzero(hit)):
            code = str(tot.index[i])
            r = float(rel[i])
            found.append(
                (
                    abs(float(delta[i])),
                    Finding(
                        "jump",
                        "soft",
                        {
                            "name": names.get(code, code),
                            "code": code,
                            "year0": a,
                            "year1": b,
                            "pct": r if math.isfinite(r) else 1.0,
                            "delta": float(delta[i]),
                        },
                        code=code,
                        year=b,
                    ),
                )
            )
    found.sort(key=lambda x: -x[0])
    return [f for _, f in found[: th.max_listed]]


def _check_unallocated(tables: Tables, th: Thresholds) -> list[Finding]:
    """SMHI's unallocated emissions (Sweden − Σ municipalities): info for the last year, soft
    above ``unallocated_share``, hard when negative (municipalities exceed Sweden)."""
    nat = _national(tables)
    mun = _municipal_totals(tables).sum(axis=0)
    out = []
    for y in tables.data_years:
        n = float(nat.get(y, 0.0))
        m = float(mun.get(y, 0.0))
        u = n - m
        share = u / n if n > 0 else 0.0
        if u < -max(1.0, 1e-6 * abs(n)):
            out.append(Finding("unallocated-negative", "hard", {"year": y, "value": u}, year=y))
        elif share > th.unallocated_share:
            out.append(
                Finding("unallocated", "soft", {"year": y, "value": u, "pct": share}, year=y)
            )
        elif y == tables.last_data_year:
            out.append(
                Finding("unallocated", "info", {"year": y, "value": u, "pct": share}, year=y)
            )
    return out


def _check_previous(tables: Tables, previous: Tables | None, th: Thresholds) -> list[Finding]:
    """Already published years compared with the previous edition: Sweden's total (soft above
    ``previous_national_soft``, hard above ``previous_national_hard``) and each municipality's
    total (soft above ``previous_area_ratio`` and ``previous_area_min_t``)."""
    if previous is None:
        return []
    common = sorted(set(tables.data_years) & set(previous.data_years))
    out: list[Finding] = []
    n_new, n_old = _national(tables), _national(previous)
    for y in common:
        o, n = float(n_old.get(y, 0.0)), float(n_new.get(y, 0.0))
        rel = (n - o) / o if o > 0 else (0.0 if n == o else 1.0)
        if abs(rel) > th.previous_national_soft:
            sev: Severity = "hard" if abs(rel) > th.previous_national_hard else "soft"
            out.append(
                Finding(
                    "previous-national",
                    sev,
                    {"year": y, "pct": rel, "old": o, "new": n, "previous": previous.edition_id},
                    year=y,
                )
            )
    t_new, t_old = _municipal_totals(tables), _municipal_totals(previous)
    codes = t_new.index.intersection(t_old.index)
    names = _names(tables)
    found: list[tuple[float, Finding]] = []
    for y in common:
        if y not in t_new.columns or y not in t_old.columns:
            continue
        ov = t_old.loc[codes, y].to_numpy(dtype=float)
        nv = t_new.loc[codes, y].to_numpy(dtype=float)
        d = nv - ov
        with np.errstate(divide="ignore", invalid="ignore"):
            rels = np.where(ov > 0, d / np.where(ov > 0, ov, 1.0), np.inf)
        hit = (np.abs(rels) > th.previous_area_ratio) & (np.abs(d) > th.previous_area_min_t)
        for i in (int(k) for k in np.flatnonzero(hit)):
            code = str(codes[i])
            r = float(rels[i])
            found.append(
                (
                    abs(float(d[i])),
                    Finding(
                        "previous-area",
                        "soft",
                        {
                            "name": names.get(code, code),
                            "code": code,
                            "year": y,
                            "pct": r if math.isfinite(r) else 1.0,
                            "old": float(ov[i]),
                            "new": float(nv[i]),
                        },
                        code=code,
                        year=y,
                    ),
                )
            )
    found.sort(key=lambda x: -x[0])
    return out + [f for _, f in found[: th.max_listed]]


def _check_population(tables: Tables, th: Thresholds) -> list[Finding]:
    """Every municipality has a population in the latest population year (hard)."""
    pop = tables.population
    if pop.empty:
        return [Finding("population-missing", "hard", {"count": "?", "year": "?", "code": "?"})]
    y = int(pop["year"].max())
    mun = tables.areas.loc[tables.areas["level"] == "kommun", "code"]
    have = set(pop.loc[pop["year"] == y, "code"])
    missing = [c for c in mun if c not in have]
    if not missing:
        return []
    return [
        Finding(
            "population-missing",
            "hard",
            {"count": len(missing), "year": y, "code": missing[0]},
            year=y,
        )
    ]


#: (table, column, lowest, highest, unit): what no real source comes near. Sweden emits about
#: 0.05 Gt CO2 a year and has 10.6 million inhabitants; the world emits about 40 Gt a year and
#: the largest remaining global budget published is a few thousand Gt. A value outside (or not
#: finite) is a broken or crafted source file, and the edition must not become current.
PLAUSIBLE: tuple[tuple[str, str, float, float, str], ...] = (
    ("emissions", "emissions_t", -1e8, 1e9, "\u00a0t"),
    ("subsectors", "emissions_t", -1e8, 1e9, "\u00a0t"),
    ("ghg_sectors", "emissions_t", -1e8, 1e9, "\u00a0t"),
    ("population", "population", 0, 5e7, ""),
    ("global_budgets", "budget_gt", -5e3, 1e4, "\u00a0Gt"),
    ("global_budgets", "temperature_c", 0.5, 10, "\u00a0°C"),
    ("global_budgets", "probability_pct", 0, 100, "\u00a0%"),
    ("global_emissions", "world_fossil_mt", 0, 1e6, "\u00a0Mt"),
    ("global_emissions", "world_luc_mt", -1e5, 1e5, "\u00a0Mt"),
    ("global_emissions", "sweden_fossil_mt", 0, 1e4, "\u00a0Mt"),
    ("blocs", "emissions_mt", -1e4, 1e6, "\u00a0Mt"),
    ("facilities", "emissions_t", 0, 1e8, "\u00a0t"),
    ("international_transport", "aviation_t", 0, 1e9, "\u00a0t"),
    ("international_transport", "shipping_t", 0, 1e9, "\u00a0t"),
)


def _check_plausible(tables: Tables, th: Thresholds) -> list[Finding]:
    """Every number of the edition is finite and within ``PLAUSIBLE`` (hard): a global budget of
    1e300 Gt or a cement plant of 1e25 t would otherwise give budgets of any size."""
    out: list[Finding] = []
    for table, column, low, high, unit in PLAUSIBLE:
        frame = getattr(tables, table, None)
        if frame is None or column not in getattr(frame, "columns", ()) or frame.empty:
            continue
        values = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
        bad = ~np.isfinite(values) | (values < low) | (values > high)
        if not bad.any():
            continue
        i = int(np.flatnonzero(bad)[0])
        row = frame.iloc[i]
        year = row.get("year", row.get("budget_from"))
        out.append(
            Finding(
                "implausible",
                "hard",
                {
                    "table": table,
                    "column": column,
                    "found": float(values[i]),
                    "low": float(low),
                    "high": float(high),
                    "unit": unit,
                    "count": int(bad.sum()),
                },
                code=str(row["code"]) if "code" in row.index else None,
                year=int(year) if year is not None and pd.notna(year) else None,
            )
        )
    return out


def _check_population_years(tables: Tables, th: Thresholds) -> list[Finding]:
    """Every year from the first to the last population year has municipalities (hard): a year
    missing for all of them would otherwise pass unnoticed. A municipality formed later (Knivsta,
    2003) lacks the years before it existed; that is not a gap."""
    pop = tables.population
    if pop.empty:
        return []
    mun = set(tables.areas.loc[tables.areas["level"] == "kommun", "code"])
    have = pop.loc[pop["code"].isin(mun)].groupby("year")["code"].nunique()
    first, last = int(pop["year"].min()), int(pop["year"].max())
    # the last year is _check_population's
    gaps = [y for y in range(first, last) if int(have.get(y, 0)) == 0]
    if not gaps:
        return []
    return [
        Finding(
            "population-years",
            "hard",
            {"years": gaps, "count": len(mun) - int(have.get(gaps[0], 0)), "year": gaps[0]},
            year=gaps[0],
        )
    ]


def _check_engine(tables: Tables, th: Thresholds, as_of: int | None) -> list[Finding]:
    """A CO2 edition can be computed with the default parameters, every figure finite (hard)."""
    if tables.gas != GAS_CO2:
        return [Finding("not-co2", "info", {"gas": tables.gas})]
    from .method.budget import compute_budgets
    from .method.params import DEFAULT_PRESET, preset

    # the year after the newest data unless told: the check does not depend on the day it runs
    last = int(tables.emissions["year"].max())
    params = preset(DEFAULT_PRESET, as_of=last + 1 if as_of is None else as_of)
    try:
        run = compute_budgets(tables=tables, params=params)
    except KoldioxidbudgetError as e:
        return [Finding("engine", "hard", {"error": str(e)})]
    bad = ~(np.isfinite(run.budget_t) & np.isfinite(run.remaining_t) & np.isfinite(run.rate))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        return [Finding("engine-nan", "hard", {"count": int(bad.sum()), "code": run.codes[i]})]
    return []


def check_edition(
    tables: Tables,
    *,
    previous: Tables | None = None,
    thresholds: Thresholds | None = None,
    as_of: int | None = None,
) -> CheckReport:
    """Run every check on ``tables`` (against ``previous``, the edition it replaces, if any)."""
    th = thresholds or Thresholds()
    findings: list[Finding] = []
    findings += _check_missing_area_years(tables, th)
    findings += _check_missing_years(tables, previous, th)
    findings += _check_last_year(tables, previous, th)
    findings += _check_series_breaks(tables, th)
    findings += _check_jumps(tables, th)
    findings += _check_unallocated(tables, th)
    findings += _check_previous(tables, previous, th)
    findings += _check_population(tables, th)
    findings += _check_population_years(tables, th)
    findings += _check_plausible(tables, th)
    if not any(f.severity == "hard" for f in findings):
        findings += _check_engine(tables, th, as_of)
    order = {"hard": 0, "soft": 1, "info": 2}
    findings.sort(key=lambda f: order[f.severity])
    return CheckReport(
        edition=tables.edition_id,
        gas=tables.gas,
        previous=previous.edition_id if previous is not None else None,
        findings=tuple(findings),
        checked_at=_dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        thresholds=th,
    )
