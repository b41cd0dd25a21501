"""The one registry of source files (sources/registry.py): complete, consistent with the build
and the fetch, cheap to import, and documented in docs/data-format.md."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from koldioxidbudget.edition import _common_inputs, _discover_releases
from koldioxidbudget.errors import EditionError
from koldioxidbudget.schema import COLUMNS
from koldioxidbudget.sources import fetch, registry

ROOT = Path(__file__).resolve().parents[2]
KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def test_registry_ids_are_unique_kebab_case_and_refer_to_each_other() -> None:
    sources = [s.id for s in registry.SOURCES]
    remotes = registry.remote_ids()
    assert len(set(sources)) == len(sources) and len(set(remotes)) == len(remotes)
    assert all(KEBAB.match(i) for i in [*sources, *remotes])
    for s in registry.SOURCES:
        assert set(s.remotes) <= set(remotes), s.id
    for r in registry.REMOTES:
        assert r.base in registry.BASES, r.id
    roles = [f.role for s in registry.table_sources() for f in s.files]
    assert len(set(roles)) == len(roles)


def test_registry_references_resolve() -> None:
    refs = [s.reader for s in registry.SOURCES]
    refs += [s.peek for s in registry.SOURCES if s.peek]
    refs += [r.fetch for r in registry.REMOTES]
    for ref in refs:
        assert callable(ref.resolve()), ref


def test_registry_gives_every_table_the_readers_fill() -> None:
    """Each source table once; the releases give emissions and subsectors, the build adds
    ghg_sectors from them."""
    tables = [s.table for s in registry.table_sources()]
    assert len(set(tables)) == len(tables)
    assert set(tables) | {"emissions", "subsectors", "ghg_sectors"} == set(COLUMNS)
    assert tables[0] == "areas"  # read first: the others check their codes against it
    for s in registry.release_sources():
        assert s.areas and (s.peek is not None or (s.gas and s.release)), s.id


def test_registry_drives_the_fetch_and_the_build(tmp_path: Path) -> None:
    assert registry.remote_ids() == fetch.REMOTES
    assert registry.build_inputs() == fetch.BUILD_INPUTS
    assert registry.BASES == fetch.DEFAULT_BASES
    for rel in registry.build_inputs():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text("x")
    assert [str(p.relative_to(tmp_path)) for p in _common_inputs(tmp_path).values()] == list(
        registry.build_inputs()
    )
    optional = registry.input_file("international_transport")
    (tmp_path / optional).parent.mkdir(parents=True)
    (tmp_path / optional).write_text("x")
    assert list(_common_inputs(tmp_path))[-1] == "international_transport"
    with pytest.raises(EditionError, match="No SMHI emissions export"):
        _discover_releases(tmp_path)


def test_registry_release_discovery_prefers_the_earlier_source(tmp_path: Path) -> None:
    """A tidy CSV gives its release when its files are there (an optional one may be absent)."""
    csv = next(s for s in registry.release_sources() if s.id == "smhi-ghg-csv")
    (tmp_path / csv.files[0].path).parent.mkdir(parents=True)
    (tmp_path / csv.files[0].path).write_text("x")
    (release,) = _discover_releases(tmp_path)
    assert (release.gas, release.release, release.source) == (csv.gas, csv.release, csv.id)
    assert release.files == (tmp_path / csv.files[0].path,)


def test_registry_imports_neither_pandas_nor_httpx() -> None:
    code = (
        "import sys, koldioxidbudget.sources.registry, koldioxidbudget.edition\n"
        "print(sorted(m for m in ('pandas', 'numpy', 'httpx', 'tenacity') if m in sys.modules))"
    )
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert res.stdout.strip() == "[]"


def test_registry_is_what_docs_data_format_lists() -> None:
    doc = (ROOT / "docs" / "data-format.md").read_text("utf-8")
    assert registry.reference() in doc, (
        "docs/data-format.md is stale: "
        "python -m koldioxidbudget.sources.registry --write docs/data-format.md"
    )
