"""Chapter 3, first half: the area in figures, emissions, per capita, trend, member areas."""

from __future__ import annotations

from typing import Any

from ... import charts
from ...method.budget import AreaResult
from ...method.figures import (
    deduction_in,
    largest_sector,
    per_capita_ranking,
    recent_variation,
)
from ...schema import NATIONAL_CODE
from .. import fmt
from ..document import Block, Callout, Section, Table
from .context import _Ctx, _display_name, _official_names, _p
from .figures import _alt_emissions, _trend_figure
from .pathways import _delay, _pathway, _sensitivity, _targets


def _local(c: _Ctx) -> Section:
    r = c.r
    profile = _profile_table(c)  # first, so tables are numbered in reading order
    context = _context(c)
    subs = [
        *([Section("context", c.t("local.context.title"), 2, tuple(context))] if context else []),
        Section(
            "emissions",
            c.t("local.emissions.title", last=r.last_data_year),
            2,
            tuple(_emissions(c)),
        ),
        Section("per-capita", c.t("local.per_capita.title"), 2, tuple(_per_capita(c))),
        Section("trend", c.t("local.trend.title"), 2, tuple(_trend(c))),
        Section("pathway", c.t("local.pathway.title"), 2, tuple(_pathway(c))),
        Section("delay", c.t("local.delay.title"), 2, tuple(_delay(c))),
        *(
            [Section("sensitivity", c.t("local.sensitivity.title"), 2, tuple(_sensitivity(c)))]
            if c.sensitivity
            else []
        ),
        Section("targets", c.t("local.targets.title"), 2, tuple(_targets(c))),
    ]
    if r.level in ("lan", "riket"):
        subs.append(_members(c))
    return Section(
        "local",
        c.t("local.title", area=c.area),
        1,
        (_p(c.t(f"local.intro.{r.level}", area=c.area)), profile),
        tuple(subs),
    )


def _context(c: _Ctx) -> list[Block]:
    """The area's circumstances as the customer's profile gives them: a note, who runs district
    heating and who owns it, the large emitters (their tonnes as the customer reports them, not
    SMHI's) and the adopted targets, which the targets section tests against the budget."""
    prof = c.profile
    ctx = getattr(prof, "context", None)
    targets = getattr(prof, "local_targets", ()) or ()
    if ctx is None and not targets:
        return []
    who = prof.customer_name
    blocks: list[Block] = []
    if ctx is not None and ctx.notes:
        blocks.append(_p(ctx.notes))
    if ctx is not None and ctx.energy_company:
        owner = ctx.energy_company_owner or "unknown"
        blocks.append(
            _p(c.t(f"local.context.energy.{owner}", company=ctx.energy_company, area=c.area))
        )
    if targets:
        items = [
            c.t(
                "local.targets.target_item",
                reduction=c.pct(reduction, 0),
                year=year,
                base=base,
            )
            for year, reduction, base in targets
        ]
        blocks.append(_p(c.t("local.context.targets", area=c.area, targets=c.join(items))))
    if ctx is not None and ctx.large_emitters:
        emitters = sorted(ctx.large_emitters, key=lambda e: -e[2])
        amounts = c.tonnes_column([e[2] for e in emitters])
        blocks.append(_p(c.t("local.context.emitters", area=c.area, customer=who)))
        blocks.append(
            c.table(
                "large-emitters",
                c.t("local.context.emitters_caption", area=c.area),
                (
                    c.t("col.facility"),
                    c.t("col.sector"),
                    c.t("col.emissions_reported"),
                    c.t("col.year"),
                ),
                [
                    (name, c.sector(sector), amount, str(year))
                    for (name, sector, _, year, _), amount in zip(emitters, amounts, strict=True)
                ],
                align=("left", "left", "right", "right"),
                notes=(
                    c.t(
                        "local.context.emitters_source",
                        customer=who,
                        sources=c.join(sorted({e[4] for e in emitters if e[4]})) or who,
                    ),
                ),
            )
        )
    return blocks


