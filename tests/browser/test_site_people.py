"""The visualiser as its audiences use it: on a phone (nothing scrolls sideways at 320 and 390
px, legends are not cut off), embedded (the guide's preview loads on our own server under its
real Content-Security-Policy), on a projector (the presentation fills 1920 × 1080 with the chart,
no toolbar, Esc goes back with the state), offline (the export has no dead link) and in plain
Swedish (no "None", edition id, source id or English developer text on the Swedish pages)."""

from __future__ import annotations

import re
import socket
import threading
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import CORE_PAGES, SITE_PAGES, ready, shot, wait_js

WIDTHS = (320, 390, 1366)
PAGES = [
    *CORE_PAGES,
    "en/",
    "sv/0380/embed/?view=oversikt",
    "sv/0380/embed/?view=scenarier",
    "sv/0380/embed/?view=sektorer",
    *SITE_PAGES,
]

OVERFLOW = "[document.scrollingElement.scrollWidth, innerWidth]"


@pytest.fixture(scope="module")
def narrow(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_site_no_page_scrolls_sideways(browser: Any, server: Any, width: int) -> None:
    """WCAG 1.4.10 (reflow): every page type fits the screen; wide tables scroll in their own box."""
    ctx = browser.new_context(viewport={"width": width, "height": 800}, locale="sv-SE")
    pg = ctx.new_page()
    wide = []
    for path in PAGES:
        pg.goto(server.url + path)
        ready(pg)
        scroll, inner = pg.evaluate(OVERFLOW)
        if scroll > inner:
            wide.append((path, scroll))
        if width == 390 and path in ("sv/", "sv/0380/", "sv/0380/embed/?view=oversikt"):
            shot(pg, f"phone-{path.strip('/').replace('/', '-').split('?')[0] or 'start'}", True)
    ctx.close()
    assert not wide, f"wider than {width} px: {wide}"


def test_site_legends_wrap_and_show_the_lines(narrow: Any, server: Any) -> None:
    """On a phone every legend entry is whole and inside the chart's box, and the lines have a
    legend too (the scenario chart says what its lines are)."""
    for path, chart in (("sv/0380/", "main"), ("sv/0380/?view=scenarier", "scenario")):
        narrow.goto(server.url + path)
        ready(narrow)
        fig = f"#fig-{chart}"
        wait_js(narrow, f"document.querySelector('{fig} .chart-legend li') !== null")
        labels = narrow.eval_on_selector_all(
            f"{fig} .chart-legend li",
            """(els) => els.map(e => { const r = e.getBoundingClientRect();
              const f = e.closest('figure').getBoundingClientRect();
              return [e.textContent, r.left >= f.left - 0.5 && r.right <= f.right + 0.5,
                      e.scrollWidth <= e.clientWidth + 1]; })""",
        )
        texts = [t for t, _, _ in labels]
        assert "El och fjärrvärme" in texts and "Budgetbanan" in texts, texts
        assert all(inside and whole for _, inside, whole in labels), labels
        if chart == "scenario":
            assert "Ingen minskning" in texts


def test_site_presentation_fills_a_projector(browser: Any, server: Any) -> None:
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
    pg = ctx.new_page()
    pg.goto(server.url + "sv/0380/presentation/?cell=1.5-50&delay=3&view=scenarier#5")
    ready(pg)
    wait_js(pg, "document.querySelector('.slide:not([hidden]) .chart-canvas svg') !== null")
    time.sleep(0.3)
    box = pg.evaluate(
        "(() => { const r = document.querySelector('.slide:not([hidden]) .chart-canvas svg')"
        ".getBoundingClientRect(); return [r.width, r.height, r.bottom]; })()"
    )
    assert box[0] >= 0.8 * 1920 and box[1] >= 0.5 * 1080 and box[2] <= 1080, box
    sizes = pg.eval_on_selector_all(
        ".slide:not([hidden]) .chart-canvas svg .role-axis-label text",
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))",
    )
    assert sizes and min(sizes) >= 20, sizes
    # no site chrome, no chart toolbar or download buttons on a slide
    assert pg.locator(".site-header").count() == 0
    assert not pg.locator(".slide:not([hidden]) .chart-tools").is_visible()
    assert pg.evaluate(OVERFLOW)[0] <= 1920
    shot(pg, "presentation-1920-chart")
    # one message per slide: the required cut is the big number of its own slide
    pg.keyboard.press("ArrowLeft")
    assert pg.is_visible('.slide[data-slide="4"]')
    big = pg.inner_text('.slide[data-slide="4"] .slide-big').strip()
    assert big.endswith("%") or big == "Förbrukad", big  # the cut, not "1 av 8"
    shot(pg, "presentation-1920-rate")
    # full screen hides the control bar
    pg.keyboard.press("f")
    try:
        wait_js(pg, "!!document.fullscreenElement", timeout=3000)
    except AssertionError:
        pass  # a headless browser may refuse full screen; the CSS rule is checked below
    else:
        assert not pg.is_visible(".deck-bar")
        pg.evaluate("document.exitFullscreen()")
    css = pg.evaluate(
        "[...document.styleSheets].flatMap(s => [...s.cssRules].map(r => r.cssText))"
        ".some(t => t.includes(':fullscreen .deck-bar') && t.includes('none'))"
    )
    assert css
    # Esc goes back to the tool, keeping the state
    wait_js(pg, "!document.fullscreenElement")
    pg.keyboard.press("Escape")
    pg.wait_for_url("**/sv/0380/?**")
    ready(pg)
    assert "cell=1.5-50" in pg.url and "delay=3" in pg.url and "view=scenarier" in pg.url
    assert pg.is_visible("#view-scenarier") and pg.input_value("#delay") == "3"
    ctx.close()


