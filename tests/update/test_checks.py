"""The data guards (edition_checks.py): each check triggered from real code, its severity, its
message in both languages, and the report stored in the edition."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from koldioxidbudget.edition import check_report, resolve_edition
from koldioxidbudget.edition_checks import (
    CheckReport,
    Finding,
    Thresholds,
    check_edition,
    read_report,
)
from koldioxidbudget.schema import GAS_CO2E, Tables
from koldioxidbudget.story.checks import finding_text
from tests.conftest import make_tables as _make_tables

YEARS = (1990, 2000, 2005, 2010, 2015, 2016, 2017, 2018, 2019, 2020, 2021, 2022)
LEVELS = {
    "0101": [100.0, 95.0, 90.0, 85.0, 80.0, 78.0, 76.0, 74.0, 72.0, 70.0, 68.0, 66.0],
    "0102": [50.0, 48.0, 46.0, 44.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0],
    "0201": [200.0, 190.0, 180.0, 170.0, 150.0, 145.0, 140.0, 135.0, 130.0, 125.0, 120.0, 115.0],
}


def make_tables() -> Tables:
    """The tiny edition with SMHI's usual years (1990, 2000, 2005, 2010, 2015–2022)."""
    return _make_tables(years=YEARS, levels=LEVELS)


def only(report: CheckReport, check: str) -> list[Finding]:
    return [f for f in report.findings if f.check == check]


def with_emissions(t: Tables, em: pd.DataFrame) -> Tables:
    return dataclasses.replace(t, emissions=em.reset_index(drop=True))


def scaled(
    t: Tables, factor: float, *, codes: set[str] | None = None, year: int | None = None
) -> Tables:
    em = t.emissions.copy()
    mask = pd.Series(True, index=em.index)
    if codes is not None:
        mask &= em["code"].isin(codes)
    if year is not None:
        mask &= em["year"] == year
    em.loc[mask, "emissions_t"] *= factor
    return with_emissions(t, em)


def test_checks_clean_tiny_edition_passes() -> None:
    r = check_edition(make_tables(), as_of=2026)
    assert r.passed
    assert [f.check for f in r.findings] == ["unallocated"]
    assert r.findings[0].severity == "info"


def test_checks_missing_area_year_is_hard() -> None:
    t = make_tables()
    em = t.emissions[~((t.emissions["code"] == "0102") & (t.emissions["year"] == 2019))]
    r = check_edition(with_emissions(t, em), as_of=2026)
    (f,) = only(r, "missing-area")
    assert f.severity == "hard" and f.code == "0102" and f.values["years"] == [2019]
    assert not r.passed
    assert finding_text(f, "sv") == "Beta (0102) saknar utsläpp för 2019."


def test_checks_missing_years_of_the_usual_series_are_soft() -> None:
    t = make_tables()
    r = check_edition(
        with_emissions(t, t.emissions[~t.emissions["year"].isin([2016, 2017])]), as_of=2026
    )
    (f,) = only(r, "missing-years")
    assert f.severity == "soft" and f.values["years"] == [2016, 2017]
    assert r.passed
    assert "2016–2017" in finding_text(f, "en")


def test_checks_series_break_and_stop() -> None:
    t = make_tables()
    em = t.emissions.copy()
    ut = (em["sector"] == "utrikes-transporter") & (em["year"] == 2022)
    # zero until 2021, then 5 t in every municipality (county and national rows their sums)
    em.loc[ut, "emissions_t"] = (
        em.loc[ut, "code"].map({"01": 10.0, "02": 5.0, "00": 15.0}).fillna(5.0)
    )
    jb = (em["sector"] == "jordbruk") & (em["year"] >= 2021)
    em.loc[jb, "emissions_t"] = 0.0  # non-zero until 2020, then zero
    r = check_edition(with_emissions(t, em), as_of=2026)
    (brk,) = only(r, "series-break")
    assert brk.values["sector"] == "utrikes-transporter" and brk.values["until"] == 2021
    assert brk.values["year"] == 2022 and brk.values["value"] == 15.0
    assert finding_text(brk, "sv").startswith("Tidsseriebrott i sektorn Utrikes transporter: noll")
    (stop,) = only(r, "series-stop")
    assert stop.values["sector"] == "jordbruk" and stop.values["year"] == 2021
    assert r.passed


