"""The report's charts: spec, caption, text alternative and data table together."""

from __future__ import annotations

from typing import Any

from ... import charts
from ..document import Block, Figure
from .context import _REFERENCE_ORDER, PATHWAY_FROM, _Ctx, _p

__all__ = ["TREND_AHEAD"]


def _global_emissions_figure(c: _Ctx) -> list[Block]:
    if c.tables is None or c.tables.global_emissions.empty:
        return []
    ge = c.tables.global_emissions.sort_values("year")
    ge = ge[ge["year"] >= 1990]
    if ge.empty:
        return []
    fossil = c.t("general.cumulative.series_fossil")
    luc = c.t("general.cumulative.series_luc")
    rows: list[dict[str, Any]] = []
    trows = []
    for y, f, lu in zip(ge["year"], ge["world_fossil_mt"], ge["world_luc_mt"], strict=True):
        rows.append(
            {"year": int(y), "sector": fossil, "value": round(float(f) / 1000, 3), "order": 0}
        )
        rows.append(
            {"year": int(y), "sector": luc, "value": round(float(lu) / 1000, 3), "order": 1}
        )
        trows.append(
            (
                str(int(y)),
                c.num(float(f) / 1000, 1),
                c.num(float(lu) / 1000, 1),
                c.num((float(f) + float(lu)) / 1000, 1),
            )
        )
    first, last = int(ge["year"].iloc[0]), int(ge["year"].iloc[-1])
    tot_last = (float(ge["world_fossil_mt"].iloc[-1]) + float(ge["world_luc_mt"].iloc[-1])) / 1000
    desc = c.t(
        "general.cumulative.alt",
        first=first,
        last=last,
        total=c.num(tot_last, 1),
        sum=c.num(float(ge["world_fossil_mt"].sum() + ge["world_luc_mt"].sum()) / 1000, 0),
    )
    spec = charts.emissions_by_sector(
        rows=rows,
        sectors=[fossil, luc],
        x_title=c.t("axis.year"),
        y_title=c.t("axis.gt"),
        description=desc,
        lang=c.lang,
    )
    table = c.data_table(
        "global-emissions-table",
        c.t("general.cumulative.table_caption", first=first, last=last),
        (c.t("col.year"), fossil, luc, c.t("col.total")),
        trows,
        align=("left", "right", "right", "right"),
        compact=True,
    )
    return [
        _p(c.t("general.cumulative.p4", last=last, total=c.num(tot_last, 1))),
        c.figure(
            "global-emissions",
            "emissions_by_sector",
            c.t("general.cumulative.caption", first=first, last=last),
            desc,
            spec,
            table,
            source=c.t("source_gcp"),
        ),
    ]


def _alt_emissions(
    c: _Ctx,
    first: int,
    last: int,
    total: dict[int, float],
    present: list[str],
    sec_vals: dict[str, dict[int, float]],
) -> str:
    top = sorted(present, key=lambda s: -sec_vals[s][last])[:3]
    return c.t(
        "local.emissions.alt",
        area=c.area,
        first=first,
        last=last,
        **c.first_last(total[first], total[last]),
        sectors=c.join([c.sector_in_text(s) for s in top]) or c.t("none"),
    )


#: Years the trend chart looks ahead of "now".
TREND_AHEAD = 10


def _trend_figure(c: _Ctx) -> Figure:
    r = c.r
    keys: list[str] = [k for k in ("trend-ols", "trend-lad") if k in r.references] or ["trend"]
    hist_label = c.t("series.history")
    est_label = c.t("series.estimate")
    end = r.remaining_as_of + TREND_AHEAD
    hist = [(y, v, e) for y, v, e in r.history if y >= PATHWAY_FROM]
    history: list[dict[str, Any]] = []
    measured = [(y, v) for y, v, e in hist if not e]
    for y, v in measured:
        history.append({"year": y, "value": c.chart_value(v), "series": hist_label})
    est = [(y, v) for y, v, e in hist if e]
    if est and measured:
        history.append(
            {"year": measured[-1][0], "value": c.chart_value(measured[-1][1]), "series": est_label}
        )
        history += [{"year": y, "value": c.chart_value(v), "series": est_label} for y, v in est]
    labels = {k: c.t(f"ref.{k}") for k in keys}
    paths = [
        {"year": y, "value": c.chart_value(v), "series": labels[k]}
        for k in keys
        for y, v in r.references[k]
        if y <= end
    ]
    desc = c.t(
        "local.trend.alt",
        area=c.area,
        first=c.p.trend_from,
        last=r.last_data_year,
        slope=c.tonnes(abs(r.trend_slope_t)),
        direction=c.t("local.trend.down" if r.trend_slope_t < 0 else "local.trend.up"),
        end=end,
    )
    spec = _pathway_spec(c, history, paths, [labels[k] for k in keys], desc, hist_label, est_label)
    vals = {k: dict(r.references[k]) for k in keys}
    rows, marked = _path_rows(
        c, hist, vals, keys, range(r.remaining_as_of, end + 1), paths_in_history=False
    )
    table = c.data_table(
        "trend-table",
        c.t("local.trend.data_caption", area=c.area, unit=c.unit_label()),
        (c.t("col.year"), c.t("col.emissions_history"), *[labels[k] for k in keys]),
        rows,
        align=("left",) + ("right",) * (len(keys) + 1),
        marked_rows=marked,
        compact=True,
    )
    return c.figure(
        "trend",
        "pathway",
        c.t("local.trend.caption", area=c.area, first=c.p.trend_from, last=r.last_data_year),
        desc,
        spec,
        table,
    )


