"""Chapter 7: follow-up (ledger, annual ceilings, indicators per sector, what changed)."""

from __future__ import annotations

from typing import Any

from ... import charts
from ...method.figures import annual_ceilings
from .. import fmt
from ..document import Block, BulletList, Section
from ..insights import Insights
from .context import _Ctx, _p, _strong
from .sectors import chosen_sectors

__all__ = ["CEILING_YEARS", "INDICATORS"]

#: What shows a sector's direction before its emissions are published: catalogue ids under
#: ``indicators.<sector>`` (``<id>`` the indicator, ``<id>_source`` where it is published).
INDICATORS: dict[str, tuple[str, ...]] = {
    "transporter": ("ev_share", "transit", "fleet"),
    "el-och-fjarrvarme": ("fossil_share", "plastic"),
    "arbetsmaskiner": ("procurement", "own"),
    "egen-uppvarmning": ("oil", "public"),
    "industri": ("ets", "plans"),
    "jordbruk": ("farming", "biogas"),
    "avfall": ("food", "waste"),
    "produktanvandning": ("purchases",),
}


def _follow_up(c: _Ctx, ins: Insights) -> Section:
    r = c.r
    blocks: list[Block] = [_p(c.t("follow.intro"))]
    rows = list(r.ledger)
    if rows:
        adopted = c.run.adopted.edition if c.run.adopted is not None else r.edition
        if adopted != r.edition:
            blocks.append(_p(c.t("follow.adopted_other", year=r.budget_from)))
        else:
            blocks.append(_p(c.t("follow.adopted", year=r.budget_from)))
        trows = []
        marked = []
        # one unit per column (the column's largest value decides)
        # (the deviations are differences: an overshoot reads "+7,72 Mt")
        cols = [
            c.tonnes_column([getattr(row, f) for row in rows], signed=f.endswith("variance_t"))
            for f in (
                "opening_t",
                "emitted_t",
                "closing_t",
                "planned_t",
                "variance_t",
                "cumulative_variance_t",
            )
        ]
        for i, row in enumerate(rows):
            if row.estimated:
                marked.append(i)
            trows.append(
                (
                    c.t("col.year_estimated", year=row.year) if row.estimated else str(row.year),
                    *(col[i] for col in cols),
                    c.t("yes")
                    if row.on_track
                    else c.t("no")
                    if row.on_track is not None
                    else c.t("none"),
                )
            )
        table = c.table(
            "ledger-table",
            c.t("follow.table_caption", area=c.area),
            (
                c.t("col.year"),
                c.t("col.opening"),
                c.t("col.emitted"),
                c.t("col.closing"),
                c.t("col.planned"),
                c.t("col.variance"),
                c.t("col.cumulative_variance"),
                c.t("col.on_track"),
            ),
            trows,
            align=("left",) + ("right",) * 6 + ("left",),
            marked_rows=marked,
            notes=(c.t("local.emissions.table_note"),) if marked else (),
        )
        last = rows[-1]
        if last.on_track is not None and last.cumulative_variance_t is not None:
            key = "follow.on_track" if last.on_track else "follow.off_track"
            if last.closing_t <= 0:  # the budget ran out inside the ledger: "over by", not "−…"
                key = "follow.off_track_spent"
            # the paragraph compares the two: one unit ("9,7 kt över banan … 46 kt")
            variance, closing, over = c.tonnes_alike(
                abs(last.cumulative_variance_t), last.closing_t, -last.closing_t
            )
            blocks.append(
                _p(
                    c.t(
                        key,
                        year=last.year,
                        variance=variance,
                        closing=closing,
                        over=over,
                    )
                )
            )
        series = [c.t("follow.series_emitted"), c.t("follow.series_planned")]
        crows: list[dict[str, Any]] = []
        for row in rows:
            crows.append(
                {"year": row.year, "series": series[0], "value": c.chart_value(row.emitted_t)}
            )
            if row.planned_t is not None:
                crows.append(
                    {"year": row.year, "series": series[1], "value": c.chart_value(row.planned_t)}
                )
        desc = c.t(
            "follow.alt",
            values="; ".join(
                c.t(
                    "follow.alt_item",
                    year=row.year,
                    emitted=c.tonnes(row.emitted_t),
                    planned=c.tonnes(row.planned_t) if row.planned_t is not None else c.t("none"),
                )
                for row in rows
            ),
        )
        spec = charts.ledger(
            rows=crows,
            x_title=c.t("axis.year"),
            y_title=c.t("axis.emissions", unit=c.unit_label()),
            description=desc,
            lang=c.lang,
            series=series,
        )
        chart_table = c.data_table(
            "ledger-chart-table",
            c.t("follow.chart_table_caption", unit=c.unit_label()),
            (c.t("col.year"), series[0], series[1]),
            [
                (
                    str(row.year),
                    c.in_unit(row.emitted_t),
                    c.in_unit(row.planned_t) if row.planned_t is not None else c.t("none"),
                )
                for row in rows
            ],
            align=("left", "right", "right"),
        )
        blocks.append(table)
        blocks.append(_p(c.t("follow.read_intro")))
        blocks.append(
            BulletList(
                tuple(
                    _p(_strong(c.t(f"col.{k}") + ": "), c.t(f"follow.read_{k}"))
                    for k in ("opening", "emitted", "closing", "planned", "variance", "on_track")
                )
            )
        )
        blocks.append(
            c.figure(
                "ledger", "ledger", c.t("follow.caption", area=c.area), desc, spec, chart_table
            )
        )
    else:
        blocks.append(_p(c.t("follow.no_rows", year=r.budget_from, as_of=r.remaining_as_of)))
    subs: list[Section] = []
    ceilings = _ceilings(c, ins)
    if ceilings:
        subs.append(Section("ceilings", c.t("follow.ceilings_title"), 2, tuple(ceilings)))
    indicators = _indicators(c, ins)
    if indicators:
        subs.append(Section("indicators", c.t("follow.indicators_title"), 2, tuple(indicators)))
    changed = _what_changed(c)
    if changed:
        from .. import changes as diff

        subs.append(Section("changes", diff.t_title(c.lang), 2, tuple(changed)))
    governance = (
        _p(c.t("follow.governance_intro")),
        BulletList(tuple(_p(c.t(f"follow.governance_{i}")) for i in range(1, 7))),
    )
    subs.append(Section("governance", c.t("follow.governance_title"), 2, governance))
    return Section("follow-up", c.t("follow.title"), 1, tuple(blocks), tuple(subs))


