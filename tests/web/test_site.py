"""The site build without a browser: pages, assets and data, no inline script, every number
from the engine, the cells offered, the offline export self-contained."""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest

from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.method.cells import cells_for
from koldioxidbudget.service.inputs import parameters_from
from koldioxidbudget.service.scenario import assemble
from koldioxidbudget.story import fmt
from koldioxidbudget.web import assets
from koldioxidbudget.web.site import build_site, export_area, rate_bin, tonnes_words, years_bin
from koldioxidbudget.web.specs import templatise
from tests.conftest import make_tables

LEVELS = {
    "0101": [v * 1e5 for v in (100.0, 80.0, 78.0, 76.0, 74.0, 72.0, 70.0, 68.0, 66.0)],
    "0102": [v * 1e5 for v in (50.0, 40.0, 41.0, 40.0, 39.0, 40.0, 39.0, 38.0, 38.0)],
    "0201": [v * 1e5 for v in (200.0, 150.0, 145.0, 140.0, 135.0, 130.0, 125.0, 120.0, 115.0)],
}


@pytest.fixture(scope="module")
def tables():  # type: ignore[no-untyped-def]
    return make_tables(levels=LEVELS)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, tables) -> Path:  # type: ignore[no-untyped-def]
    out = tmp_path_factory.mktemp("s") / "site"
    build_site(out, assemble(tables=tables), geo_dir=None)
    return out


def test_site_build_writes_every_page(site: Path) -> None:
    for lang in ("sv", "en"):
        assert (site / lang / "index.html").is_file()
        for code in ("0101", "0102", "0201", "01", "02", "00"):
            for sub in ("", "presentation/", "embed/"):
                assert (site / lang / code / sub / "index.html").is_file()
        for slug in ("om-data", "tillganglighet", "inbaddning"):
            assert (site / lang / slug / "index.html").is_file()
    assert (site / "assets" / "embed.js").is_file()
    assert list((site / "assets").glob("vega.*.js"))
    index = json.loads((site / "data" / "index.json").read_text("utf-8"))
    assert set(index["areas"]) == {"0101", "0102", "0201", "01", "02", "00"}


def test_site_font_is_source_sans_3_subset_to_woff2(site: Path) -> None:
    import io

    from fontTools.ttLib import TTFont

    faces = assets.find_fonts()
    assert [(f.weight, f.style, f.format) for f in faces] == [
        (400, "normal", "woff2"),
        (600, "normal", "woff2"),
        (400, "italic", "woff2"),
    ]
    for f in faces:
        font = TTFont(io.BytesIO(f.data))
        assert font["name"].getBestFamilyName() == "Source Sans 3"
        assert font["OS/2"].usWeightClass == f.weight and "fvar" not in font  # a static face
        assert {ord(c) for c in "åäöÅÄÖ₂–€"} <= set(font.getBestCmap())
        assert len(f.data) < 16_000  # a subset, not the whole font
    css = next((site / "assets").glob("site.*.css")).read_text("utf-8")
    assert css.count('@font-face{font-family:"Source Sans 3";') == 3
    assert 'font-family: "Source Sans 3", system-ui' in css
    urls = re.findall(r'url\("([^"]+)"\) format\("woff2"\)', css)
    assert len(urls) == 3 and all((site / "assets" / u).is_file() for u in urls), urls


