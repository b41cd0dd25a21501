"""Browser tests: Playwright driving Debian's Chromium against the built visualiser site.

The site is built once per session from a synthetic edition with Sweden's real 312 areas
(``tests/web/sweden.py``) and served over HTTP on 127.0.0.1 with gzip and the API's HTML
Content-Security-Policy. ``playwright install`` cannot download browsers here: the tests use
``/usr/bin/chromium`` (``make test`` installs it with apt when missing).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.siteserver import SiteServer

CHROMIUM = os.environ.get("KOLDIOXIDBUDGET_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ROOT = Path(__file__).resolve().parents[2]
ARTEFACTS = ROOT / "build" / "test-artefacts"


@pytest.fixture(scope="session")
def sweden():  # type: ignore[no-untyped-def]
    from tests.web.sweden import sweden_tables

    return sweden_tables()


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory: pytest.TempPathFactory, sweden: Any) -> Path:
    from koldioxidbudget.service.scenario import assemble
    from koldioxidbudget.web.site import build_site

    out = tmp_path_factory.mktemp("site") / "site"
    geo = Path(os.environ.get("KOLDIOXIDBUDGET_SOURCES", ROOT.parent / "shared" / "data")) / "geo"
    report = build_site(out, assemble(tables=sweden), geo_dir=geo if geo.is_dir() else None)
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "site-build.txt").write_text(
        f"areas={report.areas} pages={report.pages} seconds={report.seconds:.2f}\n", "utf-8"
    )
    return out


@pytest.fixture(scope="session")
def server(site_dir: Path) -> Iterator[SiteServer]:
    with SiteServer(site_dir) as s:
        yield s


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        pytest.skip(f"no Chromium at {CHROMIUM} (make test installs it: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "favicon" not in m.text else None,
    )
    pg.errors = errors  # type: ignore[attr-defined]
    yield pg
    ctx.close()


def wait_js(page: Any, expression: str, timeout: float = 15000) -> Any:
    """Poll ``expression`` from Python until it is truthy. (Playwright's ``wait_for_function``
    polls with ``eval`` inside the page, which the pages' Content-Security-Policy forbids.)"""
    import time

    end = time.monotonic() + timeout / 1000
    while True:
        try:
            value = page.evaluate(expression)
        except Exception as e:  # navigation in progress: the context is replaced
            if "context was destroyed" not in str(e) and "navigat" not in str(e):
                raise
            value = None
        if value:
            return value
        if time.monotonic() > end:
            raise AssertionError(f"timed out waiting for {expression}")
        time.sleep(0.05)


def ready(page: Any, timeout: float = 15000) -> None:
    """Wait until the page's script says it has drawn what is visible."""
    wait_js(
        page,
        "document.body && (document.body.dataset.ready === '1' || !!document.body.dataset.error"
        " || (document.readyState === 'complete' && !document.querySelector('script[src]')))",
        timeout,
    )
    err = page.evaluate("document.body.dataset.error || ''")
    assert not err, err


def shot(page: Any, name: str, full_page: bool = False) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTEFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


#: Every view of an area page, as the visualiser names them in ``?view=``.
AREA_VIEWS = ("scenarier", "sektorer", "per-invanare", "bokforing", "andringar", "metod")
#: The pages every browser test looks at: start pages, Uppsala in each view, Sweden, and the
#: site's own pages. Each test adds the pages only it needs (embeds, a county, a slide).
CORE_PAGES = [
    "sv/",
    "sv/0380/",
    *(f"sv/0380/?view={v}" for v in AREA_VIEWS),
    "sv/00/",
    "sv/0380/presentation/",
    "sv/om-data/",
    "sv/om-koldioxidbudget/",
]
SITE_PAGES = ["sv/inbaddning/", "sv/tillganglighet/"]
