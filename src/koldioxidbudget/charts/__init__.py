"""Vega-Lite chart specs, one function per chart kind, as plain dicts with their data inline.

The same spec is rendered to SVG for print (``render.svg`` through vl-convert) and lives in the
browser (vega-embed) for the visualiser, so each is self-contained: ``$schema``, ``description``
(the text alternative, in the document's language), inline ``data.values`` and a ``config`` with
the one font family and a colour-blind-safe palette (Paul Tol's "muted" scheme; series that are
lines also differ by dash pattern, so nothing depends on colour alone). Vega's own English ARIA
text is switched off (``"aria": false`` on marks and axes); the caller gives the text
alternative and a data table beside the chart.

The functions compute nothing: every value and every label arrives ready from the document
builder (``story.report``), already in the chart's unit.
"""

from __future__ import annotations

from typing import Any

from ..fonts import CSS_FAMILY

__all__ = [
    "FONT_FAMILY",
    "LINE_PALETTE",
    "PALETTE",
    "VEGA_LITE_SCHEMA",
    "cost_of_delay",
    "cumulative_vs_budget",
    "emissions_by_sector",
    "ledger",
    "pathway",
    "per_capita",
    "sector_history",
    "sector_shares",
]

VEGA_LITE_SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"
#: Source Sans 3 quoted: Vega writes the family into CSS font strings (the browser's canvas), where
#: an unquoted name whose last word is a number is invalid and the text would be measured with
#: another font
FONT_FAMILY = CSS_FAMILY

#: Paul Tol's "muted" qualitative scheme (colour-blind safe), then a neutral grey.
PALETTE: tuple[str, ...] = (
    "#332288",
    "#88CCEE",
    "#44AA99",
    "#117733",
    "#999933",
    "#DDCC77",
    "#CC6677",
    "#882255",
    "#AA4499",
    "#BBBBBB",
)
#: Lines need more contrast against white than areas: the darker half of the scheme.
LINE_PALETTE: tuple[str, ...] = ("#CC6677", "#332288", "#AA4499", "#999933", "#882255", "#44AA99")
INK = "#1a1a1a"
MUTED = "#5c5c5c"
ALERT = "#882255"
OK = "#117733"
BUDGET = "#117733"

_DASHES = ([1, 0], [6, 3], [2, 2], [8, 3, 2, 3], [1, 3], [10, 4], [4, 2, 1, 2])

Spec = dict[str, Any]


def _config() -> dict[str, Any]:
    return {
        "font": FONT_FAMILY,
        "background": "white",
        "view": {"stroke": None},
        "axis": {
            "labelFont": FONT_FAMILY,
            "titleFont": FONT_FAMILY,
            "labelFontSize": 11,
            "titleFontSize": 11,
            "titleFontWeight": "normal",
            "labelColor": INK,
            "titleColor": INK,
            "gridColor": "#e3e3e3",
            "domainColor": MUTED,
            "tickColor": MUTED,
            "aria": False,
        },
        "legend": {
            "labelFont": FONT_FAMILY,
            "titleFont": FONT_FAMILY,
            "labelFontSize": 11,
            "titleFontSize": 11,
            "labelColor": INK,
            "titleColor": INK,
            "orient": "bottom",
            "direction": "horizontal",
            "columns": 3,
            "symbolType": "square",
            "labelLimit": 260,
            "aria": False,
        },
        "title": {"font": FONT_FAMILY, "color": INK},
        "text": {"font": FONT_FAMILY},
        "mark": {"aria": False},
        "range": {"category": list(PALETTE)},
    }


def _base(
    *, description: str, lang: str, width: int = 460, height: int = 230, data: list[dict[str, Any]]
) -> Spec:
    return {
        "$schema": VEGA_LITE_SCHEMA,
        "description": description,
        "usermeta": {"lang": lang, "generator": "koldioxidbudget"},
        "width": width,
        "height": height,
        "config": _config(),
        "data": {"values": data},
    }


