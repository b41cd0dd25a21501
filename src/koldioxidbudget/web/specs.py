"""The visualiser's chart specs: the report's Vega-Lite specs (``koldioxidbudget.charts``) turned
into templates whose data the browser fills in, plus the one chart only the visualiser draws.

A template is the spec a ``charts`` function returns for one language with its inline data
replaced by named data sources (``d0``, ``d1``, … in document order); the page supplies the rows
of each source for the area and updates them when a slider moves (``view.data(name, rows)``).
The rows have the shape the ``charts`` function documents, in the chart's unit (kt, per cent).

``main`` (emissions by sector as bars plus the pathways as lines, each series togglable) is not
a report chart: the report draws history and pathways separately. It uses the report's palette,
font and configuration so the two look alike.
"""

from __future__ import annotations

import copy
from typing import Any

from .. import charts
from ..schema import SECTORS
from ..story.i18n import t

__all__ = ["PATH_IDS", "SECTOR_COLOURS", "chart_templates", "main_chart", "templatise"]

Spec = dict[str, Any]

#: Pathways in the main chart, in legend order (``delayed`` only on the scenarios view).
PATH_IDS = (
    "budget",
    "no-reduction",
    "trend",
    "sweden-targets",
    "carbon-law",
    "local-target",
    "delayed",
)
_PATH_STYLE = {
    "budget": ("#117733", [1, 0], 3.0),
    "no-reduction": ("#1a1a1a", [6, 3], 2.0),
    "trend": ("#882255", [2, 2], 2.0),
    "sweden-targets": ("#332288", [8, 3, 2, 3], 2.0),
    "carbon-law": ("#B35900", [7, 2, 1, 2], 2.5),
    "local-target": ("#AA4499", [10, 4], 2.0),
    "delayed": ("#CC3311", [4, 2, 1, 2], 2.5),
}
#: Light colours for the sector bars (Paul Tol's "light" scheme, colour-blind safe).
SECTOR_COLOURS = (
    "#77AADD",
    "#EE8866",
    "#EEDD88",
    "#FFAABB",
    "#99DDFF",
    "#44BB99",
    "#BBCC33",
    "#AAAA00",
    "#DDDDDD",
)
#: Estimated years: a grey with 3.4:1 contrast on white (WCAG 1.4.11).
ESTIMATE_COLOUR = "#8c8c8c"


def templatise(spec: Spec) -> tuple[Spec, list[str]]:
    """``spec`` with every inline ``data.values`` replaced by a named source; returns the names."""
    out = copy.deepcopy(spec)
    names: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            data = node.get("data")
            if isinstance(data, dict) and "values" in data:
                name = f"d{len(names)}"
                names.append(name)
                node["data"] = {"name": name}
            for k, v in node.items():
                if k != "data":
                    walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(out)
    return out, names


def _line_layer(series: list[str], *, budget: bool) -> Spec:
    """The pathways: the budget path first and wide, every other path drawn over it, so a path
    that runs close to the budget path (Carbon Law, often) stays visible."""
    test = {"field": "series", "equal": series[0]}
    return {
        "data": {"name": "lines"},
        "transform": [{"filter": test if budget else {"not": test}}],
        "mark": {"type": "line", "aria": False, "strokeWidth": 4.0 if budget else 2.5},
        "encoding": {
            "x": {"field": "year", "type": "quantitative"},
            "y": {"field": "value", "type": "quantitative"},
            "color": {
                "field": "series",
                "type": "nominal",
                "title": None,
                "scale": {"domain": series, "range": [_PATH_STYLE[p][0] for p in PATH_IDS]},
                "legend": {
                    "orient": "bottom",
                    "columns": 2,
                    "symbolType": "stroke",
                    "symbolStrokeWidth": 2.5,
                },
            },
            "strokeDash": {
                "field": "series",
                "type": "nominal",
                "scale": {"domain": series, "range": [_PATH_STYLE[p][1] for p in PATH_IDS]},
                "legend": None,
            },
            "detail": {"field": "series"},
        },
    }


def sector_bars(lang: str, *, height: int = 300) -> Spec:
    """Emissions by sector as stacked bars on a time axis (``bars``: ``{year, sector, value,
    order}``), in the main chart's colours, so a sector looks the same in every view and years
    are spaced as years (1990, 2000, 2005 are not evenly spaced)."""
    main = main_chart(lang)
    return {
        "$schema": main["$schema"],
        "usermeta": main["usermeta"],
        "width": "container",
        "height": height,
        "config": main["config"],
        "layer": [copy.deepcopy(main["layer"][0])],
    }


