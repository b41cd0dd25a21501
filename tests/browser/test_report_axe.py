"""The HTML report in a real browser (Debian's headless Chromium through Playwright): axe-core
finds no WCAG 2.1 AA violation, the fonts load, and the skip link works from the keyboard.

Chromium comes from Debian (``make browsers``); Playwright's own browser download is not used.
Under CI (``CI=true``) a missing Chromium fails the test instead of skipping it.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARGS, CHROMIUM
from tests.render.conftest import Rendered, rendered_uppsala

WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
def uppsala(editions_root: Path) -> Rendered:
    return rendered_uppsala(editions_root, "sv")


@pytest.fixture(scope="module")
def uppsala_en(editions_root: Path) -> Rendered:
    return rendered_uppsala(editions_root, "en")


@pytest.fixture(scope="module")
def report_browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).is_file() or shutil.which("chromium")):
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is missing: run 'make browsers' (apt-get install chromium)")
        pytest.skip("chromium is missing: run 'make browsers'")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _page_for(browser: Any, rendered: Rendered, tmp: Path, name: str) -> Any:
    from koldioxidbudget.render.html import write_assets

    write_assets(tmp)
    path = tmp / name
    path.write_text(rendered.html, "utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(path.as_uri())
    page.wait_for_load_state("load")
    return page


def _violations(page: Any) -> list[dict[str, Any]]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_AA}, "resultTypes": ["violations"]}
    )
    return [
        {
            "id": v["id"],
            "impact": v.get("impact"),
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in results.response["violations"]
    ]


def test_report_axe_wcag21_aa_swedish(
    report_browser: Any, uppsala: Rendered, tmp_path_factory: pytest.TempPathFactory
) -> None:
    page = _page_for(report_browser, uppsala, tmp_path_factory.mktemp("html-sv"), "report.html")
    assert _violations(page) == []
    page.close()


def test_report_axe_wcag21_aa_english(
    report_browser: Any, uppsala_en: Rendered, tmp_path_factory: pytest.TempPathFactory
) -> None:
    page = _page_for(report_browser, uppsala_en, tmp_path_factory.mktemp("html-en"), "report.html")
    assert _violations(page) == []
    page.close()


def test_report_fonts_load_and_skip_link_works(
    report_browser: Any, uppsala: Rendered, tmp_path_factory: pytest.TempPathFactory
) -> None:
    page = _page_for(report_browser, uppsala, tmp_path_factory.mktemp("html-kb"), "report.html")
    page.evaluate("document.fonts.ready")
    assert page.evaluate("document.fonts.check('16px \"Source Sans 3\"')")
    loaded = page.evaluate(
        "Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)"
    )
    assert loaded and {f.strip("\"'") for f in loaded} == {"Source Sans 3"}, loaded
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.getAttribute('href')") == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    assert "Uppsala kommun" in page.inner_text("h1")
    page.close()


def test_report_axe_would_catch_a_violation(
    report_browser: Any, uppsala: Rendered, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The audit is live: a figure without its text alternative is reported."""
    page = _page_for(report_browser, uppsala, tmp_path_factory.mktemp("html-bad"), "report.html")
    page.evaluate("document.querySelector('.chart').removeAttribute('aria-label')")
    ids = {v["id"] for v in _violations(page)}
    assert ids & {"role-img-alt", "svg-img-alt"}, ids
    page.close()