#: A year's bar spans most of its year on a time axis (``x0``..``x1``), so years are spaced as
#: years: 1990, 2000, 2005, 2010 are not drawn side by side as if they were consecutive.
_YEAR_SPAN: tuple[dict[str, str], ...] = (
    {"calculate": "datum.year - 0.4", "as": "x0"},
    {"calculate": "datum.year + 0.4", "as": "x1"},
)


def _year_x(title: str, rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The x and x2 encodings of bars on a time axis of years (``_YEAR_SPAN``), a tick every
    five years."""
    years = [int(r["year"]) for r in rows if r.get("year") is not None]
    ticks = [y for y in range(min(years), max(years) + 1) if y % 5 == 0] if years else []
    return {
        "x": {
            "field": "x0",
            "type": "quantitative",
            "title": title,
            "axis": {"format": "d", "labelAngle": 0, **({"values": ticks} if ticks else {})},
            "scale": {"zero": False, "nice": False},
        },
        "x2": {"field": "x1"},
    }


def emissions_by_sector(
    *,
    rows: list[dict[str, Any]],
    sectors: list[str],
    x_title: str,
    y_title: str,
    description: str,
    lang: str,
    estimate_label: str | None = None,
) -> Spec:
    """Stacked bars per year by sector. ``rows``: ``{year, sector, value, order}`` (sector =
    label); nowcast years come as one bar with ``sector == estimate_label``."""
    domain = [*sectors] + ([estimate_label] if estimate_label else [])
    colours = [PALETTE[i % (len(PALETTE) - 1)] for i in range(len(sectors))]
    if estimate_label:
        colours.append("#BBBBBB")
    spec = _base(description=description, lang=lang, data=rows, height=250)
    spec["transform"] = [
        {"stack": "value", "groupby": ["year"], "sort": [{"field": "order"}], "as": ["v0", "v1"]},
        *(dict(t) for t in _YEAR_SPAN),
    ]
    spec["mark"] = {"type": "rect", "aria": False, "stroke": "white", "strokeWidth": 0.3}
    spec["encoding"] = {
        **_year_x(x_title, rows),
        "y": {"field": "v0", "type": "quantitative", "title": y_title},
        "y2": {"field": "v1"},
        "color": {
            "field": "sector",
            "type": "nominal",
            "title": None,
            "scale": {"domain": domain, "range": colours},
        },
        "order": {"field": "order", "type": "quantitative"},
    }
    return spec


def _labelled_bars(
    rows: list[dict[str, Any]], *, x_title: str, colour: dict[str, Any], description: str, lang: str
) -> Spec:
    """Horizontal bars, one per ``label`` in the rows' order, with their ``text`` at the end:
    the shape of ``per_capita`` and ``cumulative``; ``colour`` is the bars' colour encoding."""
    spec = _base(description=description, lang=lang, data=rows, height=26 * max(1, len(rows)))
    spec["layer"] = [
        {
            "mark": {"type": "bar", "aria": False},
            "encoding": {
                "y": {
                    "field": "label",
                    "type": "nominal",
                    "title": None,
                    "sort": None,
                    "axis": {"labelLimit": 300},
                },
                "x": {"field": "value", "type": "quantitative", "title": x_title},
                "color": colour,
            },
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 4, "aria": False, "color": INK},
            "encoding": {
                "y": {"field": "label", "type": "nominal", "sort": None},
                "x": {"field": "value", "type": "quantitative"},
                "text": {"field": "text", "type": "nominal"},
            },
        },
    ]
    return spec


def per_capita(*, rows: list[dict[str, Any]], x_title: str, description: str, lang: str) -> Spec:
    """Horizontal bars: ``{label, value, highlight}`` (the report's area highlighted)."""
    colour = {
        "field": "highlight",
        "type": "nominal",
        "legend": None,
        "scale": {"domain": [True, False], "range": [PALETTE[0], "#88CCEE"]},
    }
    return _labelled_bars(rows, x_title=x_title, colour=colour, description=description, lang=lang)


