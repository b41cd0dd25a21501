"""The site on the real edition: the tiles and data of real areas equal the engine's figures."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.schema import Tables
from koldioxidbudget.service.inputs import parameters_from
from koldioxidbudget.service.scenario import assemble
from koldioxidbudget.story import fmt
from koldioxidbudget.web.site import build_site, tonnes_words
from tests.conftest import SOURCES

CODES = ["0380", "0980", "1480", "03", "00"]


@pytest.fixture(scope="module")
def real_site(tmp_path_factory: pytest.TempPathFactory, real: Tables) -> Path:
    out = tmp_path_factory.mktemp("real") / "site"
    build_site(out, assemble(tables=real), codes=CODES, geo_dir=SOURCES / "geo")
    return out


@pytest.mark.parametrize("code", CODES)
def test_site_real_key_figures_are_the_engines(real_site: Path, real: Tables, code: str) -> None:
    r = compute_budgets(tables=real, params=parameters_from(None)).area(code)
    for lang in ("sv", "en"):
        html = (real_site / lang / code / "index.html").read_text("utf-8")
        for value in (
            tonnes_words(r.budget_t, lang)[0],
            tonnes_words(r.remaining_t, lang)[0],
            fmt.percent(r.rate, lang),
        ):
            assert f'<span class="tile-value">{value}</span>' in html, (lang, value)
    html = (real_site / "sv" / code / "index.html").read_text("utf-8")
    data_url = re.search(r'data-data="\.\./\.\./([^"]+)"', html).group(1)  # type: ignore[union-attr]
    data = json.loads((real_site / data_url).read_text("utf-8"))
    assert data["cells"][data["default_cell"]]["rate"] == r.rate
    assert data["e0_t"] == r.e0_t


def test_site_real_start_page_has_the_map(real_site: Path) -> None:
    html = (real_site / "sv" / "index.html").read_text("utf-8")
    assert "<svg" in html and html.count("<path") >= 290