def main_chart(lang: str) -> Spec:
    """Stacked bars of emissions by sector (``bars``: ``{year, sector, value, order}``; nowcast
    years as one grey bar labelled "estimated") and lines (``lines``: ``{year, series, value}``)."""
    sectors = [t(f"site.sector.{s}", lang) for s in SECTORS]
    est = t("site.estimated", lang).capitalize()
    series = [t(f"site.path.{p}", lang) for p in PATH_IDS]
    bar_domain = [*sectors, est]
    bar_range = [*SECTOR_COLOURS[: len(sectors)], ESTIMATE_COLOUR]
    x_title = t("site.chart.year", lang)
    y_title = t("site.unit_kt_per_year", lang)
    spec: Spec = {
        "$schema": charts.VEGA_LITE_SCHEMA,
        "usermeta": {"lang": lang, "generator": "koldioxidbudget"},
        "width": "container",
        "height": 300,
        "config": charts._config(),
        "resolve": {"scale": {"color": "independent", "strokeDash": "independent"}},
        "layer": [
            {
                "data": {"name": "bars"},
                "transform": [
                    {
                        "stack": "value",
                        "groupby": ["year"],
                        "sort": [{"field": "order"}],
                        "as": ["v0", "v1"],
                    },
                    {"calculate": "datum.year - 0.4", "as": "x0"},
                    {"calculate": "datum.year + 0.4", "as": "x1"},
                ],
                "mark": {"type": "rect", "aria": False},
                "encoding": {
                    "x": {
                        "field": "x0",
                        "type": "quantitative",
                        "title": x_title,
                        "axis": {"format": "d", "tickMinStep": 1},
                        "scale": {"zero": False, "nice": False},
                    },
                    "x2": {"field": "x1"},
                    "y": {"field": "v0", "type": "quantitative", "title": y_title},
                    "y2": {"field": "v1"},
                    "color": {
                        "field": "sector",
                        "type": "nominal",
                        "title": None,
                        "scale": {"domain": bar_domain, "range": bar_range},
                        "legend": {"orient": "bottom", "columns": 3, "symbolType": "square"},
                    },
                    "tooltip": [
                        {"field": "year", "title": x_title},
                        {"field": "sector", "title": t("site.sectors.col_sector", lang)},
                        {"field": "value", "title": t("site.unit_kt", lang), "format": ",.1f"},
                    ],
                },
            },
            {
                "data": {"name": "lines"},
                "transform": [{"filter": {"field": "series", "equal": series[0]}}],
                "mark": {"type": "area", "opacity": 0.15, "color": "#117733", "aria": False},
                "encoding": {
                    "x": {"field": "year", "type": "quantitative"},
                    "y": {"field": "value", "type": "quantitative"},
                },
            },
            _line_layer(series, budget=True),
            _line_layer(series, budget=False),
            {
                "data": {"name": "lines"},
                "mark": {"type": "point", "aria": False, "opacity": 0, "size": 60},
                "encoding": {
                    "x": {"field": "year", "type": "quantitative"},
                    "y": {"field": "value", "type": "quantitative"},
                    "tooltip": [
                        {"field": "series", "title": t("site.chart.paths", lang)},
                        {"field": "year", "title": x_title},
                        {"field": "value", "title": t("site.unit_kt", lang), "format": ",.1f"},
                    ],
                },
            },
        ],
    }
    return spec


def chart_templates(
    lang: str, *, infeasible_rate: float, first_year: int, last_year: int
) -> dict[str, dict[str, Any]]:
    """Every chart the visualiser draws, for ``lang``: ``{kind: {spec, sources}}``.
    ``first_year``–``last_year`` is the span of the cumulative comparison."""
    ok, alert = t("site.chart.delay_ok", lang), t("site.chart.delay_alert", lang)
    within, over = t("site.chart.within", lang), t("site.chart.over", lang)
    pct = f"{infeasible_rate * 100:.0f}\u00a0%" if lang == "sv" else f"{infeasible_rate * 100:.0f}%"
    made: dict[str, Spec] = {
        "delay": charts.cost_of_delay(
            rows=[],
            x_title=t("site.chart.delay_chart_x", lang),
            y_title=t("site.chart.delay_chart_y", lang),
            threshold=infeasible_rate * 100,
            threshold_label=t("site.chart.delay_threshold", lang, rate=pct),
            description="",
            lang=lang,
            ok_label=ok,
            alert_label=alert,
        ),
        "sector_shares": charts.sector_shares(
            rows=[{}] * (len(SECTORS) - 1),
            x_title=t("site.chart.sectors_x", lang),
            description="",
            lang=lang,
        ),
        "per_capita": charts.per_capita(
            rows=[{}] * 3, x_title=t("site.chart.per_capita_x", lang), description="", lang=lang
        ),
        "budget_per_capita": charts.per_capita(
            rows=[{}] * 3, x_title=t("site.chart.per_capita_x", lang), description="", lang=lang
        ),
        "cumulative": charts.cumulative_vs_budget(
            rows=[{}] * 4,
            budget=0.0,
            budget_label=t("site.chart.cumulative_budget", lang),
            x_title=t("site.chart.cumulative_x", lang, **{"from": first_year, "to": last_year}),
            description="",
            lang=lang,
            within_label=within,
            over_label=over,
        ),
        "ledger": charts.ledger(
            rows=[],
            x_title=t("site.chart.year", lang),
            y_title=t("site.chart.ledger_y", lang),
            description="",
            lang=lang,
            series=[t("site.chart.ledger_emitted", lang), t("site.chart.ledger_planned", lang)],
        ),
    }
    out: dict[str, dict[str, Any]] = {}
    for kind, spec in made.items():
        spec.pop("description", None)
        spec["width"] = "container"
        tpl, names = templatise(spec)
        out[kind] = {"spec": tpl, "sources": names}
    main = main_chart(lang)
    out["main"] = {"spec": main, "sources": ["bars", "lines"]}
    out["sector_history"] = {"spec": sector_bars(lang), "sources": ["bars"]}
    return out