def pathway(
    *,
    history: list[dict[str, Any]],
    paths: list[dict[str, Any]],
    series: list[str],
    x_title: str,
    y_title: str,
    description: str,
    lang: str,
    budget_series: str,
    history_series: str,
    estimate_series: str,
) -> Spec:
    """Emissions so far and the paths ahead: ``history`` ``{year, value, series}`` (measured and
    estimated), ``paths`` ``{year, value, series}`` for the budget pathway and the references.
    The budget pathway is drawn as a filled area (its area is the remaining budget)."""
    domain = [history_series, estimate_series, *series]
    colours = [INK, MUTED] + [
        BUDGET if s == budget_series else LINE_PALETTE[i % len(LINE_PALETTE)]
        for i, s in enumerate(series)
    ]
    dashes = [[1, 0], [3, 2]] + [
        [1, 0] if s == budget_series else _DASHES[(i % (len(_DASHES) - 1)) + 1]
        for i, s in enumerate(series)
    ]
    data = history + paths
    spec = _base(description=description, lang=lang, data=data, height=260)
    x = {"field": "year", "type": "quantitative", "title": x_title, "axis": {"format": "d"}}
    spec["layer"] = [
        {
            "transform": [{"filter": {"field": "series", "equal": budget_series}}],
            "mark": {"type": "area", "opacity": 0.18, "color": BUDGET, "aria": False},
            "encoding": {"x": x, "y": {"field": "value", "type": "quantitative"}},
        },
        {
            "mark": {"type": "line", "strokeWidth": 2, "aria": False},
            "encoding": {
                "x": x,
                "y": {"field": "value", "type": "quantitative", "title": y_title},
                "color": {
                    "field": "series",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": domain, "range": colours},
                    "legend": {"symbolType": "stroke", "symbolStrokeWidth": 2.5},
                },
                "strokeDash": {
                    "field": "series",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": domain, "range": dashes},
                    "legend": {"symbolType": "stroke", "symbolStrokeWidth": 2.5},
                },
                "detail": {"field": "series"},
            },
        },
    ]
    return spec


def cost_of_delay(
    *,
    rows: list[dict[str, Any]],
    x_title: str,
    y_title: str,
    threshold: float,
    threshold_label: str,
    description: str,
    lang: str,
    ok_label: str,
    alert_label: str,
) -> Spec:
    """Bars of the required annual cut (per cent) for each start year: ``{label, value, text,
    status}`` with ``status`` ``ok_label`` or ``alert_label``; a rule at ``threshold``."""
    spec = _base(description=description, lang=lang, data=rows, height=220)
    spec["layer"] = [
        {
            "mark": {"type": "bar", "aria": False},
            "encoding": {
                "x": {"field": "label", "type": "ordinal", "title": x_title, "sort": None},
                "y": {"field": "value", "type": "quantitative", "title": y_title},
                "color": {
                    "field": "status",
                    "type": "nominal",
                    "title": None,
                    "scale": {"domain": [ok_label, alert_label], "range": [PALETTE[0], ALERT]},
                },
            },
        },
        {
            "mark": {"type": "text", "dy": -6, "aria": False, "color": INK},
            "encoding": {
                "x": {"field": "label", "type": "ordinal", "sort": None},
                "y": {"field": "value", "type": "quantitative"},
                "text": {"field": "text", "type": "nominal"},
            },
        },
        {
            "data": {"values": [{"value": threshold, "text": threshold_label}]},
            "layer": [
                {
                    "mark": {"type": "rule", "strokeDash": [4, 3], "color": MUTED, "aria": False},
                    "encoding": {"y": {"field": "value", "type": "quantitative"}},
                },
                {
                    # right of the plot, level with the rule: never on a bar's own label
                    "mark": {
                        "type": "text",
                        "align": "left",
                        "baseline": "middle",
                        "dx": 4,
                        "x": {"expr": "width"},
                        "color": MUTED,
                        "aria": False,
                    },
                    "encoding": {
                        "y": {"field": "value", "type": "quantitative"},
                        "text": {"field": "text"},
                    },
                },
            ],
        },
    ]
    return spec


def sector_history(
    *, rows: list[dict[str, Any]], x_title: str, y_title: str, description: str, lang: str
) -> Spec:
    """One sector's emissions per data year: ``{year, value}``."""
    spec = _base(description=description, lang=lang, data=rows, height=150, width=440)
    spec["transform"] = [dict(t) for t in _YEAR_SPAN]
    spec["mark"] = {"type": "rect", "color": PALETTE[0], "aria": False}
    spec["encoding"] = {
        **_year_x(x_title, rows),
        "y": {"field": "value", "type": "quantitative", "title": y_title},
        "y2": {"datum": 0},
    }
    return spec