def _profile_table(c: _Ctx) -> Table:
    r = c.r
    last = {y: v for y, v, _ in r.history}[r.last_data_year]
    rows = [
        (c.t("profile.population", year=r.population_year), c.num(r.population)),
        (c.t("profile.emissions", year=r.last_data_year), c.tonnes(last)),
        (
            c.t("profile.e0_est" if r.e0_estimated else "profile.e0", year=r.e0_year),
            c.tonnes(r.e0_t),
        ),
        (
            c.t("profile.per_capita", year=r.e0_year),
            c.t("profile.tonnes", value=c.num(r.emissions_per_capita_t, 2)),
        ),
        (c.t("profile.budget", year=r.budget_from), c.tonnes(r.budget_t)),
        (
            c.t("profile.budget_per_capita", year=r.budget_from),
            c.t("profile.tonnes", value=c.num(r.budget_per_capita_t, 1)),
        ),
        *([(c.t("profile.share"), c.pct(r.share, 3))] if r.level != "riket" else []),
        (
            c.t("profile.remaining", year=r.remaining_as_of),
            # spent: "Förbrukad, överskriden med 6 623 t", never "−6 623 t" left
            f"{c.t('kf.spent_value')}, {c.t('kf.spent_note', over=c.tonnes(-r.remaining_t))}"
            if r.exhausted
            else c.tonnes(r.remaining_t),
        ),
        (c.t("profile.rate", convention=r.rate_convention), c.rate_of(r)),
    ]
    return c.table(
        "area-profile",
        c.t("profile.caption", area=c.area),
        (c.t("col.figure"), c.t("col.value")),
        rows,
        align=("left", "right"),
    )


def _shown_sectors(c: _Ctx) -> list[str]:
    excluded = set(c.p.exclude_sectors)
    return [s for s in c.r.history_by_sector if s not in excluded]


