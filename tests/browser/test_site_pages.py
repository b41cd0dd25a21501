"""The visualiser in Chromium: search, sliders, path toggles, language, deep links, key figures
equal to the engine's, the browser's number format equal to Babel's, screenshots."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, urlparse

import pytest

from koldioxidbudget.method.cells import compute_cells
from koldioxidbudget.service.inputs import parameters_from
from koldioxidbudget.story import fmt
from koldioxidbudget.web.site import tonnes_words
from tests.browser.conftest import ready, shot, wait_js


@pytest.fixture(scope="module")
def runs(sweden: Any) -> dict[str, Any]:
    return compute_cells(sweden, parameters_from(None))


def _tile(page: Any, tid: str) -> str:
    return page.inner_text(f'.tile[data-tile="{tid}"] .tile-value').strip()


def test_site_start_search_opens_the_area(page: Any, server: Any) -> None:
    page.goto(server.url + "sv/")
    ready(page)
    assert page.locator("#areas tbody tr").count() == 312
    page.fill("#search", "uppsala")
    assert "av 312" in page.inner_text("#count")
    visible = page.locator("#areas tbody tr:not([hidden])").count()
    assert 1 <= visible < 312
    shot(page, "start")
    page.press("#search", "Enter")
    page.wait_for_url("**/sv/0380/")
    ready(page)
    assert page.inner_text("h1") == "Koldioxidbudget för Uppsala"
    assert not page.errors  # type: ignore[attr-defined]


@pytest.mark.parametrize(("query", "code"), [("habo", "0643"), ("Håbo", "0305")])
def test_site_search_tells_habo_from_habo(page: Any, server: Any, query: str, code: str) -> None:
    """Two municipalities differ only in a diacritic: Enter opens the one spelled."""
    page.goto(server.url + "sv/")
    ready(page)
    page.fill("#search", query)
    assert page.locator("#areas tbody tr:not([hidden])").count() == 2  # the list shows both
    page.press("#search", "Enter")
    page.wait_for_url(f"**/sv/{code}/")
    assert not page.errors  # type: ignore[attr-defined]


@pytest.mark.parametrize("query", ["Stockholm County", "Stockholms län"])
def test_site_english_names_a_county_in_english(page: Any, server: Any, query: str) -> None:
    """The English site says "Stockholm County", not "Stockholms län", and finds the county by
    either name; a municipality's page compares it with its county and Sweden in English."""
    page.goto(server.url + "en/")
    ready(page)
    page.fill("#search", query)
    page.press("#search", "Enter")
    page.wait_for_url("**/en/01/")
    ready(page)
    assert page.inner_text("h1") == "Carbon budget for Stockholm County"
    page.goto(server.url + "en/0180/")
    ready(page)
    names = page.locator("#view-per-invanare tbody th").all_text_contents()
    assert names[1:] == ["Stockholm County", "Sweden"], names
    assert not page.errors  # type: ignore[attr-defined]


def test_site_start_sort_and_filter(page: Any, server: Any) -> None:
    page.goto(server.url + "sv/?level=lan")
    ready(page)
    assert page.locator("#areas tbody tr:not([hidden])").count() == 21
    page.click('th button[data-sort="rate"]')
    assert page.get_attribute('th:has(button[data-sort="rate"])', "aria-sort") == "ascending"
    values = page.eval_on_selector_all(
        "#areas tbody tr:not([hidden]) td:nth-child(5)", "els => els.map(e => +e.dataset.v)"
    )
    assert values == sorted(values)
    page.check('input[name="measure"][value="years"]')
    assert page.is_visible("#legend-years") and not page.is_visible("#legend-rate")


def test_site_key_figures_equal_the_engine(page: Any, server: Any, runs: dict[str, Any]) -> None:
    for code in ("0380", "01", "00", "2584"):
        page.goto(server.url + f"sv/{code}/")
        ready(page)
        for cid in list(runs)[:4]:
            r = runs[cid].area(code)
            t, p = cid.split("-")
            page.check(f'input[name="temperature"][value="{t}"]')
            page.select_option("#probability", p)
            default = "true" if cid == next(iter(runs)) else "false"
            wait_js(
                page, f"new URLSearchParams(location.search).get('cell') === {cid!r} || {default}"
            )
            assert _tile(page, "budget") == tonnes_words(r.budget_t, "sv")[0]
            left = "Förbrukad" if r.exhausted else tonnes_words(r.remaining_t, "sv")[0]
            assert _tile(page, "remaining") == left
            rate = "Förbrukad" if r.exhausted else fmt.percent(r.rate, "sv")
            assert _tile(page, "rate") == rate
            if r.exhausted:
                assert _tile(page, "years") == "0"
            elif r.years_left is not None:
                assert _tile(page, "years") == fmt.number(r.years_left, "sv", decimals=1)
            if r.one_in_n:
                assert _tile(page, "one_in_n") == f"1 av {r.one_in_n}"