def sector_shares(*, rows: list[dict[str, Any]], x_title: str, description: str, lang: str) -> Spec:
    """Horizontal bars of each sector's share (per cent): ``{label, value, text}``."""
    spec = _base(description=description, lang=lang, data=rows, height=22 * max(1, len(rows)))
    spec["layer"] = [
        {
            "mark": {"type": "bar", "color": PALETTE[0], "aria": False},
            "encoding": {
                "y": {
                    "field": "label",
                    "type": "nominal",
                    "title": None,
                    "sort": None,
                    "axis": {"labelLimit": 300},
                },
                "x": {"field": "value", "type": "quantitative", "title": x_title},
            },
        },
        {
            "mark": {"type": "text", "align": "left", "dx": 4, "aria": False, "color": INK},
            "encoding": {
                "y": {"field": "label", "type": "nominal", "sort": None},
                "x": {"field": "value", "type": "quantitative"},
                "text": {"field": "text", "type": "nominal"},
            },
        },
    ]
    return spec


def cumulative_vs_budget(
    *,
    rows: list[dict[str, Any]],
    budget: float,
    budget_label: str,
    x_title: str,
    description: str,
    lang: str,
    within_label: str,
    over_label: str,
) -> Spec:
    """Cumulative emissions of each path against the remaining budget (a rule):
    ``{label, value, text, status}``."""
    colour = {
        "field": "status",
        "type": "nominal",
        "title": None,
        "scale": {"domain": [within_label, over_label], "range": [PALETTE[2], ALERT]},
    }
    spec = _labelled_bars(rows, x_title=x_title, colour=colour, description=description, lang=lang)
    bars, labels = spec["layer"]
    peak = max([float(r.get("value") or 0.0) for r in rows] + [budget, 0.0])
    # the rule's label sits above the plot, where no bar or bar label is, on the side of the
    # rule that has room for it
    right = peak > 0 and budget > 0.6 * peak
    # each bar's label over a white halo, so the rule never runs through its digits
    halo = {
        **labels,
        "mark": {
            **labels["mark"],
            "color": "white",
            "stroke": "white",
            "strokeWidth": 4,
            "strokeJoin": "round",
        },
    }
    spec["layer"] = [
        bars,
        {
            "data": {"values": [{"value": budget, "text": budget_label}]},
            "layer": [
                {
                    "mark": {"type": "rule", "color": INK, "strokeWidth": 2, "aria": False},
                    "encoding": {"x": {"field": "value", "type": "quantitative"}},
                },
                {
                    "mark": {
                        "type": "text",
                        "align": "right" if right else "left",
                        "baseline": "bottom",
                        "dx": -3 if right else 3,
                        "y": -4,
                        "color": INK,
                        "fontWeight": "bold",
                        "aria": False,
                    },
                    "encoding": {
                        "x": {"field": "value", "type": "quantitative"},
                        "text": {"field": "text"},
                    },
                },
            ],
        },
        halo,
        labels,
    ]
    return spec


def ledger(
    *,
    rows: list[dict[str, Any]],
    x_title: str,
    y_title: str,
    description: str,
    lang: str,
    series: list[str],
) -> Spec:
    """Emitted against the adopted path per year: ``{year, series, value}`` (grouped bars)."""
    spec = _base(description=description, lang=lang, data=rows, height=180, width=360)
    spec["mark"] = {"type": "bar", "aria": False}
    spec["encoding"] = {
        "x": {"field": "year", "type": "ordinal", "title": x_title, "axis": {"labelAngle": 0}},
        "xOffset": {"field": "series", "sort": series},
        "y": {"field": "value", "type": "quantitative", "title": y_title},
        "color": {
            "field": "series",
            "type": "nominal",
            "title": None,
            "scale": {"domain": series, "range": [PALETTE[0], PALETTE[2]]},
        },
    }
    return spec