def _emissions(c: _Ctx) -> list[Block]:
    r = c.r
    sectors = _shown_sectors(c)
    years = [y for y, _, est in r.history if not est]
    first, last = years[0], years[-1]
    total = {y: v for y, v, _ in r.history}
    est_years = [(y, v) for y, v, est in r.history if est]
    # the engine's sector series are after the exclusions (cement, national facilities)
    sec_vals: dict[str, dict[int, float]] = {s: dict(r.history_by_sector[s]) for s in sectors}
    present = [s for s in sectors if any(abs(v) > 0 for v in sec_vals[s].values())]
    labels = {s: c.sector(s) for s in present}
    est_label = c.t("local.emissions.estimate_series")
    rows: list[dict[str, Any]] = []
    for y in years:
        for i, s in enumerate(present):
            rows.append(
                {"year": y, "sector": labels[s], "value": c.chart_value(sec_vals[s][y]), "order": i}
            )
    for y, v in est_years:
        rows.append({"year": y, "sector": est_label, "value": c.chart_value(v), "order": 99})
    spec = charts.emissions_by_sector(
        rows=rows,
        sectors=[labels[s] for s in present],
        x_title=c.t("axis.year"),
        y_title=c.t("axis.emissions", unit=c.unit_label()),
        description=_alt_emissions(c, first, last, total, present, sec_vals),
        lang=c.lang,
        estimate_label=est_label,
    )
    header = (c.t("col.year"), *[labels[s] for s in present], c.t("col.total"))
    trows = []
    marked = []
    for y in years:
        trows.append((str(y), *[c.in_unit(sec_vals[s][y]) for s in present], c.in_unit(total[y])))
    for y, v in est_years:
        marked.append(len(trows))
        trows.append(
            (c.t("col.year_estimated", year=y), *[c.t("none")] * len(present), c.in_unit(v))
        )
    table = c.data_table(
        "emissions-table",
        c.t(
            "local.emissions.table_caption",
            area=c.area,
            first=first,
            last=last,
            unit=c.unit_label(),
        ),
        header,
        trows,
        align=("left",) + ("right",) * (len(present) + 1),
        notes=(c.t("local.emissions.table_note"),) if est_years else (),
        marked_rows=marked,
        compact=True,
    )
    fig = c.figure(
        "emissions",
        "emissions_by_sector",
        c.t("local.emissions.caption", area=c.area, first=first, last=last),
        spec["description"],
        spec,
        table,
    )
    change = (total[last] / total[first] - 1) if total[first] > 0 else None
    top_share = largest_sector({s: sec_vals[s] for s in present}, last)
    top = top_share[0] if top_share is not None else None
    blocks: list[Block] = []
    if change is not None:
        key = "local.emissions.p_down" if change < 0 else "local.emissions.p_up"
        blocks.append(
            _p(
                c.t(
                    key,
                    area=c.area,
                    first=first,
                    last=last,
                    **c.first_last(total[first], total[last]),
                    change=c.pct(abs(change), 0),
                )
            )
        )
    if top is not None and top_share is not None:
        blocks.append(
            _p(
                c.t(
                    "local.emissions.p_top",
                    sector=c.sector_in_text(top),
                    share=c.pct(top_share[1], 0),
                    year=last,
                )
            )
        )
    cement = deduction_in(r.excluded_t, r.history, last)
    if cement is not None:  # a cement host (Gotland, Skövde …): say what the figures leave out
        # three parts of one sum, in one unit ("1,69 Mt … 0,95 Mt … 0,74 Mt")
        reported, deducted, counted = c.tonnes_alike(
            cement.reported_t, cement.deducted_t, cement.counted_t
        )
        blocks.append(
            _p(
                c.t(
                    "local.emissions.p_deducted",
                    area=c.area,
                    year=cement.year,
                    reported=reported,
                    deducted=deducted,
                    counted=counted,
                )
            )
        )
    blocks.append(_p(c.t("local.emissions.p_scope")))
    blocks.append(fig)
    picks = [y for y in (first, 2005, 2010, 2015, last) if y in total]
    picks = sorted(set(picks))
    if len(picks) >= 2:
        srows: list[tuple[str, ...]] = []
        for s_ in present:
            v0, v1 = sec_vals[s_][first], sec_vals[s_][last]
            ch = c.signed_pct(v1 / v0 - 1, 0) if v0 > 0 else c.t("none")
            srows.append((labels[s_], *[c.in_unit(sec_vals[s_][y]) for y in picks], ch))
        v0, v1 = total[first], total[last]
        srows.append(
            (
                c.t("col.total"),
                *[c.in_unit(total[y]) for y in picks],
                c.signed_pct(v1 / v0 - 1, 0) if v0 > 0 else c.t("none"),
            )
        )
        blocks.append(
            c.table(
                "emissions-selected",
                c.t("local.emissions.selected_caption", area=c.area, unit=c.unit_label()),
                (c.t("col.sector"), *[str(y) for y in picks], c.t("col.change_since", year=first)),
                srows,
                align=("left",) + ("right",) * (len(picks) + 1),
            )
        )
    return blocks


def _members_in_county(c: _Ctx) -> int:
    run = c.run
    return sum(
        1 for i, lv in enumerate(run.levels) if lv == "kommun" and run.lan_codes[i] == c.r.lan_code
    )