def _indicators(c: _Ctx, ins: Insights) -> list[Block]:
    """Indicators per sector that has a section of its own, in a table: the statistics arrive
    years late, these show the direction sooner."""
    rows = [
        (
            c.sector(s.sector),
            c.t(f"indicators.{s.sector}.{i}"),
            c.t(f"indicators.{s.sector}.{i}_source"),
        )
        for s in chosen_sectors(ins)
        for i in INDICATORS.get(s.sector, ())
    ]
    if not rows:
        return []
    rows.append(
        (c.t("indicators.all"), c.t("indicators.emissions"), c.t("indicators.emissions_source"))
    )
    return [
        _p(c.t("follow.indicators_intro", year=c.r.last_data_year)),
        c.table(
            "indicators-table",
            c.t("follow.indicators_caption", area=c.area),
            (c.t("col.sector"), c.t("col.indicator"), c.t("col.indicator_source")),
            rows,
            align=("left", "left", "left"),
        ),
    ]


def _signed_num(c: _Ctx, v: float, decimals: int) -> str:
    """A change as a signed number: "+0,4", "−1,2", "0,0"."""
    text = c.num(v, decimals)
    return "+" + text if round(v, decimals) > 0 else text


def _what_changed(c: _Ctx) -> list[Block]:
    """ "Vad har ändrats sedan förra utgåvan?": the change in budget, remaining budget and required
    cut since the previous edition, attributed cause by cause (``diff``)."""
    from .. import changes as diff

    change = getattr(c, "change", None)
    if change is None:
        return []  # the first edition: nothing to compare (the colophon names the edition)
    blocks: list[Block] = []
    blocks.append(_p(c.t("follow.changes_intro", old=change.old_edition, new=change.new_edition)))
    blocks.append(
        BulletList(
            tuple(_p(diff.sentence(change, c.lang, q)) for q in ("budget", "remaining", "rate"))
        )
    )
    rows = [
        (
            c.t("follow.changes_budget"),
            c.tonnes(change.budget.old),
            c.tonnes(change.budget.new),
            fmt.signed_tonnes(change.budget.total, c.lang),  # a change: "+1,20 Mt"
        ),
        (
            c.t("follow.changes_remaining"),
            c.tonnes(change.remaining.old),
            c.tonnes(change.remaining.new),
            fmt.signed_tonnes(change.remaining.total, c.lang),
        ),
        (
            c.t("follow.changes_rate"),
            c.pct(change.rate.old),
            c.pct(change.rate.new),
            c.t("follow.changes_points", points=_signed_num(c, change.rate.total * 100, 1)),
        ),
    ]
    blocks.append(
        c.table(
            "changes",
            c.t("follow.changes_caption", area=c.area),
            (
                c.t("follow.changes_figure"),
                c.t("follow.changes_old"),
                c.t("follow.changes_new"),
                c.t("follow.changes_change"),
            ),
            rows,
            align=("left", "right", "right", "right"),
        )
    )
    return blocks


