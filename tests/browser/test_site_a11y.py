"""Accessibility: axe-core (WCAG 2.1 A and AA rules) finds nothing on the start, area (every
view), embed, presentation, guide, about and accessibility-statement pages; the keyboard alone
reaches every control; reduced motion is honoured."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import CORE_PAGES, SITE_PAGES, ready, wait_js

AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}

PAGES = [
    *CORE_PAGES,
    "en/",
    "en/01/",
    "sv/0380/embed/?view=oversikt",
    "sv/0380/embed/?view=scenarier&accent=005a9c",
    "sv/0380/presentation/#5",
    *SITE_PAGES,
]


@pytest.fixture(scope="module")
def axe_page(browser: Any) -> Any:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    pg = ctx.new_page()
    yield pg
    ctx.close()


@pytest.mark.parametrize("path", PAGES)
def test_site_axe_finds_nothing(axe_page: Any, server: Any, path: str) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe_page.goto(server.url + path)
    ready(axe_page)
    if "#5" in path:
        wait_js(axe_page, "document.querySelector('.slide:not([hidden]) svg') !== null")
    results = Axe().run(axe_page, options=AXE_OPTIONS)
    assert results.violations_count == 0, results.generate_report()


def _tab_through(page: Any, limit: int = 400) -> list[str]:
    seen: list[str] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        key = page.evaluate(
            """() => { const e = document.activeElement; if (!e || e === document.body) return '';
            return e.id || e.getAttribute('data-view') || e.getAttribute('href') || e.name || e.textContent.trim().slice(0, 30); }"""
        )
        if key and seen and key == seen[0]:
            break
        seen.append(key)
    return seen


def _controls(page: Any, scope: str) -> list[str]:
    return page.evaluate(
        """(scope) => [...document.querySelectorAll(scope + ' input, ' + scope + ' select, ' + scope + ' button, ' + scope + ' textarea')]
          .filter(e => e.offsetParent !== null && !e.disabled)
          .map(e => e.id || e.name || e.textContent.trim().slice(0, 30))""",
        scope,
    )


def test_site_keyboard_reaches_every_control(page: Any, server: Any) -> None:
    for view in ("oversikt", "scenarier", "sektorer"):
        page.goto(server.url + f"sv/0380/?view={view}")
        ready(page)
        reached = set(_tab_through(page))
        wanted = [c for c in _controls(page, f"#view-{view}") if c]
        missing = [c for c in wanted if c not in reached]
        # radio groups take one tab stop: any one of the group is enough
        missing = [c for c in missing if c not in ("temperature", "measure", "maplevel")]
        assert not missing, f"{view}: not reachable by Tab: {missing}"
    # views switch from the keyboard
    page.goto(server.url + "sv/0380/")
    ready(page)
    page.focus('nav.views a[data-view="sektorer"]')
    page.keyboard.press("Enter")
    wait_js(page, "location.search.includes('view=sektorer')")
    assert page.is_visible("#view-sektorer")


def test_site_keyboard_on_start_page(page: Any, server: Any) -> None:
    page.goto(server.url + "sv/")
    ready(page)
    reached = set(_tab_through(page, 80))
    assert {"search", "filter-level", "filter-county"} <= reached


def test_site_reduced_motion(browser: Any, server: Any) -> None:
    ctx = browser.new_context(reduced_motion="reduce")
    pg = ctx.new_page()
    pg.goto(server.url + "sv/0380/")
    ready(pg)
    assert pg.evaluate("matchMedia('(prefers-reduced-motion: reduce)').matches")
    duration = pg.evaluate("getComputedStyle(document.querySelector('.tile')).transitionDuration")
    assert duration in ("0s", "")
    ctx.close()