def test_checks_one_year_jump_is_soft() -> None:
    t = scaled(make_tables(), 3.0, codes={"0201", "02", "00"}, year=2022)
    r = check_edition(t, thresholds=Thresholds(jump_min_t=50.0), as_of=2026)
    (f,) = only(r, "jump")
    assert f.code == "0201" and (f.values["year0"], f.values["year1"]) == (2021, 2022)
    assert f.values["pct"] == pytest.approx(115 * 3 / 120 - 1) and f.severity == "soft"
    assert "troligen en punktkälla" in finding_text(f, "sv")


def test_checks_unallocated_soft_and_negative_hard() -> None:
    t = make_tables()
    r = check_edition(scaled(t, 1.10, codes={"00"}), as_of=2026)
    assert {f.severity for f in only(r, "unallocated")} == {"soft"}
    r = check_edition(scaled(t, 0.9, codes={"00"}, year=2020), as_of=2026)
    (f,) = only(r, "unallocated-negative")
    assert f.severity == "hard" and f.year == 2020 and not r.passed


def test_checks_against_previous_edition() -> None:
    prev = make_tables()
    r = check_edition(scaled(prev, 1.05), previous=prev, as_of=2026)
    national = only(r, "previous-national")
    assert national and all(f.severity == "soft" for f in national)
    assert r.passed
    r = check_edition(scaled(prev, 1000.0), previous=prev, as_of=2026)  # kt read as t
    assert {f.severity for f in only(r, "previous-national")} == {"hard"}
    assert not r.passed
    r = check_edition(
        scaled(prev, 1.5, codes={"0102", "01", "00"}),
        previous=prev,
        thresholds=Thresholds(previous_area_min_t=1.0),
        as_of=2026,
    )
    areas = only(r, "previous-area")
    assert {f.code for f in areas} == {"0102"}
    assert "Beta (0102)" in finding_text(areas[0], "en")


def test_checks_last_year_regressed_is_hard() -> None:
    prev = make_tables()
    t = prev.emissions[prev.emissions["year"] < 2022]
    r = check_edition(with_emissions(prev, t), previous=prev, as_of=2026)
    (f,) = only(r, "last-year-regressed")
    assert f.severity == "hard" and f.values == {"year": 2021, "previous": 2022}


def test_checks_population_and_engine() -> None:
    t = make_tables()
    pop = t.population[~((t.population["code"] == "0101") & (t.population["year"] == 2025))]
    r = check_edition(dataclasses.replace(t, population=pop), as_of=2026)
    (f,) = only(r, "population-missing")
    assert f.severity == "hard" and f.values["code"] == "0101"
    r = check_edition(dataclasses.replace(t, global_budgets=t.global_budgets.iloc[0:0]), as_of=2026)
    (f,) = only(r, "engine")
    assert f.severity == "hard" and "AR6_WG1_SPM2" in finding_text(f, "en")
    r = check_edition(dataclasses.replace(t, gas=GAS_CO2E), as_of=2026)
    (f,) = only(r, "not-co2")
    assert f.severity == "info" and f.values == {"gas": "CO2e"}
    assert r.passed


def test_checks_report_round_trip_and_every_message_renders() -> None:
    prev = make_tables()
    t = scaled(prev, 1.5, codes={"0102", "01", "00"})
    r = check_edition(
        t, previous=prev, thresholds=Thresholds(previous_area_min_t=1.0, jump_min_t=1.0), as_of=2026
    )
    back = CheckReport.from_dict(json.loads(r.to_json()))
    assert back == r
    for f in back.findings:
        for lang in ("sv", "en"):
            assert "{" not in finding_text(f, lang)


def test_checks_real_editions(editions_root: Path) -> None:
    """The real releases: CO2 2024-04-18 passes; CO2e 2026 shows SMHI's series break in
    "Utrikes transporter" and the missing years 2016–2019, and is compared with CO2e 2025."""
    co2 = read_report(resolve_edition("co2-2024-04-18", into=editions_root).path)
    assert co2 is not None and co2.passed
    assert any(f.check == "jump" and f.code == "1415" for f in co2.findings)  # Stenungsund
    ghg = read_report(resolve_edition("co2e-2026", gas=None, into=editions_root).path)
    assert ghg is not None and ghg.passed and ghg.previous and ghg.previous.startswith("co2e-2025")
    (brk,) = only(ghg, "series-break")
    assert brk.values["sector"] == "utrikes-transporter" and brk.values["year"] == 2023
    (gap,) = only(ghg, "missing-years")
    assert gap.values["years"] == [2016, 2017, 2018, 2019]
    fresh = check_report("co2e-2026", into=editions_root, recheck=True)
    assert [f.check for f in fresh.findings] == [f.check for f in ghg.findings]