#: Years of annual ceilings listed one by one, then in five-year steps to the horizon.
CEILING_YEARS = 10


def _ceilings(c: _Ctx, ins: Insights) -> list[Block]:
    r = c.r
    if r.exhausted or not r.pathway:
        return []
    first = r.remaining_as_of
    ceil = annual_ceilings(
        r.pathway,
        e0_t=r.e0_t,
        remaining_t=r.remaining_t,
        horizon=c.p.horizon_year,
        every_year_for=CEILING_YEARS,
    )
    cols = [
        c.tonnes_column([x.ceiling_t for x in ceil]),
        c.tonnes_column([x.cut_t for x in ceil]),
        c.tonnes_column([x.used_t for x in ceil]),
        c.tonnes_column([x.left_t for x in ceil]),
    ]
    rows = [(str(x.year), *(col[i] for col in cols)) for i, x in enumerate(ceil)]
    return [
        _p(c.t("follow.ceilings_intro", rate=c.pct(r.rate), year=first)),
        c.table(
            "ceilings",
            c.t("follow.ceilings_caption", area=c.area),
            (
                c.t("col.year"),
                c.t("col.ceiling"),
                c.t("col.cut_from_previous"),
                c.t("col.used_since", year=first),
                c.t("col.left_after"),
            ),
            rows,
            align=("left", "right", "right", "right", "right"),
            notes=(c.t("follow.ceilings_note"),),
        ),
        *_sector_ceilings(c, ins),
    ]


#: The sector ceilings table's years: the first five, then every fifth up to this many years on.
SECTOR_CEILING_YEARS = 5
SECTOR_CEILING_LAST = 15


def _sector_ceilings(c: _Ctx, ins: Insights) -> list[Block]:
    """The annual ceilings per sector (its base-year share of each year's ceiling): sectors as
    rows, so the years stay short column headers."""
    r = c.r
    first = r.remaining_as_of
    years = [y for y in range(first, first + SECTOR_CEILING_YEARS)]
    years += [
        y
        for y in range(first + SECTOR_CEILING_YEARS, first + SECTOR_CEILING_LAST + 1)
        if y % 5 == 0 and y <= c.p.horizon_year
    ]
    shown = [s for s in ins.sectors if s.share > 0]
    if len(shown) < 2 or any(y not in ins.levels for y in years):
        return []
    values = [[ins.sector_level(s, y) or 0.0 for y in years] for s in shown]
    values.append([ins.levels[y] for y in years])  # the total: the ceilings of the table above
    cells = c.tonnes_column([v for row in values for v in row])  # one unit for the table
    n = len(years)
    names = [c.sector(s.sector) for s in shown] + [c.t("follow.sector_ceilings_total")]
    rows = [(name, *cells[i * n : (i + 1) * n]) for i, name in enumerate(names)]
    base = fmt.years_span(c.run.allocation.base_years or (r.last_data_year,))
    return [
        _p(c.t("follow.sector_ceilings_intro", years=base)),
        c.table(
            "sector-ceilings",
            c.t("follow.sector_ceilings_caption", area=c.area),
            (c.t("col.sector"), *(str(y) for y in years)),
            rows,
            align=("left", *("right",) * n),
            notes=(c.t("follow.sector_ceilings_note", years=base),),
        ),
    ]
