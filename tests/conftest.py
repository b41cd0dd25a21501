"""Shared fixtures: tiny editions built in code, and the real edition built from the sources."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from koldioxidbudget.schema import GAS_CO2, SECTORS, Tables

SOURCES = Path(
    os.environ.get("KOLDIOXIDBUDGET_SOURCES")
    or Path(__file__).resolve().parents[2] / "shared" / "data"
)


def run_cli(*args: str, editions: Path | None = None) -> subprocess.CompletedProcess[str]:
    """``koldioxidbudget ARGS`` in a new process, as a user runs it (on ``editions`` when given)."""
    env = dict(os.environ)
    if editions is not None:
        env["KOLDIOXIDBUDGET_EDITIONS"] = str(editions)
    return subprocess.run(
        [sys.executable, "-m", "koldioxidbudget.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


def make_tables(
    *,
    gas: str = GAS_CO2,
    levels: dict[str, list[float]] | None = None,
    years: tuple[int, ...] = (1990, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022),
    population: dict[str, int] | None = None,
    cement: dict[str, float] | None = None,
    ghg: dict[str, dict[int, float]] | None = None,
    international: tuple[float, float] = (100.0, 200.0),
) -> Tables:
    """A minimal edition: three municipalities in two counties.

    ``levels[code]`` gives the municipality's total per year; it is split over sectors
    60 % transporter, 30 % industri, 10 % jordbruk. ``ghg[code]`` (year → total) is one
    greenhouse-gas release "2099" for the municipalities it names, split the same way;
    ``international`` Sweden's aviation and shipping CO2 (t/yr, every year 1990–2022).
    """
    levels = levels or {
        "0101": [100.0, 80.0, 78.0, 76.0, 74.0, 72.0, 70.0, 68.0, 66.0],
        "0102": [50.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0],
        "0201": [200.0, 150.0, 145.0, 140.0, 135.0, 130.0, 125.0, 120.0, 115.0],
    }
    population = population or {"0101": 1000, "0102": 3000, "0201": 1000}
    areas = pd.DataFrame(
        [
            ("0101", "Alfa", "kommun", "01", "Alfa kommun"),
            ("0102", "Beta", "kommun", "01", "Beta kommun"),
            ("0201", "Gamma", "kommun", "02", "Gamma kommun"),
            ("01", "Ettans län", "lan", "01", "Ettans län"),
            ("02", "Tvåans län", "lan", "02", "Tvåans län"),
            ("00", "Sverige", "riket", "00", "Sverige"),
        ],
        columns=["code", "name", "level", "lan_code", "official_name"],
    )
    split = {"transporter": 0.6, "industri": 0.3, "jordbruk": 0.1}
    rows = []
    for code, vals in levels.items():
        for y, v in zip(years, vals, strict=True):
            for s in SECTORS:
                rows.append((code, y, s, v * split.get(s, 0.0)))
    em = pd.DataFrame(rows, columns=["code", "year", "sector", "emissions_t"])
    lan = {"0101": "01", "0102": "01", "0201": "02"}
    agg = (
        em.assign(code=em["code"].map(lan))
        .groupby(["code", "year", "sector"], as_index=False)["emissions_t"]
        .sum()
    )
    nat = (
        em.assign(code="00")
        .groupby(["code", "year", "sector"], as_index=False)["emissions_t"]
        .sum()
    )
    emissions = pd.concat([em, agg, nat], ignore_index=True)
    pop_rows = []
    for y in range(2015, 2026):
        for c, p in population.items():
            pop_rows.append((c, y, p))
        for lc in ("01", "02"):
            pop_rows.append((lc, y, sum(p for c, p in population.items() if lan[c] == lc)))
        pop_rows.append(("00", y, sum(population.values())))
    gb = pd.DataFrame(
        [
            ("AR6_WG1_SPM2", 2020, t, p, v, "test")
            for t, vals in (
                (1.5, (900, 650, 500, 400, 300)),
                (1.7, (1450, 1050, 850, 700, 550)),
                (2.0, (2300, 1700, 1350, 1150, 900)),
            )
            for p, v in zip((17, 33, 50, 67, 83), vals, strict=True)
        ],
        columns=[
            "source_id",
            "budget_from",
            "temperature_c",
            "probability_pct",
            "budget_gt",
            "verification",
        ],
    )
    ge = pd.DataFrame(
        [(y, 35_000.0, 5_000.0, 40.0) for y in range(2015, 2024)],
        columns=["year", "world_fossil_mt", "world_luc_mt", "sweden_fossil_mt"],
    )
    blocs = pd.DataFrame(
        [
            (y, e, v)
            for y in range(2010, 2019)
            for e, v in (("Sweden", 40.0), ("KP Annex B", 13_000.0), ("Non KP Annex B", 22_000.0))
        ],
        columns=["year", "entity", "emissions_mt"],
    )
    fac = pd.DataFrame(
        [(c, "Cement", "cement", y, v) for c, v in (cement or {}).items() for y in (2015, 2022)],
        columns=["code", "facility", "kind", "year", "emissions_t"],
    )
    ghg_rows = [
        ("2099", code, y, sec, v * split.get(sec, 0.0))
        for code, by_year in (ghg or {}).items()
        for y, v in by_year.items()
        for sec in SECTORS
    ]
    return Tables(
        edition_id="test-edition",
        gas=gas,
        release="test",
        areas=areas,
        emissions=emissions,
        population=pd.DataFrame(pop_rows, columns=["code", "year", "population"]),
        global_budgets=gb,
        global_emissions=ge,
        blocs=blocs,
        facilities=fac,
        ghg_sectors=pd.DataFrame(
            ghg_rows, columns=["release", "code", "year", "sector", "emissions_t"]
        ),
        international_transport=pd.DataFrame(
            [(y, *international) for y in range(1990, 2023)],
            columns=["year", "aviation_t", "shipping_t"],
        ),
    )


@pytest.fixture
def tiny() -> Tables:
    return make_tables()


@pytest.fixture(scope="session")
def editions_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Editions built once per test session from the real source files."""
    if not (SOURCES / "regions" / "municipalities.csv").is_file():
        pytest.skip(f"no official source files at {SOURCES} (set KOLDIOXIDBUDGET_SOURCES)")
    from koldioxidbudget.edition import build_editions

    root = tmp_path_factory.mktemp("editions")
    build_editions(sources=SOURCES, into=root)
    return root