def _per_capita(c: _Ctx) -> list[Block]:
    r = c.r
    others: list[AreaResult] = []
    alone = r.level == "kommun" and _members_in_county(c) == 1
    if r.level == "kommun" and not alone:
        others = [c.run.area(r.lan_code), c.run.area(NATIONAL_CODE)]
    elif (
        alone or r.level == "lan"
    ):  # Gotland: the county is the same area, so compare with Sweden only
        others = [c.run.area(NATIONAL_CODE)]
    counties: list[AreaResult] = []
    if r.level == "riket":  # Sweden beside itself says nothing: its counties, highest first
        run = c.run
        idx = [i for i, lv in enumerate(run.levels) if lv == "lan"]
        counties = [
            run.area(run.codes[i]) for i, _ in per_capita_ranking(idx, run.e0_t, run.population)
        ]
    items = [r, *others, *counties]

    def name(a: AreaResult) -> str:
        return _display_name(a, c.lang, c.tables)

    e_year = r.e0_year
    est = "_est" if r.e0_estimated else ""  # the level of an estimated year is "uppskattad"
    year_label = c.e0_year_label()  # captions, axis and column name the estimate too
    rows = [
        {
            "label": name(a),
            "value": round(a.emissions_per_capita_t, 3),
            "text": c.num(a.emissions_per_capita_t, 2),
            "highlight": a.code == r.code,
        }
        for a in items
    ]
    desc = c.t(
        "local.per_capita.alt",
        year=year_label,
        values="; ".join(f"{name(a)} {c.num(a.emissions_per_capita_t, 2)} t" for a in items),
    )
    spec = charts.per_capita(
        rows=rows,
        x_title=c.t("axis.per_capita", year=year_label),
        description=desc,
        lang=c.lang,
    )
    table = c.data_table(
        "per-capita-table",
        c.t("local.per_capita.table_caption", year=year_label),
        (
            c.t("col.area"),
            c.t("col.emissions_per_capita", year=year_label),
            c.t("col.budget_per_capita", year=r.budget_from),
            c.t("col.population", year=r.population_year),
        ),
        [
            (
                name(a),
                c.num(a.emissions_per_capita_t, 2),
                c.num(a.budget_per_capita_t, 1),
                c.num(a.population),
            )
            for a in items
        ],
        align=("left", "right", "right", "right"),
    )
    blocks: list[Block] = []
    if others:
        ref = others[0]
        ratio = (
            r.emissions_per_capita_t / ref.emissions_per_capita_t
            if ref.emissions_per_capita_t > 0
            else None
        )
        if ratio is not None:
            key = (
                "local.per_capita.p_lower"
                if ratio < 0.95
                else "local.per_capita.p_higher"
                if ratio > 1.05
                else "local.per_capita.p_same"
            ) + est
            blocks.append(
                _p(
                    c.t(
                        key,
                        area=c.area,
                        value=c.num(r.emissions_per_capita_t, 2),
                        year=e_year,
                        other=name(ref),
                        other_value=c.num(ref.emissions_per_capita_t, 2),
                        ratio=c.pct(abs(1 - ratio), 0),
                    )
                )
            )
    else:
        blocks.append(
            _p(
                c.t(
                    "local.per_capita.p_sweden" + est,
                    value=c.num(r.emissions_per_capita_t, 2),
                    year=e_year,
                )
            )
        )
    if counties:
        high, low = counties[0], counties[-1]
        blocks.append(
            _p(
                c.t(
                    "local.per_capita.p_counties",
                    high=name(high),
                    high_value=c.num(high.emissions_per_capita_t, 2),
                    low=name(low),
                    low_value=c.num(low.emissions_per_capita_t, 2),
                )
            )
        )
    blocks.append(
        _p(
            c.t(
                "local.per_capita.p_budget",
                area=c.area,
                budget=c.num(r.budget_per_capita_t, 1),
                year=r.budget_from,
            )
        )
    )
    blocks.append(_p(c.t("local.per_capita.p_caveat")))
    if r.level == "kommun" and not alone:
        blocks.append(_county_table(c))
    blocks.append(
        c.figure(
            "per-capita",
            "per_capita",
            c.t("local.per_capita.caption", year=year_label),
            desc,
            spec,
            table,
            source=c.t("source_smhi_scb"),
        )
    )
    return blocks


def _county_table(c: _Ctx) -> Table:
    r = c.r
    run = c.run
    names = _official_names(c)
    idx = [
        i for i, lv in enumerate(run.levels) if lv == "kommun" and run.lan_codes[i] == r.lan_code
    ]
    ranked = per_capita_ranking(idx, run.e0_t, run.population)
    budgets = c.tonnes_column([float(run.budget_t[i]) for i, _ in ranked])
    rows = [
        (
            names.get(run.codes[i], run.names[i]),
            c.num(per, 2),
            budgets[k],
            c.rate_of(c.r, float(run.rate[i]), spent=float(run.remaining_t[i]) <= 0),
        )
        for k, (i, per) in enumerate(ranked)
    ]
    county = names.get(r.lan_code) or run.names[run.index(r.lan_code)]
    year_label = c.e0_year_label()
    return c.table(
        "county-municipalities",
        c.t("local.per_capita.county_caption", county=county, year=year_label),
        (
            c.t("col.area"),
            c.t("col.emissions_per_capita", year=year_label),
            c.t("col.budget", year=r.budget_from),
            c.t("col.rate"),
        ),
        rows,
        align=("left", "right", "right", "right"),
        compact=True,
    )


