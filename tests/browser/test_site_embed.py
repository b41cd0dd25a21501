"""Embedding: the snippet's iframe works from a page on another origin (a second port), the host
script resizes it from postMessage, and the embedded tool sets no cookie and requests nothing
from any origin but its own. The single-file export works from file:// with no request at all."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.browser.conftest import ready, shot, wait_js
from tests.browser.siteserver import SiteServer


def test_site_embed_cross_origin_resizes(browser: Any, server: Any, tmp_path: Path) -> None:
    site = server.url
    host = tmp_path / "host"
    host.mkdir()
    (host / "index.html").write_text(
        f"""<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Värd</title></head>
<body><main><h1>Kommunens sida</h1>
<iframe src="{site}sv/0380/embed/?view=oversikt&amp;accent=7a1f5c" title="Koldioxidbudget för Uppsala"
 data-koldioxidbudget style="width:100%;height:300px;border:0"></iframe>
<script src="{site}assets/embed.js" async></script></main></body></html>""",
        "utf-8",
    )
    with SiteServer(host, csp=False) as h:
        assert h.port != server.port
        ctx = browser.new_context(viewport={"width": 1100, "height": 900})
        pg = ctx.new_page()
        origins: set[str] = set()
        pg.on("request", lambda r: origins.add("/".join(r.url.split("/")[:3])))
        pg.goto(h.url)
        wait_js(pg, "parseInt(document.querySelector('iframe').style.height) > 600", timeout=20000)
        frame = pg.frame_locator("iframe")
        frame.locator("h1").wait_for()
        assert "Uppsala" in frame.locator("h1").inner_text()
        # the embedded view only: no site navigation, other views hidden
        assert frame.locator("nav.views").count() == 0
        assert frame.locator("#view-scenarier").is_hidden()
        child = next(f for f in pg.frames if f.url.startswith(site))
        wait_js(child, "document.body.dataset.ready === '1'")
        accent = child.evaluate(
            "getComputedStyle(document.documentElement).getPropertyValue('--accent').trim()"
        )
        assert accent == "#7a1f5c"
        assert ctx.cookies() == []
        assert origins <= {h.url.rstrip("/"), site.rstrip("/")}
        shot(pg, "embed-host", full_page=True)
        ctx.close()


def test_site_embed_guide_previews(page: Any, server: Any) -> None:
    page.goto(server.url + "sv/inbaddning/?area=0180")
    ready(page)
    snippet = page.input_value("#embed-snippet")
    assert "<iframe" in snippet and "/sv/0180/embed/?view=oversikt" in snippet
    assert "assets/embed.js" in snippet
    page.select_option("#embed-view", "scenarier")
    assert "view=scenarier" in page.input_value("#embed-snippet")
    wait_js(
        page,
        "parseInt(document.querySelector('#embed-preview iframe').style.height || '0') > 300",
        timeout=20000,
    )
    shot(page, "embed-guide")


def test_site_export_works_offline(browser: Any, sweden: Any, tmp_path: Path) -> None:
    from koldioxidbudget.service.scenario import assemble
    from koldioxidbudget.web.site import export_area

    for presentation in (False, True):
        path = export_area(
            "uppsala", assemble(tables=sweden), tmp_path, presentation=presentation, lang="sv"
        )
        if presentation:
            path = path.rename(path.with_name("presentation.html"))
        html = path.read_text("utf-8")
        assert "http://" not in html.replace("http://www.w3.org", "")
        ctx = browser.new_context(offline=True)
        pg = ctx.new_page()
        requests: list[str] = []
        errors: list[str] = []
        pg.on("request", lambda r, out=requests: out.append(r.url))
        pg.on("pageerror", lambda e, out=errors: out.append(str(e)))
        pg.goto(path.as_uri())
        ready(pg)
        assert not errors, errors
        if presentation:
            for _ in range(4):
                pg.keyboard.press("ArrowRight")
        wait_js(pg, "document.querySelector('.chart-canvas svg') !== null")
        assert all(u.startswith(("file:", "data:", "blob:")) for u in requests), requests
        shot(pg, "export-presentation" if presentation else "export", full_page=not presentation)
        ctx.close()
