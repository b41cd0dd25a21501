"""Editions: reproducible ids and bytes, round trip, atomic writes, resolution."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from koldioxidbudget.edition import build_editions, list_editions, load_edition, resolve_edition
from koldioxidbudget.errors import EditionError
from koldioxidbudget.schema import COLUMNS
from tests.conftest import SOURCES, make_tables, write_tiny_edition


def test_edition_same_inputs_same_id_and_bytes(editions_root: Path, tmp_path: Path) -> None:
    again = build_editions(sources=SOURCES, into=tmp_path / "again")
    first = {e.id: e for e in list_editions(editions_root)}
    assert {e.id for e in again} == set(first)
    for e in again:
        for name in COLUMNS:
            assert (e.path / f"{name}.csv").read_bytes() == (
                first[e.id].path / f"{name}.csv"
            ).read_bytes()


def test_edition_manifest_lists_every_input_with_hash(editions_root: Path) -> None:
    info = resolve_edition("co2-2024-04-18", into=editions_root)
    m = info.manifest
    assert m["gas"] == "CO2" and m["release"] == "2024-04-18" and m["last_data_year"] == 2022
    roles = {i["role"] for i in m["inputs"]}
    assert {
        "emissions",
        "municipalities",
        "population_municipality",
        "global_budgets",
        "cement",
    } <= roles
    for i in m["inputs"]:
        assert len(i["sha256"]) == 64 and i["bytes"] > 0 and i["publisher"]
    for name, t in m["tables"].items():
        assert (info.path / t["file"]).is_file(), name
    assert m["unallocated_t"]["2022"] == pytest.approx(36_028_463.0 - 35_780_000, abs=0.01e6)


def test_edition_round_trip_tiny(tmp_path: Path) -> None:
    t = make_tables()
    write_tiny_edition(tmp_path)
    back = load_edition(None, into=tmp_path)
    for name in ("areas", "emissions", "population", "global_budgets", "facilities"):
        cols = list(COLUMNS[name])
        a = getattr(t, name)[cols].sort_values(cols).reset_index(drop=True)
        b = getattr(back, name).sort_values(cols).reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b, check_dtype=False)
    assert back.areas["code"].tolist()[0] == "00"  # codes stay strings


def test_edition_memo_keeps_only_the_newest_few(tmp_path: Path) -> None:
    """A server that lives through many releases does not keep every edition it ever loaded."""
    from koldioxidbudget import edition

    ids = [f"co2-test-{i:08d}" for i in range(edition._LOADED_MAX + 2)]
    t = make_tables()
    for eid in ids:
        write_tiny_edition(tmp_path, t, edition_id=eid)
    loaded = [load_edition(eid, into=tmp_path) for eid in ids]
    kept = {str(p) for p, _ in edition._LOADED}
    assert len(edition._LOADED) <= edition._LOADED_MAX
    assert str(tmp_path / ids[-1]) in kept and str(tmp_path / ids[0]) not in kept
    assert load_edition(ids[-1], into=tmp_path) is loaded[-1]  # still memoised
    assert load_edition(ids[0], into=tmp_path).edition_id == ids[0]  # read again


def test_edition_default_is_newest_with_the_gas(editions_root: Path) -> None:
    assert resolve_edition(None, into=editions_root).gas == "CO2"
    assert resolve_edition(None, gas="CO2e", into=editions_root).release == "2026"
    with pytest.raises(EditionError, match="No edition 'co2-1999'"):
        resolve_edition("co2-1999", into=editions_root)


def test_edition_half_written_is_never_listed(tmp_path: Path) -> None:
    write_tiny_edition(tmp_path)
    half = tmp_path / ".tmp-co2-test-11111111-999999"
    half.mkdir()
    (half / "areas.csv").write_text("code\n")
    broken = tmp_path / "co2-broken-22222222"  # no manifest: an edition is its manifest
    broken.mkdir()
    assert [e.id for e in list_editions(tmp_path)] == ["co2-test-00000000"]


def test_edition_missing_table_says_rebuild(tmp_path: Path) -> None:
    path = write_tiny_edition(tmp_path)
    (path / "population.csv").unlink()
    with pytest.raises(EditionError, match="lacks population.csv.*data build"):
        load_edition(None, into=tmp_path)


def test_edition_build_without_sources_says_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("KOLDIOXIDBUDGET_SOURCES", raising=False)
    with pytest.raises(EditionError, match="set KOLDIOXIDBUDGET_SOURCES"):
        build_editions(into=tmp_path)
    (tmp_path / "src" / "regions").mkdir(parents=True)
    with pytest.raises(EditionError, match="lacks municipalities"):
        build_editions(sources=tmp_path / "src", into=tmp_path / "e")


def test_edition_manifest_is_json(editions_root: Path) -> None:
    for e in list_editions(editions_root):
        json.loads((e.path / "manifest.json").read_text("utf-8"))