def test_site_font_subset_is_the_same_wherever_it_is_made(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A subset keeps the face's own date: one made an hour later is the same file (it had the
    time of making, so every machine's first build named the fonts differently)."""
    import time

    from koldioxidbudget import fonts

    face = fonts.font_files()["regular"]
    now = assets._subset_bytes(face)
    later = time.time() + 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert assets._subset_bytes(face) == now


def test_site_builds_its_assets_while_it_prepares_the_pages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a machine's first build the bundle and the font subsets are made in processes of
    their own and kept on disk, where the build then reads them; kept, nothing is started."""
    monkeypatch.setenv("KOLDIOXIDBUDGET_CACHE", str(tmp_path))
    assets.find_fonts.cache_clear()
    assets.vega_bundle.cache_clear()
    try:
        assets.prefetch()()
        kept = sorted(p.name.split(".")[0] for p in tmp_path.iterdir())
        assert kept == ["font", "font", "font", "vega-bundle"]
        assert assets.vega_bundle().startswith(
            next(tmp_path.glob("vega-bundle.*")).read_text()[:100]
        )
        before = {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()}
        assets.prefetch()()
        assert {p: p.stat().st_mtime_ns for p in tmp_path.iterdir()} == before
    finally:
        assets.find_fonts.cache_clear()
        assets.vega_bundle.cache_clear()


def test_site_pages_have_no_inline_script_or_handler(site: Path) -> None:
    for page in site.rglob("*.html"):
        html = page.read_text("utf-8")
        for m in re.finditer(r"<script\b([^>]*)>", html):
            attrs = m.group(1)
            assert "src=" in attrs or 'type="application/json"' in attrs, (page, attrs)
        assert not re.search(r"\son[a-z]+=", html), page
        assert "style=" not in html, page


def test_site_static_key_figures_are_the_engines(site: Path, tables) -> None:  # type: ignore[no-untyped-def]
    p = parameters_from(None)
    r = compute_budgets(tables=tables, params=p).area("0101")
    html = (site / "sv" / "0101" / "index.html").read_text("utf-8")
    for value in (
        tonnes_words(r.budget_t, "sv")[0],
        tonnes_words(r.remaining_t, "sv")[0],
        fmt.percent(r.rate, "sv"),
    ):
        assert f'<span class="tile-value">{value}</span>' in html
    data_url = re.search(r'data-data="\.\./\.\./([^"]+)"', html).group(1)  # type: ignore[union-attr]
    data = json.loads((site / data_url).read_text("utf-8"))
    assert data["cells"][data["default_cell"]]["rate"] == r.rate
    assert data["e0_t"] == r.e0_t
    assert data["cells"]["1.7-50"]["remaining_t"] == r.remaining_t


def test_site_start_page_reads_spent_budgets_as_spent(tmp_path: Path, tables) -> None:  # type: ignore[no-untyped-def]
    """A cell where every budget is spent (1,5 °C with 83 %): the start page's table says
    "Förbrukad" and 0 years, never "100,0 %" or the current year as the year it runs out."""
    out = tmp_path / "site"
    cell = {"temperature_c": "1.5", "probability_pct": "83"}
    build_site(out, assemble(parameters_from(None, cell), tables=tables), geo_dir=None)
    html = (out / "sv" / "index.html").read_text("utf-8")
    rows = re.findall(r"<tr>.*?</tr>", html, flags=re.S)
    assert rows and "100,0" not in html
    assert html.count(">Förbrukad<") >= 2 * 6  # rate and year columns of the six areas


def test_site_cells_are_the_base_parameters_at_each_cell(tables) -> None:  # type: ignore[no-untyped-def]
    base = parameters_from(None)
    cells = cells_for(tables, base)
    assert cells[0].id == "1.7-50"
    assert len(cells) == 15
    by = {c.id: c for c in cells}
    assert by["1.5-50"].params == dataclasses.replace(base, temperature_c=1.5, probability_pct=50)
    # the same cells from the 1.5 °C preset give the same national budgets
    other = {c.id: c for c in cells_for(tables, parameters_from("uppsala-2024-1.5"))}
    for cid in ("1.5-50", "1.7-50", "2.0-67"):
        a = compute_budgets(tables=tables, params=by[cid].params).national.budget_t
        b = compute_budgets(tables=tables, params=other[cid].params).national.budget_t
        assert a == pytest.approx(b)


def test_site_map_classes() -> None:
    p = parameters_from(None)
    assert rate_bin(0.5, True, p) == 0
    assert rate_bin(0.05, False, p) == 1
    assert rate_bin(0.12, False, p) == 2
    assert rate_bin(0.19, False, p) == 3
    assert rate_bin(0.35, False, p) == 6
    assert years_bin(None, False) == 5 and years_bin(1.0, False) == 1 and years_bin(9, False) == 5


def test_site_templatise_names_every_inline_dataset() -> None:
    spec = {"data": {"values": [1]}, "layer": [{"data": {"values": [2]}, "mark": "bar"}]}
    tpl, names = templatise(spec)
    assert names == ["d0", "d1"]
    assert tpl["data"] == {"name": "d0"} and tpl["layer"][0]["data"] == {"name": "d1"}
    assert spec["data"] == {"values": [1]}  # the original is untouched


def test_site_inline_modules_join_without_imports() -> None:
    js = assets.inline_modules("area.js")
    assert "import " not in re.sub(r"await import\(", "", js)
    assert not re.search(r"^export ", js, re.MULTILINE)
    assert js.index("function requiredRate") < js.index("async function main")


def test_site_export_is_one_file(tmp_path: Path, tables) -> None:  # type: ignore[no-untyped-def]
    path = export_area("Alfa", assemble(tables=tables), tmp_path)
    html = path.read_text("utf-8")
    assert path.name == "koldioxidbudget-0101-sv.html"
    assert 'id="kb-data"' in html and "vegaEmbed" in html and "@font-face" in html
    assert not re.search(r'(src|href)="(?!data:|#|\.\./|presentation/)[^"]*\.(js|css|json)"', html)