def _trend(c: _Ctx) -> list[Block]:
    r = c.r
    est = [(y, v) for y, v, e in r.history if e]
    blocks: list[Block] = []
    swing = recent_variation([(y, v) for y, v, e in r.history if not e])
    if swing is not None and swing.erratic:
        low, high = c.tonnes_range(swing.low_t, swing.high_t)
        blocks.append(
            _p(
                c.t(
                    "local.trend.recent_erratic",
                    low=low,
                    high=high,
                    last=r.last_data_year,
                )
            )
        )
    elif r.recent_change is not None:
        key = "local.trend.recent_down" if r.recent_change < 0 else "local.trend.recent_up"
        blocks.append(_p(c.t(key, change=c.pct(abs(r.recent_change)), last=r.last_data_year)))
    slope_key = "local.trend.slope_down" if r.trend_slope_t < 0 else "local.trend.slope_up"
    blocks.append(
        _p(
            c.t(
                slope_key,
                method=c.t(f"trend_method.{r.trend_method}"),
                first=c.p.trend_from,
                last=r.last_data_year,
                slope=c.tonnes(abs(r.trend_slope_t)),
            )
        )
    )
    if r.trend_zero_year is not None:
        blocks.append(_p(c.t("local.trend.zero_year", year=c.year(r.trend_zero_year))))
    blocks.append(_trend_figure(c))
    if r.trend_exhaustion_date is not None:
        blocks.append(_p(c.t("local.trend.exhaustion", year=r.trend_exhaustion_date.year)))
    elif not r.exhausted:
        blocks.append(_p(c.t("local.trend.no_exhaustion")))
    if est:
        level = {y: v for y, v, _ in r.history}
        cells = c.tonnes_column([v for _, v in est])
        rows = [
            (
                str(y),
                cell,
                c.signed_pct(v / level[y - 1] - 1) if level.get(y - 1, 0) > 0 else c.t("none"),
            )
            for (y, v), cell in zip(est, cells, strict=True)
        ]
        blocks.append(
            _p(
                c.t(
                    "local.trend.nowcast",
                    years=fmt.years_span([y for y, _ in est]),
                    last=r.last_data_year,
                    method=c.t(f"nowcast.{c.p.nowcast}"),
                )
            )
        )
        blocks.append(
            c.table(
                "nowcast",
                c.t("local.trend.table_caption", area=c.area),
                (
                    c.t("col.year"),
                    c.t("col.estimated_emissions"),
                    c.t("col.change_from_year_before"),
                ),
                rows,
                align=("left", "right", "right"),
            )
        )
        blocks += _largest_estimated_change(c, level)
        blocks.append(Callout("note", c.t("local.trend.box_title"), (_p(c.t("local.trend.box")),)))
    return blocks


#: an estimated change smaller than this is not worth a sentence
_NOTABLE_CHANGE = 0.05
#: what happened nationally in a year whose estimates jump, and the sectors it explains: a
#: sentence from the catalogue (``local.trend.context.YEAR``) when those sectors lead the change
_CONTEXT_SECTORS = {2024: ("transporter", "arbetsmaskiner")}