def test_site_delay_slider_by_keyboard(page: Any, server: Any, runs: dict[str, Any]) -> None:
    page.goto(server.url + "sv/0180/?view=scenarier")
    ready(page)
    r = runs[next(iter(runs))].area("0180")
    page.focus("#delay")
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_js(page, "new URLSearchParams(location.search).get('delay') === '3'")
    d = r.cost_of_delay[3]
    expected = fmt.percent(d.rate, "sv") if not d.exhausted else None
    if expected:
        assert page.inner_text("#delay-rate") == expected
    assert page.inner_text("#delay-extra") == " ".join(tonnes_words(d.extra_t, "sv"))
    # a sector slider moves the cumulative total
    before = page.inner_text("#sector-total")
    page.focus("#rate-transporter")
    page.keyboard.press("Home")
    wait_js(page, "location.search.includes('rates=transporter')")
    assert page.inner_text("#sector-total") != before
    shot(page, "area-scenarios", full_page=True)


def test_site_toggle_paths_and_deep_link(page: Any, server: Any) -> None:
    page.goto(server.url + "sv/0380/")
    ready(page)
    page.uncheck('#path-toggles input[value="trend"]')
    wait_js(page, "location.search.includes('hide=trend')")
    series = page.evaluate("window.__kb.charts.main.view.data('lines').map(d => d.series)")
    assert "Nuvarande trend (rak linje)" not in series and "Ingen minskning" in series
    # the URL restores the state
    url = server.url + "sv/0380/?view=scenarier&cell=1.5-50&delay=4&hide=trend"
    page.goto(url)
    ready(page)
    assert page.is_visible("#view-scenarier") and not page.is_visible("#view-oversikt")
    assert page.input_value("#delay") == "4"
    page.click('nav.views a[data-view="oversikt"]')
    assert page.is_checked('input[name="temperature"][value="1.5"]')
    assert not page.is_checked('#path-toggles input[value="trend"]')
    assert page.input_value("#probability") == "50"


def test_site_language_switch_keeps_the_state(page: Any, server: Any) -> None:
    page.goto(server.url + "sv/0380/?view=sektorer&delay=2")
    ready(page)
    page.click("a.lang-switch")
    page.wait_for_url("**/en/0380/**")
    ready(page)
    assert page.get_attribute("html", "lang") == "en"
    q = parse_qs(urlparse(page.url).query)
    assert q["view"] == ["sektorer"] and q["delay"] == ["2"]
    assert page.is_visible("#view-sektorer")
    assert page.inner_text("h1") == "Carbon budget for Uppsala"
    shot(page, "area-en-sectors", full_page=True)


def test_site_every_view_draws(page: Any, server: Any) -> None:
    page.goto(server.url + "sv/0380/")
    ready(page)
    shot(page, "area-overview", full_page=True)
    for view in ("scenarier", "sektorer", "per-invanare", "bokforing", "andringar", "metod"):
        page.click(f'nav.views a[data-view="{view}"]')
        wait_js(
            page,
            f"[...document.querySelectorAll('#view-{view} .chart-canvas')].every(c => c.querySelector('svg'))",
        )
    # show as table, download CSV
    page.click('nav.views a[data-view="sektorer"]')
    page.click("#fig-sector_shares .btn-table")
    assert page.locator("#fig-sector_shares-table table tbody tr").count() >= 5
    with page.expect_download() as dl:
        page.click('#fig-sector_shares .btn-dl[data-format="csv"]')
    assert dl.value.suggested_filename.endswith(".csv")
    with page.expect_download() as dl:
        page.click('#fig-sector_shares .btn-dl[data-format="svg"]')
    assert dl.value.suggested_filename.endswith(".svg")
    with page.expect_download() as dl:
        page.click('#fig-sector_shares .btn-dl[data-format="png"]')
    assert dl.value.suggested_filename.endswith(".png")
    assert not page.errors  # type: ignore[attr-defined]


def test_site_slides_step_with_arrow_keys(page: Any, server: Any) -> None:
    page.goto(server.url + "sv/0380/presentation/")
    ready(page)
    assert page.is_visible('.slide[data-slide="1"]')
    for _ in range(4):
        page.keyboard.press("ArrowRight")
    wait_js(page, "document.querySelector('.slide[data-slide=\"5\"] svg') !== null")
    assert page.url.endswith("#5")
    page.keyboard.press("n")
    assert page.is_visible("#notes") and page.inner_text("#notes").strip()
    shot(page, "slides")
    page.keyboard.press("ArrowLeft")
    assert page.is_visible('.slide[data-slide="4"]')


def test_site_numbers_format_like_babel(page: Any, server: Any, site_dir: Any) -> None:
    mod = next((site_dir / "assets" / "js").glob("fmt.*.js")).name
    page.goto(server.url + "sv/0380/")
    ready(page)
    values = [0.0, 1.5, -1.5, 1234.56, -98765.4321, 1e6, 12345678.9, 0.004, -0.04, 999.95]
    for lang in ("sv", "en"):
        got = page.evaluate(
            """async ([url, values, lang]) => { const F = await import(url);
            return values.map(v => [F.number(v, lang, 0), F.number(v, lang, 1), F.number(v, lang, 2),
              F.percent(v / 100, lang), F.tonnes(v * 1000, lang)]); }""",
            [f"/assets/js/{mod}", values, lang],
        )
        for v, row in zip(values, got, strict=True):
            assert row == [
                fmt.number(v, lang, decimals=0),
                fmt.number(v, lang, decimals=1),
                fmt.number(v, lang, decimals=2),
                fmt.percent(v / 100, lang),
                fmt.tonnes(v * 1000, lang),
            ], (lang, v)
