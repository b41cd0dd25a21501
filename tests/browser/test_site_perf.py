"""Performance of the visualiser, measured in headless Chromium against the gzip-serving test
server: an area page transfers at most 400 KB (bytes, the same on any machine, so asserted).
The timings (charts drawn after navigation, a slider move's redraw, the site build) are only
recorded, in build/test-artefacts/perf.json: a busy machine must not fail a correct build, so
their targets (1 s, 50 ms, 20 s) are judged by ``make bench`` (bench/site.py), not here."""

from __future__ import annotations

import json
import statistics
from typing import Any

from tests.browser.conftest import ARTEFACTS, ready, wait_js


def test_site_area_page_budget(browser: Any, server: Any, site_dir: Any) -> None:
    figures: dict[str, Any] = {}
    transfers, drawn = [], []
    for code in ("0380", "0180", "01"):
        ctx = browser.new_context(viewport={"width": 1280, "height": 900})
        pg = ctx.new_page()
        pg.goto(server.url + f"sv/{code}/")
        ready(pg)
        sizes = pg.evaluate(
            """() => [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')]
              .map(e => [e.name, e.transferSize, e.encodedBodySize])"""
        )
        transfers.append(sum(s[1] for s in sizes))
        drawn.append(pg.evaluate("window.__kb.timings.chartsDrawn"))
        figures[f"resources_{code}"] = {n.split("/")[-1]: t for n, t, _ in sizes}
        ctx.close()
    figures["transfer_bytes"] = transfers
    figures["charts_drawn_ms"] = drawn
    # slider latency (input event → chart data replaced, re-rendered and painted)
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = ctx.new_page()
    pg.goto(server.url + "sv/0380/?view=scenarier")
    ready(pg)
    pg.focus("#delay")
    latencies = []
    for i in range(10):
        pg.evaluate("window.__kb.timings.delay = undefined")
        pg.keyboard.press("ArrowRight" if i < 5 else "ArrowLeft")
        latencies.append(wait_js(pg, "window.__kb.timings.delay"))
    pg.focus("#rate-transporter")
    for i in range(10):
        pg.evaluate("window.__kb.timings.sector = undefined")
        pg.keyboard.press("ArrowLeft" if i < 5 else "ArrowRight")
        latencies.append(wait_js(pg, "window.__kb.timings.sector"))
    ctx.close()
    figures["slider_latency_ms"] = latencies
    figures["slider_latency_median_ms"] = statistics.median(latencies)
    build = (ARTEFACTS / "site-build.txt").read_text("utf-8").strip()
    figures["build"] = build
    seconds = float(build.split("seconds=")[1])
    figures["build_seconds"] = seconds
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    (ARTEFACTS / "perf.json").write_text(json.dumps(figures, indent=1), "utf-8")
    assert max(transfers) <= 400 * 1024, figures
    # every redraw was measured (the timings themselves are judged by make bench)
    assert len(latencies) == 20 and all(x >= 0 for x in latencies), figures
    assert all(d > 0 for d in drawn), figures