@pytest.fixture(scope="session")
def real(editions_root: Path) -> Tables:
    """The newest real CO2 edition."""
    from koldioxidbudget.edition import load_edition

    return load_edition(None, into=editions_root)


def write_tiny_edition(
    root: Path, tables: Tables | None = None, *, edition_id: str = "co2-test-00000000"
) -> Path:
    """Write a tiny edition to ``root`` as ``data build`` would (for CLI and API tests)."""
    from koldioxidbudget.edition import write_edition

    t = tables or make_tables()
    frames = {
        "areas": t.areas,
        "emissions": t.emissions,
        "subsectors": t.subsectors,
        "population": t.population,
        "global_budgets": t.global_budgets,
        "global_emissions": t.global_emissions,
        "blocs": t.blocs,
        "facilities": t.facilities,
        "ghg_sectors": t.ghg_sectors,
        "international_transport": t.international_transport,
    }
    years = t.data_years
    manifest = {
        "id": edition_id,
        "gas": t.gas,
        "release": "test",
        "publisher": "test",
        "data_years": years,
        "last_data_year": years[-1],
        "format_version": "2",
        "method_version": "test",
        "built_at": "2026-01-01T00:00:00+00:00",
        "unallocated_t": {},
        "inputs": [],
    }
    root.mkdir(parents=True, exist_ok=True)
    return write_edition(frames, manifest, into=root)


@pytest.fixture
def tiny_editions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with one tiny CO2 edition, set as KOLDIOXIDBUDGET_EDITIONS."""
    root = tmp_path / "editions"
    write_tiny_edition(root)
    monkeypatch.setenv("KOLDIOXIDBUDGET_EDITIONS", str(root))
    return root


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Under pytest-xdist (``make test``), keep the browser tests in one process: they share a
    site built once per process (about a minute), which two processes would build twice."""
    browser = Path(__file__).parent / "browser"
    for item in items:
        if browser in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.xdist_group("browser"))


def pytest_terminal_summary(terminalreporter: Any) -> None:
    """Print what tests recorded as ``record_property("summary", text)`` (the layout check's
    page counts and fills), from every worker, after the results."""
    lines = [
        f"{report.nodeid}: {value}"
        for outcome in ("passed", "failed")
        for report in terminalreporter.stats.get(outcome, [])
        for name, value in getattr(report, "user_properties", [])
        if name == "summary"
    ]
    if lines:
        terminalreporter.section("summaries")
        for line in lines:
            terminalreporter.write_line(line)