def test_site_presentation_follows_the_chosen_cell(browser: Any, server: Any, sweden: Any) -> None:
    from koldioxidbudget.method.cells import compute_cells
    from koldioxidbudget.service.inputs import parameters_from
    from koldioxidbudget.story import fmt

    runs = compute_cells(sweden, parameters_from(None))
    r = runs["1.5-50"].area("0380")
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
    pg = ctx.new_page()
    pg.goto(server.url + "sv/0380/presentation/?cell=1.5-50#4")
    ready(pg)
    expected = "Förbrukad" if r.exhausted else fmt.percent(r.rate, "sv")
    assert pg.inner_text('[data-slot="rate"]') == expected
    ctx.close()


def test_site_a_spent_budget_reads_as_spent_on_the_tile_and_the_slide(
    browser: Any, server: Any, sweden: Any
) -> None:
    """A cell in which an area's budget is spent: no "100,0 %" as the required cut, on the tile
    or as the slide's big number, and the slide says it once."""
    from koldioxidbudget.method.cells import compute_cells
    from koldioxidbudget.service.inputs import parameters_from
    from koldioxidbudget.web.site import tonnes_words

    runs = compute_cells(sweden, parameters_from(None))
    spent = [
        (cid, code)
        for cid, run in runs.items()
        for code in run.codes
        if run.area(code).exhausted and run.area(code).level == "kommun"
    ]
    assert spent, "the test data have a municipality whose budget is spent in some cell"
    cid, code = spent[0]
    ctx = browser.new_context(viewport={"width": 1920, "height": 1080}, locale="sv-SE")
    pg = ctx.new_page()
    pg.goto(server.url + f"sv/{code}/presentation/?cell={cid}#4")
    ready(pg)
    assert pg.inner_text('[data-slot="rate"]') == "Förbrukad"
    share = pg.inner_text('[data-slot="s4-share"]')
    assert share.count("förbrukad") == 1 and "100,0" not in share
    r = runs[cid].area(code)
    over = " ".join(tonnes_words(-r.remaining_t, "sv"))
    # slide 2: by how much it is over, never a negative amount "kvar"; slide 3: 0 years
    assert pg.inner_text('[data-slot="remaining"]') == f"överskriden med {over}"
    assert pg.inner_text('[data-slot="s2-text"]').startswith("Hela budgeten från ")
    assert pg.inner_text('[data-slot="years"]') == "0"
    pg.goto(server.url + f"sv/{code}/?cell={cid}")
    ready(pg)
    overview = pg.inner_text("#view-oversikt")
    assert "100,0" not in overview and "tar slut under" not in overview
    remaining = pg.locator('.tile[data-tile="remaining"]')
    assert remaining.locator(".tile-value").inner_text() == "Förbrukad"
    assert remaining.locator(".tile-note").inner_text() == f"överskriden med {over}"
    years = pg.locator('.tile[data-tile="years"]')
    assert years.locator(".tile-value").inner_text() == "0"
    assert years.locator(".tile-note").inner_text() == "budgeten är redan förbrukad"
    ctx.close()