def _largest_estimated_change(c: _Ctx, level: dict[int, float]) -> list[Block]:
    """The largest change among the years a greenhouse-gas release estimates sector by sector,
    said with the sectors that make it (what SMHI's newer statistics show, not a trend)."""
    r = c.r
    years = sorted({y for pts in r.estimated_by_sector.values() for y, _ in pts})
    sector_at = _sector_levels(r)
    changes = [
        (y, level[y] / level[y - 1] - 1) for y in years if level.get(y - 1, 0) > 0 and y in level
    ]
    if not changes:
        return []
    year, change = max(changes, key=lambda yc: abs(yc[1]))
    if abs(change) < _NOTABLE_CHANGE:
        return []
    diffs = sorted(
        (
            (at[year] - at[year - 1], s)
            for s, at in sector_at.items()
            if year in at and year - 1 in at and s not in c.p.exclude_sectors
        ),
        key=lambda ds: -abs(ds[0]),
    )
    total = level[year] - level[year - 1]
    leading = [(d, s) for d, s in diffs[:2] if d * total > 0 and abs(d) >= 0.25 * abs(total)]
    if not leading:
        return []
    blocks: list[Block] = [
        _p(
            c.t(
                "local.trend.largest_change_up"
                if change > 0
                else "local.trend.largest_change_down",
                year=year,
                previous=year - 1,
                change=c.pct(abs(change)),
                sectors=c.join(
                    [
                        c.t(
                            "local.trend.sector_change",
                            # "industri (energi och processer) (−29 kt)" reads badly
                            sector=c.sector_in_text(s).split(" (")[0],
                            tonnes=t,
                        )
                        for (_, s), t in zip(
                            leading,
                            c.tonnes_alike(*(d for d, _ in leading), signed=True),
                            strict=True,
                        )
                    ]
                ),
            )
        )
    ]
    context = _CONTEXT_SECTORS.get(year, ())
    if change > 0 and leading[0][1] in context and c.has(f"local.trend.context.{year}"):
        # said only when the national estimates show the same rise
        national = _sector_levels(c.run.area(NATIONAL_CODE))
        now = sum(national.get(s, {}).get(year, 0.0) for s in context)
        before = sum(national.get(s, {}).get(year - 1, 0.0) for s in context)
        if before > 0 and now > before:
            blocks.append(_p(c.t(f"local.trend.context.{year}", change=c.pct(now / before - 1))))
    return blocks


def _sector_levels(res: AreaResult) -> dict[str, dict[int, float]]:
    """Each sector's emissions by year: the published years, then the years a greenhouse-gas
    release estimates sector by sector."""
    return {
        s: dict(res.history_by_sector.get(s, ())) | dict(pts)
        for s, pts in res.estimated_by_sector.items()
    }


def _members(c: _Ctx) -> Section:
    r = c.r
    run = c.run
    names = _official_names(c)
    groups: list[tuple[str, list[int]]] = []
    if r.level == "riket":
        counties = [i for i, lv in enumerate(run.levels) if lv == "lan"]
        groups.append(("counties", counties))
        groups.append(("municipalities", [i for i, lv in enumerate(run.levels) if lv == "kommun"]))
    else:
        groups.append(
            (
                "municipalities",
                [
                    i
                    for i, lv in enumerate(run.levels)
                    if lv == "kommun" and run.lan_codes[i] == r.code
                ],
            )
        )
    blocks: list[Block] = [_p(c.t(f"local.members.intro.{r.level}", area=c.area))]
    for kind, idx in groups:
        idx = sorted(idx, key=lambda i: fmt.sort_key(names.get(run.codes[i], run.names[i])))
        # one unit per column; a spent member's cut reads "förbrukad", never "100,0 %"
        budgets = c.tonnes_column([float(run.budget_t[i]) for i in idx])
        left = c.tonnes_column([float(run.remaining_t[i]) for i in idx])
        rows = [
            (
                names.get(run.codes[i], run.names[i]),
                run.codes[i],
                budgets[k],
                left[k],
                c.t("exhausted_short")
                if float(run.remaining_t[i]) <= 0
                else c.pct(float(run.rate[i])),
                c.pct(float(run.share[i]), 3),
            )
            for k, i in enumerate(idx)
        ]
        blocks.append(
            c.table(
                f"members-{kind}",
                c.t(f"local.members.caption_{kind}", area=c.area, year=run.as_of),
                (
                    c.t("col.area"),
                    c.t("col.code"),
                    c.t("col.budget", year=run.national.budget_from),
                    c.t("col.remaining", year=run.as_of),
                    c.t("col.rate"),
                    c.t("col.share"),
                ),
                rows,
                align=("left", "left", "right", "right", "right", "right"),
                compact=True,
            )
        )
    return Section("members", c.t(f"local.members.title.{r.level}"), 2, tuple(blocks))