def test_cli_data_check(editions_root: Path) -> None:
    import os

    env = dict(os.environ, KOLDIOXIDBUDGET_EDITIONS=str(editions_root))
    res = subprocess.run(
        [sys.executable, "-m", "koldioxidbudget.cli", "data", "check", "co2e-2026", "--lang", "en"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert res.returncode == 0, res.stderr
    assert "passes every hard check" in res.stdout
    assert "[WARNING] Series break in the sector Utrikes transporter" in res.stdout
    assert "Current edition for CO2: co2-2024-04-18" in res.stdout


@pytest.mark.parametrize(
    ("table", "column", "value"),
    [
        ("global_budgets", "budget_gt", 1e300),
        ("global_budgets", "budget_gt", float("nan")),
        ("facilities", "emissions_t", 1e25),
        ("facilities", "emissions_t", -5.0),
        ("population", "population", float("inf")),
        ("emissions", "emissions_t", 1e12),
    ],
)
def test_checks_implausible_values_are_hard(table: str, column: str, value: float) -> None:
    """A source with an absurd number (a global budget of 1e300 Gt, a cement plant of 1e25 t)
    builds no edition that could become current."""
    t = make_tables()
    frame = getattr(t, table).copy()
    if frame.empty:  # the tiny edition has no facility: add one
        frame = pd.DataFrame(
            [("0101", "Cementa Alfa", "cement", 2020, 1000.0)], columns=list(frame.columns)
        )
    frame[column] = frame[column].astype(float)
    frame.loc[frame.index[0], column] = value
    r = check_edition(dataclasses.replace(t, **{table: frame}), as_of=2026)
    (f,) = only(r, "implausible")
    assert f.severity == "hard" and not r.passed
    assert f.values["table"] == table and f.values["column"] == column
    sv, en = finding_text(f, "sv"), finding_text(f, "en")
    assert sv.startswith(f"Orimligt värde i tabellen {table}, kolumnen {column}: ")
    assert en.startswith(f"Implausible value in table {table}, column {column}: ")
    assert "Rätta källfilen och bygg om." in sv


def test_checks_population_year_missing_for_every_municipality_is_hard() -> None:
    t = make_tables()
    pop = t.population[t.population["year"] != 2019]
    r = check_edition(dataclasses.replace(t, population=pop), as_of=2026)
    (f,) = only(r, "population-years")
    assert f.severity == "hard" and f.values["years"] == [2019] and not r.passed
    assert finding_text(f, "sv").startswith("Befolkningen saknas för alla kommuner år 2019.")


def test_checks_a_municipality_formed_later_is_not_a_population_gap() -> None:
    """A municipality that did not exist in the early years (Knivsta before 2003) lacks them in
    SCB's series; the edition still passes."""
    t = make_tables()
    first = int(t.population["year"].min())
    pop = t.population[~((t.population["code"] == "0101") & (t.population["year"] == first))]
    r = check_edition(dataclasses.replace(t, population=pop), as_of=2026)
    assert not only(r, "population-years")


def test_data_build_exits_1_when_an_edition_fails_its_hard_checks(tmp_path: Path) -> None:
    """A cement plant of 1e25 t in the sources: the edition is built but never current, and
    ``data build`` says so in the user's language and exits 1 (it used to print "Byggd")."""
    from tests.update.conftest import need_sources, source_folder
    from tests.update.mirror import SMHI_RAW

    shared = need_sources()
    raw = shared / SMHI_RAW
    src = source_folder(tmp_path / "src", smhi={raw.name: raw.read_bytes()})
    cement = src / "facilities" / "cement_process_co2.csv"
    lines = cement.read_text("utf-8").splitlines()
    head, first = lines[0].split(","), lines[1].split(",")
    first[head.index("t_co2_process")] = "1e25"
    cement.write_text("\n".join([lines[0], ",".join(first), *lines[2:]]) + "\n", "utf-8")
    into = tmp_path / "editions"
    res = subprocess.run(
        [
            *(sys.executable, "-m", "koldioxidbudget.cli", "data", "build"),
            *("--sources", str(src), "--into", str(into), "--lang", "en"),
        ],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 1, res.stderr
    (eid,) = [x.removeprefix("Built: ") for x in res.stdout.splitlines() if x.startswith("Built")]
    assert f"The edition {eid} fails the hard data checks and does not become current." in (
        res.stderr
    )
    report = read_report(into / eid)
    assert report is not None and not report.passed
    assert [f.values["table"] for f in only(report, "implausible")] == ["facilities"]