def test_site_an_aggregate_says_its_figures_are_net(browser: Any, server: Any, sweden: Any) -> None:
    """A county or Sweden in a cell where members have spent their budgets: the page says the
    figures are net, with the engine's overspent and still-available amounts."""
    from koldioxidbudget.method.cells import compute_cells
    from koldioxidbudget.service.inputs import parameters_from
    from koldioxidbudget.web.site import tonnes_words

    runs = compute_cells(sweden, parameters_from(None))
    found = [
        (cid, code)
        for cid, run in runs.items()
        for code in run.codes
        if run.area(code).level != "kommun" and (run.area(code).members_overspent_t or 0) > 0
    ]
    assert found, "the test data have an aggregate whose members overspend in some cell"
    cid, code = found[0]
    r = runs[cid].area(code)
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE")
    pg = ctx.new_page()
    pg.goto(server.url + f"sv/{code}/?cell={cid}")
    ready(pg)
    alerts = pg.inner_text("#alerts")
    assert "är ett netto" in alerts
    assert " ".join(tonnes_words(r.members_overspent_t, "sv")) in alerts
    ctx.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def app_server(site_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The real application (``koldioxidbudget serve``) serving the built site, with the CSP it
    sends: the test server's headers are not what users get."""
    import uvicorn

    from koldioxidbudget.web import Settings, create_app

    settings = Settings(editions=tmp_path_factory.mktemp("no-editions"), site=site_dir, warm=False)
    port = _free_port()
    srv = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    end = time.monotonic() + 20
    while not srv.started and time.monotonic() < end:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}/"
    srv.should_exit = True
    thread.join(10)


def test_site_embed_guide_preview_loads_on_our_server(page: Any, app_server: str) -> None:
    page.goto(app_server + "sv/inbaddning/?area=0380")
    ready(page)
    frame = page.frame_locator("#embed-preview iframe")
    frame.locator("h1").wait_for(timeout=20000)
    assert frame.locator("h1").inner_text() == "Koldioxidbudget för Uppsala"
    assert not [e for e in page.errors if "Content Security Policy" in e]  # type: ignore[attr-defined]
    snippet = page.input_value("#embed-snippet")
    assert 'title="Koldioxidbudget för Uppsala"' in snippet


def test_site_unknown_address_is_a_page_with_search(page: Any, app_server: str) -> None:
    response = page.goto(app_server + "sv/9999/")
    assert response.status == 404
    assert response.headers["content-type"].startswith("text/html")
    assert page.is_visible("input#search")
    page.fill("#search", "uppsala")
    page.press("#search", "Enter")
    page.wait_for_url("**/sv/?q=uppsala")
    ready(page)
    assert page.input_value("#search") == "uppsala"


def test_site_method_embed_code_and_links_out_of_the_frame(page: Any, server: Any) -> None:
    page.goto(server.url + "sv/0380/?view=metod")
    ready(page)
    snippet = page.input_value("#area-snippet")
    assert 'title="Koldioxidbudget för Uppsala"' in snippet
    assert "för Koldioxidbudget" not in snippet
    page.goto(server.url + "sv/0380/embed/?view=oversikt")
    ready(page)
    targets = page.eval_on_selector_all("a[href]:not([href^='#'])", "els => els.map(e => e.target)")
    assert targets and all(t == "_blank" for t in targets), targets


SWEDISH_PAGES = CORE_PAGES
#: Words that must not reach a Swedish reader: Python's None, source ids, English developer
#: text, bare unit abbreviations.
FORBIDDEN = [
    r"\bNone\b",
    r"AR6_WG1_SPM2",
    r"\bdiscrete\b",
    r"\bconvention\b",
    r"konvention A\b(?!,| \()",
    r"(?<!ibland )\bkt\b",  # the glossary explains the abbreviation
    r"budgeten använd: ",
    r"\.xlsx|\.csv\b",
]


