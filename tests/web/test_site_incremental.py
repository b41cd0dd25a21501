"""Incremental site builds: one area (``site build --area``) and only the areas whose figures
changed (``--incremental``), each file written to a temporary name and renamed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from koldioxidbudget.errors import ParameterError
from koldioxidbudget.service.scenario import assemble
from koldioxidbudget.web.site import SITE_RECORD, build_site
from tests.conftest import make_tables

from .conftest import LEVELS


def _mtimes(root: Path) -> dict[str, int]:
    return {str(p.relative_to(root)): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def test_site_build_one_area_rewrites_only_its_pages(tmp_path: Path) -> None:
    tables = make_tables(levels=LEVELS)
    out = tmp_path / "site"
    with pytest.raises(ParameterError, match="build the whole site first"):
        build_site(out, assemble(tables=tables), geo_dir=None, only=["0101"])
    build_site(out, assemble(tables=tables), geo_dir=None)
    before = _mtimes(out)
    r = build_site(out, assemble(tables=tables), geo_dir=None, only=["alfa"])
    assert r.areas == 1 and r.pages == 6
    after = _mtimes(out)
    changed = {k for k in after if before.get(k) != after[k]}
    assert changed, "nothing rewritten"
    for k in changed:
        assert k.startswith(("sv/0101/", "en/0101/", "data/0101.")) or k in (
            "data/index.json",
            SITE_RECORD,
        ), k
    assert not any(k.startswith(("sv/0102/", "en/0201/", "sv/index.html")) for k in changed)
    index = json.loads((out / "data" / "index.json").read_text("utf-8"))
    assert (out / index["areas"]["0101"]).is_file()
    assert not list(out.rglob(".*.tmp"))


def test_site_incremental_build_leaves_unmoved_areas(tmp_path: Path) -> None:
    tables = make_tables(levels=LEVELS)
    out = tmp_path / "site"
    build_site(out, assemble(tables=tables), geo_dir=None)
    before = _mtimes(out)
    r = build_site(out, assemble(tables=tables), geo_dir=None, incremental=True)
    assert r.areas == 0
    after = _mtimes(out)
    assert after["sv/0101/index.html"] == before["sv/0101/index.html"]
    assert after["sv/index.html"] != before["sv/index.html"]  # the start page is always rewritten
    moved = dict(LEVELS, **{"0201": [v * 0.5 for v in LEVELS["0201"]]})
    r = build_site(out, assemble(tables=make_tables(levels=moved)), geo_dir=None, incremental=True)
    assert r.areas >= 3  # Gamma, its county and Sweden moved
    assert _mtimes(out)["sv/0201/index.html"] != after["sv/0201/index.html"]
    index = json.loads((out / "data" / "index.json").read_text("utf-8"))
    data = sorted(p.name for p in (out / "data").glob("0201.*.json"))
    assert len(data) == 1 and index["areas"]["0201"].endswith(data[0])
