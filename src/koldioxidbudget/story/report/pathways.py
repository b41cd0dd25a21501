"""Chapter 3, second half: budget pathway, cost of delay, sensitivity, targets."""

from __future__ import annotations

from typing import Any

from ... import charts
from ...method.figures import halving_years
from .. import fmt
from ..document import Block, BulletList
from .context import _REFERENCE_ORDER, DELAYS_SHOWN, _Ctx, _p, _strong
from .figures import _pathway_figure, _ref_label


def _sensitivity(c: _Ctx) -> list[Block]:
    r = c.r
    cells: dict[tuple[float, int], tuple[float, float, float]] = {}
    for run in c.sensitivity:
        try:
            i = run.index(r.code)
        except Exception:
            continue
        cells[(run.params.temperature_c, run.params.probability_pct)] = (
            float(run.budget_t[i]),
            float(run.remaining_t[i]),
            float(run.rate[i]),
        )
    if not cells:
        return [_p(c.t("local.sensitivity.none"))]
    temps = sorted({k[0] for k in cells})
    probs = sorted({k[1] for k in cells})
    header = (
        c.t("general.global.col_temperature"),
        *tuple(c.t("general.global.col_probability", probability=p) for p in probs),
    )

    def grid(idx: int, f: Any) -> list[list[str]]:
        out = []
        for temp in temps:
            row = [
                c.t(
                    "general.global.row_temperature",
                    temperature=fmt.number(temp, c.lang, decimals=1),
                )
            ]
            for p in probs:
                v = cells.get((temp, p))
                row.append(f(v[idx]) if v is not None else c.t("none"))
            out.append(row)
        return out

    align = ("left",) + ("right",) * len(probs)
    # one unit for the whole table: its rows are the same quantity for other cells
    unit = fmt.column_unit(v[0] for v in cells.values() if v[0] > 0)
    note = c.t("local.sensitivity.note")
    live = [v for v in cells.values() if v[1] > 0]
    n_spent = len(cells) - len(live)
    if live:
        lo = min(live, key=lambda v: v[2])
        hi = max(live, key=lambda v: v[2])
        range_text = c.t(
            "local.sensitivity.p2",
            low=c.pct(lo[2]),
            high=c.pct(hi[2]),
            headline=c.rate_of(r),
        )
    else:
        range_text = c.t("local.sensitivity.p2_all_spent")
    if n_spent and live:
        key = "local.sensitivity.p2_spent_one" if n_spent == 1 else "local.sensitivity.p2_spent"
        range_text += " " + c.t(key, n=c.words(n_spent))
    return [
        _p(c.t("local.sensitivity.p1", area=c.area)),
        _p(range_text),
        c.table(
            "sensitivity-budget",
            c.t("local.sensitivity.budget_caption", area=c.area, year=r.budget_from),
            header,
            grid(
                0,
                lambda x: (
                    fmt.tonnes_in(x, unit, c.lang) if x > 0 else c.t("local.sensitivity.no_budget")
                ),
            ),
            align=align,
            notes=(note,),
        ),
        c.table(
            "sensitivity-rate",
            c.t("local.sensitivity.rate_caption", area=c.area, year=r.remaining_as_of),
            header,
            [[row[0], *(x for x in row[1:])] for row in _rate_grid(c, temps, probs, cells)],
            align=align,
            notes=(note,),
        ),
    ]


def _rate_grid(
    c: _Ctx, temps: list[float], probs: list[int], cells: dict[tuple[float, int], Any]
) -> list[list[str]]:
    """The required cut per cell; a cell whose budget is spent says so instead of "100 %"."""
    out = []
    for temp in temps:
        row = [
            c.t("general.global.row_temperature", temperature=fmt.number(temp, c.lang, decimals=1))
        ]
        for p in probs:
            v = cells.get((temp, p))
            if v is None:
                row.append(c.t("none"))
            else:
                row.append(c.pct(v[2]) if v[1] > 0 else c.t("exhausted_short"))
        out.append(row)
    return out