def _path_rows(
    c: _Ctx,
    hist: Any,
    vals: dict[str, dict[int, float]],
    keys: list[str],
    future: Any,
    *,
    paths_in_history: bool,
) -> tuple[list[tuple[str, ...]], list[int]]:
    """A path figure's table: one row per year, the history (estimated years marked) and then
    each path; the rows of estimated years are returned as ``marked``."""

    def paths(y: int) -> list[str]:
        return [c.in_unit(vals[k][y]) if y in vals[k] else c.t("none") for k in keys]

    rows: list[tuple[str, ...]] = []
    marked: list[int] = []
    for y, v, e in hist:
        if e:
            marked.append(len(rows))
        label = c.t("col.year_estimated", year=y) if e else str(y)
        rest = paths(y) if paths_in_history else [c.t("none")] * len(keys)
        rows.append((label, c.in_unit(v), *rest))
    rows += [(str(y), c.t("none"), *paths(y)) for y in future]
    return rows, marked


def _pathway_spec(
    c: _Ctx,
    history: Any,
    paths: Any,
    series: list[str],
    desc: str,
    hist_label: str,
    est_label: str,
    *,
    budget_series: str = "",
) -> Any:
    """The emissions-and-pathways chart in the report's unit and language (the trend figure
    and the pathway figures differ only in their paths and which one is the budget's)."""
    return charts.pathway(
        history=history,
        paths=paths,
        series=series,
        x_title=c.t("axis.year"),
        y_title=c.t("axis.emissions", unit=c.unit_label()),
        description=desc,
        lang=c.lang,
        budget_series=budget_series,
        history_series=hist_label,
        estimate_series=est_label,
    )


def _ref_label(c: _Ctx, key: str) -> str:
    if key == "budget":
        # a spent budget has no rate to show ("−100,0 %/år"): its pathway is zero at once
        return c.t("ref.budget_spent") if c.r.exhausted else c.t("ref.budget", rate=c.pct(c.r.rate))
    if key == "carbon-law":
        return c.t("ref.carbon-law", rate=c.pct(c.p.carbon_law_rate, 2), year=c.p.carbon_law_from)
    return c.t(f"ref.{key}")


def _pathway_figure(c: _Ctx, *, summary: bool = False) -> Figure:
    r = c.r
    horizon = c.p.horizon_year
    keys = (
        ["budget", "no-reduction"]
        if summary
        else [k for k in _REFERENCE_ORDER if k in r.references and k != "linear"]
    )
    hist_label = c.t("series.history")
    est_label = c.t("series.estimate")
    first = PATHWAY_FROM if not summary else max(PATHWAY_FROM, r.last_data_year - 12)
    hist = [(y, v, e) for y, v, e in r.history if y >= first]
    history: list[dict[str, Any]] = []
    measured = [(y, v) for y, v, e in hist if not e]
    for y, v in measured:
        history.append({"year": y, "value": c.chart_value(v), "series": hist_label})
    est = [(y, v) for y, v, e in hist if e]
    if est and measured:
        # the estimate line starts from the last measured point so the two lines join
        ly, lv = measured[-1]
        history.append({"year": ly, "value": c.chart_value(lv), "series": est_label})
        for y, v in est:
            history.append({"year": y, "value": c.chart_value(v), "series": est_label})
    labels = {k: _ref_label(c, k) for k in keys}
    paths: list[dict[str, Any]] = []
    for k in keys:
        for y, v in r.references[k]:
            if y <= horizon:
                paths.append({"year": y, "value": c.chart_value(v), "series": labels[k]})
    parts = [
        c.t("local.pathway.alt_lead", area=c.area, first=first, horizon=horizon),
        c.e0_phrase(),
    ]
    if r.exhausted:
        parts.append(c.t("local.pathway.alt_spent", over=c.tonnes(-r.remaining_t)))
    else:
        parts.append(
            c.t(
                "local.pathway.alt_budget"
                if r.near_zero_year is not None
                else "local.pathway.alt_budget_short",
                rate=c.pct(r.rate),
                remaining=c.tonnes(r.remaining_t),
                start=r.remaining_as_of,
                near_zero=c.year(r.near_zero_year),
            )
        )
    # the other pathways by their legend names, quoted: "banorna ”Ingen minskning” och …"
    others = [c.t("local.pathway.quoted", text=labels[k]) for k in keys if k != "budget"]
    if others:
        key = "local.pathway.alt_compare_one" if len(others) == 1 else "local.pathway.alt_compare"
        parts.append(c.t(key, paths=c.join(others)))
    desc = " ".join(parts)
    spec = _pathway_spec(
        c,
        history,
        paths,
        [labels[k] for k in keys],
        desc,
        hist_label,
        est_label,
        budget_series=labels["budget"],
    )
    # the table: one row per year, history then every path
    ref_vals = {k: dict(r.references[k]) for k in keys}
    header = (c.t("col.year"), c.t("col.emissions_history"), *[labels[k] for k in keys])
    step = 1 if not summary else 5
    future = [
        y
        for y in range(r.remaining_as_of, horizon + 1)
        if not (y - r.remaining_as_of) % step or y == horizon
    ]
    rows, marked = _path_rows(c, hist, ref_vals, keys, future, paths_in_history=True)
    table = c.data_table(
        "summary-pathway-table" if summary else "pathway-table",
        c.t("local.pathway.table_caption", area=c.area, unit=c.unit_label()),
        header,
        rows,
        align=("left",) + ("right",) * (len(keys) + 1),
        marked_rows=marked,
        notes=(c.t("local.emissions.table_note"),) if marked else (),
        compact=True,
    )
    return c.figure(
        "summary-pathway" if summary else "pathway",
        "pathway",
        c.t(
            ("summary.figure_caption_spent" if c.r.exhausted else "summary.figure_caption")
            if summary
            else "local.pathway.caption",
            area=c.area,
            horizon=horizon,
        ),
        desc,
        spec,
        table,
    )
