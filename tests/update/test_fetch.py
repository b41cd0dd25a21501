"""``data fetch`` against a local stand-in for the publishers (tests/update/mirror.py): the
happy path into a folder ``data build`` reads, files that never get lost, and every failure:
timeouts, 5xx, truncated bodies, an HTML page where Excel was expected, oversize answers, a
killed download."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from koldioxidbudget.edition import _common_inputs, build_editions, list_editions, load_edition
from koldioxidbudget.errors import EditionError
from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.service.inputs import parameters_from
from koldioxidbudget.sources.fetch import (
    BUILD_INPUTS,
    DEFAULT_BASES,
    FetchSettings,
    fetch_sources,
    pxweb_regions,
)

from .conftest import need_sources
from .mirror import GCB_2019, PXWEB, SMHI_CO2, SMHI_GGT, SMHI_RAW, Mirror, pxweb_metadata

CO2_FILE = "emissions/smhi_rus/raw/smhi_lansrapport_co2_2024-04-18.xlsx"
POP_FILE = "population/population_municipality_1950-2025.csv"


def settings(mirror: Mirror, **changes: object) -> FetchSettings:
    base = FetchSettings.from_env(mirror=mirror.url)
    fast: dict[str, object] = {
        "retries": 2,
        "backoff_s": 0.0,
        "read_timeout_s": 1.5,
        "connect_timeout_s": 2.0,
        "gcb_year": 2019,
    }
    return dataclasses.replace(base, **(fast | changes))  # type: ignore[arg-type]


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def snapshot(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): sha(p)
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != "fetch-manifest.json"
    }


@pytest.fixture(scope="module")
def fetched(tmp_path_factory: pytest.TempPathFactory, mirror_server: Mirror) -> Path:
    """A source folder fetched from the mirror (every remote), seeded with what no publisher
    serves."""
    mirror_server.reset()
    into = tmp_path_factory.mktemp("fetched") / "sources"
    res = fetch_sources(into, settings=settings(mirror_server), seed_from=need_sources())
    assert res.ok, res.errors
    return into


def test_fetch_everything_then_build(fetched: Path, pair: tuple[Path, str, str]) -> None:
    manifest = json.loads((fetched / "fetch-manifest.json").read_text("utf-8"))
    (run,) = manifest["runs"]
    stored = {f["path"]: f for f in run["files"]}
    assert set(stored) == {
        CO2_FILE,
        "emissions/smhi_rus/raw/smhi_lansrapport_ggt_2024-04-18.xlsx",
        "regions/raw/scb_pxweb_befolkningny_metadata.json",
        "regions/municipalities.csv",
        "regions/counties.csv",
        "population/raw/scb_pxweb_befolkningny.json",
        POP_FILE,
        "population/population_county_national_1950-2025.csv",
        "global/raw/National_Fossil_Carbon_Emissions_2019v1.0.xlsx",
    }
    for rel, f in stored.items():
        assert f["status"] == "new" and f["sha256"] == sha(fetched / rel)
        assert f["bytes"] == (fetched / rel).stat().st_size and f["url"].startswith(
            "http://127.0.0.1"
        )
    assert (fetched / CO2_FILE).read_bytes() == (need_sources() / SMHI_RAW).read_bytes()
    assert sorted(run["seeded"]) == sorted(set(BUILD_INPUTS) - set(stored))
    assert not [p for p in fetched.rglob("*.part")]

    editions = fetched.parent / "editions"
    built = build_editions(sources=fetched, into=editions)
    assert sorted((e.gas, e.release) for e in built) == [
        ("CO2", "2024-04-18"),
        ("CO2e", "2024-04-18"),
    ]
    # the fetched folder gives the same budgets as the shared data (same SMHI file, same population)
    p = dataclasses.replace(parameters_from(), as_of=2026)
    mine = compute_budgets(tables=load_edition(None, into=editions), params=p)
    root, _old, new = pair
    ref = compute_budgets(tables=load_edition(new, into=root), params=p)
    assert mine.codes == ref.codes
    assert np.array_equal(mine.budget_t, ref.budget_t)
    assert np.allclose(mine.remaining_t, ref.remaining_t, rtol=1e-12)
    assert np.array_equal(mine.population, ref.population)


def test_fetch_again_is_unchanged_and_a_revision_keeps_both(
    fetched: Path, mirror: Mirror, tmp_path: Path
) -> None:
    import shutil

    into = tmp_path / "sources"
    shutil.copytree(fetched, into)
    res = fetch_sources(
        into, settings=settings(mirror), only=["smhi-co2", "scb-regions", "scb-population"]
    )
    assert res.ok and {f.status for f in res.files} == {"unchanged"}
    before = snapshot(into)
    # SCB revises 2024: one more inhabitant everywhere
    mirror.population_change = lambda code, year, n: n + 1 if year == 2024 else n
    res = fetch_sources(into, settings=settings(mirror), only=["scb-regions", "scb-population"])
    assert res.ok, res.errors
    status = {f.path: f for f in res.files}
    assert status["regions/municipalities.csv"].status == "unchanged"
    pop = status[POP_FILE]
    assert pop.status == "replaced" and pop.archived_as is not None
    archived = into / pop.archived_as
    assert (
        archived.name.startswith("population_municipality_1950-2025.") and archived.suffix == ".csv"
    )
    assert sha(archived) == before[POP_FILE]  # the previous file, kept whole
    new = pd.read_csv(into / POP_FILE, dtype={"kommunkod": str})
    old = pd.read_csv(archived, dtype={"kommunkod": str})
    diff = new["population"] - old["population"]
    assert set(diff[new["year"] == 2024]) == {1} and set(diff[new["year"] != 2024]) == {0}
    # every file that was there is still there, byte for byte (under its own or a dated name)
    after = snapshot(into)
    assert set(before.values()) <= set(after.values())


@pytest.mark.parametrize(
    ("behaviours", "requests"),
    [(["500", "500"], 3), (["timeout"], 2), (["truncate"], 2), (["html"], 2)],
)
def test_fetch_recovers_from_transient_failures(
    mirror: Mirror, tmp_path: Path, behaviours: list[str], requests: int
) -> None:
    mirror.fail(SMHI_CO2, *behaviours)
    res = fetch_sources(tmp_path, settings=settings(mirror), only=["smhi-co2"])
    assert res.ok, res.errors
    assert mirror.count(SMHI_CO2) == requests
    assert (tmp_path / CO2_FILE).read_bytes() == (need_sources() / SMHI_RAW).read_bytes()


@pytest.mark.parametrize(
    ("key", "behaviour", "remote", "words", "requests"),
    [
        (SMHI_CO2, "500", "smhi-co2", "HTTP 500", 3),
        (SMHI_CO2, "truncate-close", "smhi-co2", "not what the publisher serves", 3),
        (SMHI_GGT, "html", "smhi-ghg", "got an HTML page", 3),
        (SMHI_CO2, "huge", "smhi-co2", "above the limit", 1),
        (GCB_2019, "404", "gcb-national", "HTTP 404", 1),
        (f"POST {PXWEB}", "500", "scb-population", "HTTP 500", 3),
    ],
)
def test_fetch_persistent_failure_keeps_the_files(
    fetched: Path,
    mirror: Mirror,
    tmp_path: Path,
    key: str,
    behaviour: str,
    remote: str,
    words: str,
    requests: int,
) -> None:
    import shutil

    into = tmp_path / "sources"
    shutil.copytree(fetched, into)
    before = snapshot(into)
    mirror.fail(key, *[behaviour] * 3)
    res = fetch_sources(into, settings=settings(mirror, max_bytes=50 << 20), only=[remote])
    assert not res.ok and list(res.errors) == [remote]
    assert words in res.errors[remote]
    assert (
        mirror.count(key.removeprefix("POST "), "POST" if key.startswith("POST") else "GET")
        == requests
    )
    assert snapshot(into) == before  # nothing replaced, nothing half-written
    assert not [p for p in into.rglob("*.part")]


def test_fetch_gcb_tries_the_newest_release_first(mirror: Mirror, tmp_path: Path) -> None:
    this = time.gmtime().tm_year
    path = f"/globalcarbonbudgetdata.org/downloads/latest-data/National_Fossil_Carbon_Emissions_{this - 1}v1.0.xlsx"
    mirror.routes[path] = mirror.routes[GCB_2019]
    try:
        res = fetch_sources(
            tmp_path, settings=settings(mirror, gcb_year=None), only=["gcb-national"]
        )
    finally:
        del mirror.routes[path]
    assert res.ok, res.errors
    (f,) = res.files
    assert f.path == f"global/raw/National_Fossil_Carbon_Emissions_{this - 1}v1.0.xlsx"
    first = next(k for _, k in mirror.log)
    assert first.endswith(f"_{this}v1.0.xlsx")  # 404 first, then the year before


def test_fetch_killed_mid_download_leaves_nothing_half_written(
    fetched: Path, mirror: Mirror, tmp_path: Path
) -> None:
    import shutil

    into = tmp_path / "sources"
    shutil.copytree(fetched, into)
    (into / CO2_FILE).unlink()  # the previous release only: the download would be a new file
    before = snapshot(into)
    mirror.fail(SMHI_CO2, "slow")
    code = textwrap.dedent(
        f"""
        import dataclasses
        from koldioxidbudget.sources.fetch import FetchSettings, fetch_sources
        s = FetchSettings.from_env(mirror={mirror.url!r})
        s = dataclasses.replace(s, read_timeout_s=60.0, retries=0)
        fetch_sources({str(into)!r}, settings=s, only=["smhi-co2"])
        """
    )
    proc = subprocess.Popen([sys.executable, "-c", code])
    t0 = time.monotonic()
    while not any(p.stat().st_size > 0 for p in into.rglob("*.part")):
        assert proc.poll() is None and time.monotonic() - t0 < 60
        time.sleep(0.02)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    (part,) = into.rglob("*.part")
    assert part.name.startswith(".") and part.parent == (into / CO2_FILE).parent
    assert not (into / CO2_FILE).exists()
    # nothing else moved; the build does not see the partial file
    after = snapshot(into)
    del after[str(part.relative_to(into))]
    assert after == before
    # the next fetch removes the dead process's partial file and completes
    res = fetch_sources(into, settings=settings(mirror), only=["smhi-co2"])
    assert res.ok and not list(into.rglob("*.part"))
    assert (into / CO2_FILE).read_bytes() == (need_sources() / SMHI_RAW).read_bytes()


def test_fetch_settings_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("MIRROR", "BASE_SMHI", "BASE_SCB", "BASE_GCB"):
        monkeypatch.delenv(f"KOLDIOXIDBUDGET_FETCH_{var}", raising=False)
    assert FetchSettings.from_env().bases == DEFAULT_BASES
    monkeypatch.setenv("KOLDIOXIDBUDGET_FETCH_MIRROR", "http://127.0.0.1:9/m/")
    s = FetchSettings.from_env()
    assert s.bases["smhi"] == "http://127.0.0.1:9/m/nationellaemissionsdatabasen.smhi.se"
    assert s.bases["scb"] == "http://127.0.0.1:9/m/api.scb.se"
    monkeypatch.delenv("KOLDIOXIDBUDGET_FETCH_MIRROR")
    monkeypatch.setenv("KOLDIOXIDBUDGET_FETCH_BASE_SCB", "http://127.0.0.1:9/scb/")
    s = FetchSettings.from_env(retries=7)
    assert s.bases["scb"] == "http://127.0.0.1:9/scb" and s.bases["smhi"] == DEFAULT_BASES["smhi"]
    assert s.retries == 7


def test_fetch_build_inputs_match_the_build(tmp_path: Path) -> None:
    for rel in BUILD_INPUTS:
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert len(_common_inputs(tmp_path)) == len(BUILD_INPUTS)
    (tmp_path / BUILD_INPUTS[-1]).unlink()
    with pytest.raises(EditionError, match="lacks"):
        _common_inputs(tmp_path)


def test_fetch_pxweb_regions_reproduce_scb_files() -> None:
    shared = need_sources()
    mun, cty = pxweb_regions(pxweb_metadata(shared))
    with (shared / "regions" / "municipalities.csv").open(encoding="utf-8") as f:
        ref_m = list(csv.DictReader(f))
    with (shared / "regions" / "counties.csv").open(encoding="utf-8") as f:
        ref_c = list(csv.DictReader(f))
    assert mun.astype(str).to_dict("records")[:3] == ref_m[:3]
    got = {r["kommunkod"]: r for r in mun.astype(str).to_dict("records")}
    differ = [r["kommun"] for r in ref_m if got[r["kommunkod"]] != r]
    # the shared file's long names "Kalixs kommun", "Faluns kommun", "Kalmars kommun" … are
    # wrong; the fetch writes the official ones (scb.OFFICIAL_NAMES), and only those differ
    from koldioxidbudget.sources.scb import OFFICIAL_NAMES

    assert sorted(differ) == sorted(OFFICIAL_NAMES)
    assert got["2514"]["kommun_officiellt"] == "Kalix kommun"
    assert got["2080"]["kommun_officiellt"] == "Falu kommun"
    assert got["0980"]["kommun_officiellt"] == "Region Gotland"
    assert cty.astype(str).to_dict("records") == ref_c


def test_cli_data_fetch(mirror: Mirror, tmp_path: Path) -> None:
    env = dict(os.environ)
    env.pop("KOLDIOXIDBUDGET_SOURCES", None)
    args = [sys.executable, "-m", "koldioxidbudget.cli", "data", "fetch", "--into", str(tmp_path)]
    args += ["--from-mirror", mirror.url, "--only", "smhi-co2", "--retries", "0", "--lang", "en"]
    res = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert f"New: {CO2_FILE}" in res.stdout
    assert "which no publisher serves" in res.stderr  # budgets, cement, … still to be copied
    mirror.fail(SMHI_CO2, "html")
    res = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 1
    assert "Failed: smhi-co2" in res.stderr and "HTML page" in res.stderr
    assert list_editions(tmp_path / "none") == []
