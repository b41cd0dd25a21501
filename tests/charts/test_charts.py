"""Chart specs: self-contained Vega-Lite (data inline, description, one font, no Vega ARIA
text), colour-blind-safe palette, and each renders to SVG offline."""

from __future__ import annotations

import json
from typing import Any

import pytest

from koldioxidbudget import charts
from koldioxidbudget.render.svg import chart_svg


def _specs() -> dict[str, dict[str, Any]]:
    common = {"description": "Beskrivning på svenska", "lang": "sv"}
    return {
        "emissions_by_sector": charts.emissions_by_sector(
            rows=[
                {"year": 2020, "sector": "Transporter", "value": 1.0, "order": 0},
                {"year": 2020, "sector": "Jordbruk", "value": 0.5, "order": 1},
                {"year": 2023, "sector": "Uppskattning", "value": 1.4, "order": 99},
            ],
            sectors=["Transporter", "Jordbruk"],
            x_title="År",
            y_title="Utsläpp (kt CO₂)",
            estimate_label="Uppskattning",
            **common,
        ),
        "per_capita": charts.per_capita(
            rows=[
                {"label": "Åre kommun", "value": 3.1, "text": "3,10", "highlight": True},
                {"label": "Sverige", "value": 3.5, "text": "3,50", "highlight": False},
            ],
            x_title="Ton per invånare",
            **common,
        ),
        "pathway": charts.pathway(
            history=[{"year": 2020, "value": 10.0, "series": "Utsläpp"}],
            paths=[
                {"year": 2026, "value": 9.0, "series": "Budgetens bana"},
                {"year": 2027, "value": 8.0, "series": "Budgetens bana"},
                {"year": 2026, "value": 10.0, "series": "Ingen minskning"},
            ],
            series=["Budgetens bana", "Ingen minskning"],
            x_title="År",
            y_title="kt",
            budget_series="Budgetens bana",
            history_series="Utsläpp",
            estimate_series="Uppskattning",
            **common,
        ),
        "cost_of_delay": charts.cost_of_delay(
            rows=[{"label": "2026", "value": 12.0, "text": "12 %", "status": "ok"}],
            x_title="Start",
            y_title="%",
            threshold=20.0,
            threshold_label="20 %",
            ok_label="ok",
            alert_label="alert",
            **common,
        ),
        "sector_history": charts.sector_history(
            rows=[{"year": 2020, "value": 1.0}], x_title="År", y_title="kt", **common
        ),
        "sector_shares": charts.sector_shares(
            rows=[{"label": "Transporter", "value": 60.0, "text": "60 %"}],
            x_title="%",
            **common,
        ),
        "cumulative_vs_budget": charts.cumulative_vs_budget(
            rows=[{"label": "Ingen minskning", "value": 5.0, "text": "5 Mt", "status": "över"}],
            budget=3.0,
            budget_label="Budget",
            x_title="Mt",
            within_label="inom",
            over_label="över",
            **common,
        ),
        "ledger": charts.ledger(
            rows=[
                {"year": 2024, "series": "Utsläpp", "value": 1.0},
                {"year": 2024, "series": "Bana", "value": 0.9},
            ],
            x_title="År",
            y_title="kt",
            series=["Utsläpp", "Bana"],
            **common,
        ),
    }


@pytest.mark.parametrize("kind", sorted(_specs()))
def test_chart_spec_is_self_contained(kind: str) -> None:
    spec = _specs()[kind]
    assert spec["$schema"] == charts.VEGA_LITE_SCHEMA
    assert spec["description"] == "Beskrivning på svenska"
    assert spec["usermeta"]["lang"] == "sv"
    assert spec["data"]["values"]
    assert spec["config"]["font"] == charts.FONT_FAMILY
    assert spec["config"]["axis"]["aria"] is False
    assert spec["config"]["mark"]["aria"] is False
    json.dumps(spec)  # plain data only


@pytest.mark.parametrize("kind", sorted(_specs()))
def test_chart_renders_to_svg_with_the_report_font(kind: str) -> None:
    svg = chart_svg(_specs()[kind], lang="sv", id_prefix=f"t-{kind}")
    assert svg.startswith("<svg")
    assert "font-family=\"'Source Sans 3'\"" in svg
    assert "SourceSans3" not in svg  # the name vl-convert measures with stays inside
    for m in __import__("re").finditer(r'\bid="([^"]+)"', svg):
        assert m.group(1).startswith(f"t-{kind}-")


def test_chart_text_is_measured_with_the_report_font() -> None:
    """vl-convert lays labels out with Source Sans 3's widths, not another font's or an estimate
    (it finds no font named "Source Sans 3" by itself, see koldioxidbudget.fonts)."""
    import re

    from fontTools.ttLib import TTFont

    from koldioxidbudget.fonts import font_files

    def svg_width(label: str) -> float:
        spec = {
            "data": {"values": [{"k": label, "v": 1}]},
            "mark": "bar",
            "width": 100,
            "height": 20,
            "encoding": {
                "y": {"field": "k", "type": "nominal", "title": None},
                "x": {"field": "v", "type": "quantitative", "title": None},
            },
            "config": {"font": charts.FONT_FAMILY, "axis": {"labelFontSize": 20, "labelLimit": 0}},
        }
        svg = chart_svg(spec, lang="sv", id_prefix="w")
        m = re.search(r'<svg[^>]* width="([0-9.]+)"', svg)
        assert m, svg[:200]
        return float(m.group(1))

    font = TTFont(font_files()["regular"])
    cmap, hmtx, upm = font.getBestCmap(), font["hmtx"], font["head"].unitsPerEm
    expected = sum(hmtx[cmap[ord(c)]][0] - hmtx[cmap[ord("i")]][0] for c in "W" * 8) * 20 / upm
    # the labels' widths differ by what the font says (the rest of the chart is the same)
    assert svg_width("W" * 8) - svg_width("i" * 8) == pytest.approx(expected, abs=2)


def test_chart_marks_switch_off_vega_aria() -> None:
    for spec in _specs().values():
        for layer in [spec, *spec.get("layer", [])]:
            mark = layer.get("mark")
            if isinstance(mark, dict):
                assert mark.get("aria") is False


def test_chart_palette_is_tol_muted() -> None:
    assert charts.PALETTE[:9] == (
        "#332288",
        "#88CCEE",
        "#44AA99",
        "#117733",
        "#999933",
        "#DDCC77",
        "#CC6677",
        "#882255",
        "#AA4499",
    )
