"""Chapter 2: the general part (global budget, equity, national to local, debates)."""

from __future__ import annotations

from .. import fmt
from ..document import Block, BulletList, Callout, Section, Table
from .context import _Ctx, _p, _strong
from .figures import _global_emissions_figure


def _general(c: _Ctx) -> Section:
    r = c.r
    nat = c.run.national
    gb = nat.global_budget
    subs: list[Section] = []

    # cumulative CO2 and warming
    subs.append(
        Section(
            "cumulative",
            c.t("general.cumulative.title"),
            2,
            (
                _p(c.t("general.cumulative.p1")),
                _p(c.t("general.cumulative.p2")),
                Callout(
                    "note",
                    c.t("general.cumulative.box_title"),
                    (_p(c.t("general.cumulative.box")),),
                ),
                _p(c.t("general.cumulative.p3")),
                *_global_emissions_figure(c),
            ),
        )
    )

    # the global budget
    blocks: list[Block] = [
        _p(c.t("general.global.p1")),
    ]
    table = _global_table(c)
    if table is not None:
        blocks.append(table)
    blocks.append(
        _p(
            c.t(
                "general.global.chosen",
                temperature=c.temperature(),
                published=c.num(gb.published_gt),
                published_from=gb.published_from,
                remaining=c.num(gb.remaining_gt),
                year=gb.year,
            )
        )
    )
    blocks.append(_p(c.t("general.global.p2")))
    subs.append(Section("global-budget", c.t("general.global.title"), 2, tuple(blocks)))

    # equity and Sweden's budget
    rows = [
        (
            c.t("general.sweden.row_global", year=nat.budget_from),
            c.t("unit_value.gt", value=c.num(gb.remaining_gt)),
        ),
        (
            c.t("general.sweden.row_sweden", year=nat.budget_from),
            c.tonnes(nat.budget_t),
        ),
        (c.t("general.sweden.row_overhead"), c.tonnes(nat.overhead_t)),
        (c.t("general.sweden.row_allocated"), c.tonnes(nat.allocated_t)),
    ]
    if r.level != "riket":
        rows.append((c.t("general.sweden.row_share", area=c.area), c.pct(r.share, 3)))
        rows.append((c.t("general.sweden.row_area", area=c.area), c.tonnes(r.budget_t)))
    mode_key = (
        "general.sweden.mode_computed" if nat.mode == "computed" else "general.sweden.mode_preset"
    )
    blocks = [
        _p(c.t("general.sweden.p1")),
        _p(c.t("general.sweden.p2")),
        _p(
            c.t(
                mode_key,
                budget=c.tonnes(nat.budget_t),
                year=nat.budget_from,
                temperature=c.temperature(),
                preset=c.p.preset,
            )
        ),
    ]
    if nat.derived_from_preset:
        # two published points: the line through them; one: scaled by the global budgets
        two = c.p.national_other_t > 0
        blocks.append(_p(c.t("general.sweden.derived" if two else "general.sweden.derived_single")))
    blocks.append(
        _p(
            c.t(
                "general.sweden.overhead",
                overhead=c.tonnes(nat.overhead_t),
                allocated=c.tonnes(nat.allocated_t),
            )
        )
    )
    blocks.append(
        c.table(
            "chain",
            c.t("general.sweden.table_caption"),
            (c.t("general.sweden.col_step"), c.t("general.sweden.col_value")),
            rows,
            align=("left", "right"),
        )
    )
    subs.append(Section("equity", c.t("general.sweden.title"), 2, tuple(blocks)))

    # from national to local
    subs.append(Section("national-to-local", c.t("general.local.title"), 2, tuple(_choices(c))))

    # debates
    debates = (
        "equity",
        "probability",
        "uplift",
        "removals",
        "consumption",
        "statistics",
        "convention",
    )
    subs.append(
        Section(
            "debates",
            c.t("general.debates.title"),
            2,
            (
                _p(c.t("general.debates.intro")),
                BulletList(
                    tuple(
                        _p(
                            _strong(c.t(f"general.debates.{d}_title") + " "),
                            c.t(f"general.debates.{d}"),
                        )
                        for d in debates
                    )
                ),
            ),
        )
    )
    return Section(
        "general",
        c.t("general.title"),
        1,
        (_p(c.t("general.intro", area=c.area)),),
        tuple(subs),
    )