def _pathway(c: _Ctx) -> list[Block]:
    r = c.r
    blocks: list[Block] = []
    if r.exhausted:
        blocks.append(
            _p(c.t("local.pathway.exhausted", area=c.area, over=c.tonnes(-r.remaining_t)))
        )
    else:
        blocks.append(
            _p(
                c.t(
                    "local.pathway.p1",
                    area=c.area,
                    remaining=c.tonnes(r.remaining_t),
                    year=r.remaining_as_of,
                    e0_sentence=c.e0_phrase(),
                    rate=c.pct(r.rate),
                    convention=r.rate_convention,
                )
            )
        )
        if r.near_zero_year is not None and r.linear_zero_year is not None:
            blocks.append(
                _p(
                    c.t(
                        "local.pathway.p2",
                        near_zero=c.year(r.near_zero_year),
                        linear=c.year(r.linear_zero_year),
                    )
                )
            )
    blocks.append(_p(c.t("local.pathway.p3")))
    blocks.append(
        BulletList(
            tuple(
                _p(_strong(_ref_label(c, k) + ": "), _ref_explain(c, k))
                for k in _REFERENCE_ORDER
                if k in r.references and k != "linear"  # the figure draws these, not "linear"
            )
        )
    )
    blocks.append(_pathway_figure(c))
    return blocks


def _delay(c: _Ctx) -> list[Block]:
    r = c.r
    cases = list(r.cost_of_delay[: DELAYS_SHOWN + 1])
    ok_label = c.t("local.delay.ok")
    alert_label = c.t("local.delay.alert")
    rows_chart = []
    for d in cases:
        label = str(d.start_year)
        value = 100.0 if d.exhausted else round(d.rate * 100, 2)
        rows_chart.append(
            {
                "label": label,
                "value": value,
                "text": c.t("exhausted_short") if d.exhausted else c.pct(d.rate),
                "status": alert_label if d.infeasible else ok_label,
            }
        )
    desc = c.t(
        "local.delay.alt",
        first=cases[0].start_year,
        last=cases[-1].start_year,
        values="; ".join(
            f"{d.start_year}: {c.t('exhausted_short') if d.exhausted else c.pct(d.rate)}"
            for d in cases
        ),
    )
    spec = charts.cost_of_delay(
        rows=rows_chart,
        x_title=c.t("axis.start_year"),
        y_title=c.t("axis.rate_pct"),
        threshold=round(c.p.infeasible_rate * 100, 2),
        threshold_label=c.t("local.delay.threshold", rate=c.pct(c.p.infeasible_rate, 0)),
        description=desc,
        lang=c.lang,
        ok_label=ok_label,
        alert_label=alert_label,
    )
    trows = []
    # one unit per column: not "1,96 Mt" above "539 kt"
    left = c.tonnes_column([d.remaining_t for d in r.cost_of_delay])
    extra = c.tonnes_column([d.extra_t for d in r.cost_of_delay])
    for d, left_t, extra_t in zip(r.cost_of_delay, left, extra, strict=True):
        trows.append(
            (
                str(d.start_year),
                str(d.delay_years),
                left_t,
                c.t("exhausted_short") if d.exhausted else c.pct(d.rate),
                c.year(d.near_zero_year) if d.near_zero_year is not None else c.t("none"),
                extra_t,
                c.t("no") if d.infeasible else c.t("yes"),
            )
        )
    chart_table = c.data_table(
        "delay-chart-table",
        c.t("local.delay.chart_table_caption"),
        (c.t("col.start_year"), c.t("col.rate")),
        [(str(r_["label"]), str(r_["text"])) for r_ in rows_chart],
        align=("left", "right"),
    )
    table = c.table(
        "delay-table",
        c.t("local.delay.table_caption", area=c.area),
        (
            c.t("col.start_year"),
            c.t("col.delay_years"),
            c.t("col.remaining_at_start"),
            c.t("col.rate"),
            c.t("col.near_zero"),
            c.t("col.extra"),
            c.t("col.feasible", rate=c.pct(c.p.infeasible_rate, 0)),
        ),
        trows,
        align=("left", "right", "right", "right", "right", "right", "left"),
    )
    blocks: list[Block] = [_p(c.t("local.delay.p1"))]
    if len(cases) > 1:
        last = cases[-1]
        spent_at = next((d for d in cases if d.exhausted), None)
        if r.exhausted:
            pass
        elif cases[1].exhausted:
            blocks.append(_p(c.t("summary.delay_spent_next", year=cases[1].start_year)))
        else:
            blocks.append(
                _p(
                    c.t(
                        "local.delay.p2_spent" if spent_at is not None else "local.delay.p2",
                        now=c.pct(r.rate),
                        year1=cases[1].start_year,
                        rate1=c.pct(cases[1].rate),
                        years=c.words(last.delay_years),
                        year_last=last.start_year,
                        rate_last=c.pct(last.rate),
                        year_spent=spent_at.start_year if spent_at is not None else "",
                        extra=c.tonnes(last.extra_t),
                    )
                )
            )
        first_bad = next((d for d in cases if d.infeasible), None)
        if first_bad is not None and first_bad.delay_years > 0:
            blocks.append(
                _p(
                    c.t(
                        "local.delay.p_infeasible",
                        year=first_bad.start_year,
                        limit=c.pct(c.p.infeasible_rate, 0),
                    )
                )
            )
        elif first_bad is None:
            blocks.append(_p(c.t("local.delay.p_feasible", years=c.words(last.delay_years))))
    blocks.append(
        c.figure(
            "delay",
            "cost_of_delay",
            c.t("local.delay.caption", area=c.area),
            desc,
            spec,
            chart_table,
        )
    )
    blocks.append(table)
    return blocks