def test_site_swedish_pages_speak_plain_swedish(narrow: Any, server: Any, sweden: Any) -> None:
    edition = sweden.edition_id
    for path in SWEDISH_PAGES:
        narrow.goto(server.url + path)
        ready(narrow)
        text = narrow.inner_text("body")
        for pattern in FORBIDDEN:
            assert not re.search(pattern, text), (path, pattern)
        if "metod" not in path and "om-data" not in path:
            assert edition not in text, path  # the edition id only in "Metod och data"
    # the lead gives the data vintage in words, and the area page explains how to read it
    narrow.goto(server.url + "sv/0380/")
    ready(narrow)
    assert "till och med" in narrow.inner_text(".lead")
    narrow.click("#howto summary")
    howto = narrow.inner_text("#howto")
    assert "rak linje" in howto and "halveras vart tionde år" in howto
    assert narrow.is_visible(".tile details.info summary")


def test_site_export_has_no_dead_link(browser: Any, sweden: Any, tmp_path: Path) -> None:
    from koldioxidbudget.service.scenario import assemble
    from koldioxidbudget.web.site import export_area

    for presentation in (False, True):
        path = export_area("uppsala", assemble(tables=sweden), tmp_path, presentation=presentation)
        html = path.read_text("utf-8")
        hrefs = re.findall(r'<a\b[^>]*\shref="([^"]*)"', html)
        # "?view=…" opens a view of this same file (from file:// too)
        dead = [h for h in hrefs if not h.startswith(("#", "?", "data:", "http")) and h != ""]
        assert not dead, dead
        ctx = browser.new_context(offline=True, viewport={"width": 390, "height": 844})
        pg = ctx.new_page()
        pg.goto(path.as_uri())
        ready(pg)
        links = pg.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        assert all(h.startswith(("#", "?", "blob:", "http")) for h in links), links
        assert pg.evaluate(OVERFLOW)[0] <= 390
        ctx.close()


def test_site_links_of_the_built_site_resolve(site_dir: Path) -> None:
    """Every relative link on the start, guide and area pages points to a file of the site."""
    pages = [
        site_dir / "sv" / "index.html",
        site_dir / "sv" / "om-koldioxidbudget" / "index.html",
        site_dir / "sv" / "0380" / "index.html",
        site_dir / "sv" / "0380" / "presentation" / "index.html",
        site_dir / "en" / "0380" / "embed" / "index.html",
    ]
    for page in pages:
        html = page.read_text("utf-8")
        for href in re.findall(r'\shref="([^"]*)"', html):
            target = href.split("#")[0].split("?")[0]
            if not target or target.startswith(("http", "data:", "mailto:")):
                continue
            resolved = (page.parent / target).resolve()
            if resolved.is_dir():
                resolved = resolved / "index.html"
            assert resolved.is_file(), (page, href)


def test_site_downloads_for_swedish_excel(page: Any, server: Any) -> None:
    page.goto(server.url + "sv/0380/")
    ready(page)
    with page.expect_download() as dl:
        page.click('#fig-main .btn-dl[data-format="xlsx-csv"]')
    raw = Path(dl.value.path()).read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads "År"
    text = raw.decode("utf-8-sig")
    head, first = text.splitlines()[:2]
    assert head.startswith("År;") and "Transporter" in head and "Budgetbanan" in head
    assert re.search(r";\d+,\d{1,3}(;|$)", first), first  # decimal comma, at most 3 decimals
    with page.expect_download() as dl:
        page.click('#fig-main .btn-dl[data-format="csv"]')
    plain = Path(dl.value.path()).read_text("utf-8")
    assert plain.startswith("År,") and not re.search(r"\.\d{4,}", plain)
    with page.expect_download() as dl:
        page.click('#fig-main .btn-dl[data-format="svg"]')
    svg = Path(dl.value.path()).read_text("utf-8")
    assert "Utsläpp hittills och vägar framåt" in svg and "Uppsala" in svg
    assert "@font-face" in svg and "utgåva" in svg
