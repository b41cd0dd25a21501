"""Fixtures for the yearly update: source folders made from the shared data (a previous SMHI
release simulated by dropping 2022 and revising 2015–2021 for Stockholm county, and an older
population), two CO2 editions built from them, and the local publisher mirror."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pandas as pd
import pytest

from koldioxidbudget.sources.fetch import BUILD_INPUTS
from tests.conftest import SOURCES

from .mirror import SMHI_RAW, Mirror
from .xlsx import smhi_variant

OLD_RELEASE = "2023-04-18"
NEW_RELEASE = "2024-04-18"
REVISED = "Stockholms län"


def need_sources() -> Path:
    if not (SOURCES / SMHI_RAW).is_file():
        pytest.skip(f"no official source files at {SOURCES} (set KOLDIOXIDBUDGET_SOURCES)")
    return SOURCES


def revise(lan: str, kom: str, year: int) -> float:
    """The simulated revision between the two releases: Stockholm county 2015–2021 was 3 % lower."""
    return 1 / 1.03 if lan == REVISED and 2015 <= year <= 2021 else 1.0


def source_folder(
    dest: Path,
    *,
    smhi: dict[str, bytes],
    population: Callable[[str, int, int], int] | None = None,
) -> Path:
    """A source folder with the shared build inputs, the given SMHI exports (file name → bytes)
    and, optionally, the population changed by ``population(kommunkod, year, n)`` (county and
    national files recomputed as sums)."""
    shared = need_sources()
    for rel in BUILD_INPUTS:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(shared / rel, dest / rel)
    raw = dest / "emissions" / "smhi_rus" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for name, data in smhi.items():
        (raw / name).write_bytes(data)
    if population is not None:
        pm = dest / "population" / "population_municipality_1950-2025.csv"
        pc = dest / "population" / "population_county_national_1950-2025.csv"
        mun = pd.read_csv(pm, dtype={"kommunkod": str})
        mun["population"] = [
            population(c, int(y), int(n))
            for c, y, n in zip(mun["kommunkod"], mun["year"], mun["population"], strict=True)
        ]
        mun.to_csv(pm, index=False)
        cty = pd.read_csv(pc, dtype={"lanskod": str})
        sums = (
            mun.assign(lanskod=mun["kommunkod"].str[:2])
            .groupby(["lanskod", "year"])["population"]
            .sum()
        )
        nat = mun.groupby("year")["population"].sum()
        cty["population"] = [
            int(nat[y]) if c == "00" else int(sums[(c, y)])
            for c, y in zip(cty["lanskod"], cty["year"], strict=True)
        ]
        cty.to_csv(pc, index=False)
    return dest


def old_population(code: str, year: int, n: int) -> int:
    """The previous population release: Uppsala (0380) counted 10 % lower from 2015."""
    return round(n * 0.9) if code == "0380" and year >= 2015 else n


@pytest.fixture(scope="session")
def old_smhi() -> bytes:
    """The simulated previous SMHI CO2 release (data through 2021, Stockholm county revised)."""
    return smhi_variant(
        need_sources() / SMHI_RAW, release=OLD_RELEASE, drop_years=[2022], scale=revise
    )


@pytest.fixture(scope="session")
def pair(tmp_path_factory: pytest.TempPathFactory, old_smhi: bytes) -> tuple[Path, str, str]:
    """Two CO2 editions in one folder: (editions root, old id, new id), the new one current."""
    from koldioxidbudget.edition import build_editions

    base = tmp_path_factory.mktemp("pair")
    old_src = source_folder(
        base / "src-old",
        smhi={f"smhi_lansrapport_co2_{OLD_RELEASE}.xlsx": old_smhi},
        population=old_population,
    )
    new_src = source_folder(
        base / "src-new",
        smhi={f"smhi_lansrapport_co2_{NEW_RELEASE}.xlsx": (need_sources() / SMHI_RAW).read_bytes()},
    )
    root = base / "editions"
    (old,) = build_editions(sources=old_src, into=root)
    (new,) = build_editions(sources=new_src, into=root)
    return root, old.id, new.id


@pytest.fixture(scope="session")
def mirror_server() -> Iterator[Mirror]:
    with Mirror(need_sources(), delay=4.0) as m:
        yield m


@pytest.fixture
def mirror(mirror_server: Mirror) -> Iterator[Mirror]:
    mirror_server.reset()
    yield mirror_server
    mirror_server.reset()