def _global_table(c: _Ctx) -> Table | None:
    if c.tables is None:
        return None
    gb = c.tables.global_budgets
    src = gb[gb["source_id"] == c.p.global_source]
    if src.empty:
        return None
    probs = sorted({int(p) for p in src["probability_pct"]})
    temps = sorted({float(x) for x in src["temperature_c"]})
    cell = {
        (float(t), int(p)): float(v)
        for t, p, v in zip(
            src["temperature_c"], src["probability_pct"], src["budget_gt"], strict=True
        )
    }
    year = int(src["budget_from"].iloc[0])
    header = (
        c.t("general.global.col_temperature"),
        *tuple(c.t("general.global.col_probability", probability=p) for p in probs),
    )
    rows = []
    for temp in temps:
        row = [
            c.t("general.global.row_temperature", temperature=fmt.number(temp, c.lang, decimals=1))
        ]
        for p in probs:
            v = cell.get((temp, p))
            row.append(c.num(v) if v is not None else c.t("none"))
        rows.append(row)
    return c.table(
        "global-budgets",
        c.t("general.global.table_caption", source=_source_name(c, c.p.global_source), year=year),
        header,
        rows,
        align=("left",) + ("right",) * len(probs),
        notes=(c.t("general.global.table_note"),),
    )


def _source_name(c: _Ctx, source_id: str) -> str:
    key = f"report.global_source.{source_id}"
    from ..i18n import catalogue

    return catalogue(c.lang).get(key, source_id)


def _choices(c: _Ctx) -> list[Block]:
    r = c.r
    p = c.p
    steps = {s.id: s.values for s in c.run.steps}
    alloc = steps.get("allocation", {})
    base_years = alloc.get("base_years") or []
    excl = steps.get("exclusions", {})
    nowcast = steps.get("nowcast", {})
    est_years = nowcast.get("estimated_years") or []
    years_text = fmt.years_span(base_years) if base_years else c.t("none")
    excluded_sectors = c.join([c.sector(s) for s in p.exclude_sectors]) or c.t("none")
    rows = [
        (
            c.t("choice.scope"),
            c.t("choice.scope_value"),
            c.t("choice.scope_why"),
        ),
        (
            c.t("choice.allocation"),
            c.t(f"allocation.{p.allocation}"),
            c.t(f"choice.allocation_why.{p.allocation}"),
        ),
        (
            c.t("choice.base_years"),
            years_text,
            c.t("choice.base_years_why"),
        ),
        (
            c.t("choice.excluded_sectors"),
            excluded_sectors,
            c.t("choice.excluded_sectors_why"),
        ),
        (
            c.t("choice.cement"),
            c.t("yes") if p.exclude_cement else c.t("no"),
            c.t("choice.cement_why"),
        ),
        (
            c.t("choice.international"),
            c.t(f"choice.international_value.{p.international_transport}"),
            c.t("choice.international_why"),
        ),
        (
            c.t("choice.nowcast"),
            c.t(f"nowcast.{p.nowcast}") + (f" ({fmt.years_span(est_years)})" if est_years else ""),
            c.t("choice.nowcast_why"),
        ),
        (
            c.t("choice.convention"),
            c.t(f"convention.{p.convention}"),
            c.t("choice.convention_why"),
        ),
        (
            c.t("choice.as_of"),
            c.t("choice.as_of_value", year=p.as_of),
            c.t("choice.as_of_why"),
        ),
    ]
    if p.national_facilities:
        rows.insert(
            5,
            (
                c.t("choice.facilities"),
                ", ".join(f.name for f in p.national_facilities),
                c.t("choice.facilities_why"),
            ),
        )
    blocks: list[Block] = [
        _p(c.t("general.local.p1")),
        _p(
            c.t(
                "general.local.p2",
                rule=c.t(f"allocation.{p.allocation}"),
                years=years_text,
                municipalities=alloc.get("municipalities", len(c.run.codes)),
            )
        ),
    ]
    if excl.get("excluded_last_year_t"):
        blocks.append(
            _p(
                c.t(
                    "general.local.excluded",
                    tonnes=c.tonnes(float(excl["excluded_last_year_t"])),
                    year=r.last_data_year,
                )
            )
        )
    # the sentence that introduces the table stands right before it
    blocks.append(_p(c.t("general.local.p3")))
    blocks.append(
        c.table(
            "choices",
            c.t("general.local.table_caption"),
            (c.t("choice.col_choice"), c.t("choice.col_value"), c.t("choice.col_why")),
            rows,
            align=("left", "left", "left"),
        )
    )
    return blocks