_SYMBOL = {"mt": "Mt", "kt": "kt", "t": "t"}


def _amount_unit(peak_t: float) -> tuple[str, float, int]:
    """The unit, scale and decimals ``fmt.tonnes`` writes ``peak_t`` in (Mt from 1 Mt, kt from
    10 kt, else t): a chart of amounts labels its bars as the text names the same amounts."""
    if peak_t >= 1e6:
        return "mt", 1e6, 2
    if peak_t >= 1e4:
        return "kt", 1e3, 0
    return "t", 1.0, 0


def _targets(c: _Ctx) -> list[Block]:
    r = c.r
    horizon = c.p.horizon_year
    keys = [k for k in _REFERENCE_ORDER if k in r.cumulative_t and k != "linear"]
    within_label = c.t("local.targets.within")
    over_label = c.t("local.targets.over")
    budget = max(r.remaining_t, 0.0)
    # the chart speaks one unit (its axis, bar labels, budget label and data table), the one
    # the largest amount it shows is written in elsewhere in the text
    unit, scale, decimals = _amount_unit(
        max([abs(v) for k, v in r.cumulative_t.items() if k in keys] + [abs(r.remaining_t)])
    )

    def in_unit(v: float) -> str:
        return fmt.number(v / scale, c.lang, decimals=decimals)

    def with_unit(v: float) -> str:
        return f"{in_unit(v)}\u00a0{_SYMBOL[unit]}"

    # a spent budget: every path is over it (it was exceeded before the paths begin), and the
    # budget is named as spent, never as a negative amount
    budget_text = (
        c.t("local.targets.budget_spent", over=with_unit(-r.remaining_t))
        if r.exhausted
        else with_unit(r.remaining_t)
    )

    def status(v: float) -> str:
        return within_label if not r.exhausted and v <= budget * (1 + 1e-9) else over_label

    rows_chart = []
    for k in keys:
        v = r.cumulative_t[k]
        rows_chart.append(
            {
                "label": _ref_label(c, k),
                "value": round(v / scale, decimals + 2),
                "text": with_unit(v),
                "status": status(v),
            }
        )
    desc = c.t(
        "local.targets.alt",
        start=r.remaining_as_of,
        horizon=horizon,
        budget=budget_text,
        values="; ".join(f"{_ref_label(c, k)} {with_unit(r.cumulative_t[k])}" for k in keys),
    )
    spec = charts.cumulative_vs_budget(
        rows=rows_chart,
        budget=round(budget / scale, decimals + 2),
        budget_label=c.t("local.targets.budget_rule", budget=budget_text),
        x_title=c.t(
            "axis.cumulative", start=r.remaining_as_of, horizon=horizon, unit=c.t(f"unit.{unit}")
        ),
        description=desc,
        lang=c.lang,
        within_label=within_label,
        over_label=over_label,
    )
    trows = []
    cumulative = c.tonnes_column([r.cumulative_t[k] for k in keys])
    for k, cum in zip(keys, cumulative, strict=True):
        v = r.cumulative_t[k]
        trows.append(
            (
                _ref_label(c, k),
                cum,
                c.pct(v / r.remaining_t, 0) if r.remaining_t > 0 else c.t("none"),
                status(v),
            )
        )
    chart_table = c.data_table(
        "targets-chart-table",
        c.t("local.targets.chart_table_caption", unit=c.t(f"unit.{unit}")),
        (c.t("col.path"), c.t("col.cumulative_unit", unit=c.t(f"unit.{unit}"))),
        [
            (str(row["label"]), in_unit(r.cumulative_t[k]))
            for row, k in zip(rows_chart, keys, strict=True)
        ],
        align=("left", "right"),
    )
    table = c.table(
        "targets-table",
        c.t("local.targets.table_caption", start=r.remaining_as_of, horizon=horizon),
        (c.t("col.path"), c.t("col.cumulative"), c.t("col.share_of_budget"), c.t("col.verdict")),
        trows,
        align=("left", "right", "right", "left"),
    )
    blocks: list[Block] = [_p(c.t("local.targets.p1", horizon=horizon))]
    tc = r.target_check
    if tc is not None:
        targets = "; ".join(
            c.t(
                "local.targets.target_item",
                year=tg.year,
                reduction=c.pct(tg.reduction, 0),
                base=tg.base_year,
            )
            for tg in c.p.local_targets
        )
        key = "local.targets.local_within" if tc.within_budget else "local.targets.local_over"
        blocks.append(
            _p(
                c.t(
                    key,
                    targets=targets,
                    cumulative=c.tonnes(tc.cumulative_t),
                    budget=c.tonnes(tc.budget_t),
                    ratio=c.pct(tc.ratio, 0),
                    overshoot=c.tonnes(tc.overshoot_t),
                    horizon=horizon,
                )
            )
        )
    else:
        blocks.append(_p(c.t("local.targets.no_local", area=c.area)))
    if "sweden-targets" in r.cumulative_t and r.remaining_t > 0:
        v = r.cumulative_t["sweden-targets"]
        key = "local.targets.sweden_within" if v <= r.remaining_t else "local.targets.sweden_over"
        blocks.append(
            _p(c.t(key, cumulative=c.tonnes(v), ratio=c.pct(v / r.remaining_t, 0), horizon=horizon))
        )
    blocks.append(
        c.figure(
            "targets",
            "cumulative_vs_budget",
            c.t("local.targets.caption", start=r.remaining_as_of, horizon=horizon),
            desc,
            spec,
            chart_table,
        )
    )
    blocks.append(table)
    return blocks


def _ref_explain(c: _Ctx, key: str) -> str:
    if key == "carbon-law":
        half = halving_years(c.p.carbon_law_rate)
        return c.t(
            "ref_explain.carbon-law",
            rate=c.pct(c.p.carbon_law_rate, 2),
            half=c.num(half, 1) if half is not None else c.t("none"),
        )
    if key == "budget" and c.r.exhausted:  # nothing left to use "exactly"
        return c.t("ref_explain.budget_spent")
    return c.t(f"ref_explain.{key}")
