"""Chapter 4: the sectors."""

from __future__ import annotations

from typing import Any

from ... import charts
from ...method.figures import deduction_in, recent_variation, sector_burn_share
from .. import fmt
from ..document import Block, Callout, Section, Table
from ..insights import Insights, SectorInsight
from .context import (
    MIN_SECTOR_SECTIONS,
    SECTOR_THRESHOLD,
    _Ctx,
    _p,
    upper_first,
)


def _sectors(c: _Ctx, ins: Insights) -> Section:
    r = c.r
    secs = [s for s in ins.sectors]
    base_years = c.run.allocation.base_years
    years_text = fmt.years_span(base_years) if base_years else str(r.last_data_year)
    rows_chart = [
        {
            "label": c.sector(s.sector),
            "value": round(max(s.share, 0.0) * 100, 2),
            "text": c.pct(s.share, 0),
        }
        for s in secs
    ]
    desc = c.t(
        "sectors.alt",
        years=years_text,
        values="; ".join(f"{c.sector_in_text(s.sector)} {c.share(s.share)}" for s in secs),
    )
    spec = charts.sector_shares(
        rows=rows_chart, x_title=c.t("axis.share_pct"), description=desc, lang=c.lang
    )
    emissions = c.tonnes_column([s.emissions_t for s in secs])
    budgets = c.tonnes_column([s.budget_t for s in secs])
    trows = [
        (c.sector(s.sector), c.pct(s.share, 1), e, _change_text(c, s), b, _burn_text(c, s))
        for s, e, b in zip(secs, emissions, budgets, strict=True)
    ]
    table = c.data_table(
        "sectors-table",
        c.t("sectors.table_caption", area=c.area),
        (
            c.t("col.sector"),
            c.t("col.share_years", years=years_text),
            c.t("col.emissions_year", year=r.last_data_year),
            c.t("col.change"),
            c.t("col.sector_budget"),
            c.t("col.burn"),
        ),
        trows,
        align=("left", "right", "right", "right", "right", "right"),
    )
    chosen = chosen_sectors(ins)
    rest = [s for s in secs if s not in chosen and s.share > 0]
    intro = c.t("sectors.intro", years=years_text)
    intro += " " + c.t(
        "sectors.intro_chosen",
        sectors=c.join([c.sector_in_text(s.sector) for s in chosen]),
        n=len(chosen),
        threshold=c.pct(SECTOR_THRESHOLD, 0),
    )
    if rest:
        intro += " " + c.t(
            "sectors.intro_rest",
            # the list starts the sentence: its first name keeps its capital, the rest do not
            sectors=upper_first(c.join([c.sector_in_text(s.sector) for s in rest])),
            share=c.share(sum(s.share for s in rest)),
        )
    blocks: list[Block] = [
        _p(intro),
        c.figure(
            "sector-shares",
            "sector_shares",
            c.t("sectors.caption", area=c.area, years=years_text),
            desc,
            spec,
            table,
        ),
    ]
    subs = tuple(_sector_section(c, s, years_text, ins) for s in chosen)
    return Section("sectors", c.t("sectors.title"), 1, tuple(blocks), subs)


def chosen_sectors(ins: Insights) -> list[SectorInsight]:
    """The sectors that get a section of their own (here and in the proposals chapter): every
    sector with at least ``SECTOR_THRESHOLD`` of the emissions, and at least the
    ``MIN_SECTOR_SECTIONS`` largest that emit anything."""
    chosen = [s for s in ins.sectors if s.share >= SECTOR_THRESHOLD]
    for s in ins.sectors:
        if len(chosen) >= MIN_SECTOR_SECTIONS:
            break
        if s not in chosen and s.emissions_t > 0:
            chosen.append(s)
    return chosen


def _sector_section(c: _Ctx, s: Any, years_text: str, ins: Insights) -> Section:
    r = c.r
    name = c.sector(s.sector)  # the heading, and a sentence's first word
    in_text = c.sector_in_text(s.sector)  # inside a sentence or caption
    hist = list(r.history_by_sector.get(s.sector, ()))
    blocks: list[Block] = [
        _p(
            c.t(
                "sectors.share",
                sector=name,
                share=c.share(s.share),
                years=years_text,
                emissions=c.tonnes(s.emissions_t),
                year=s.year,
            )
        )
    ]
    cement = deduction_in(r.excluded_t, r.history, s.year) if s.sector == "industri" else None
    if cement is not None:
        blocks.append(
            _p(
                c.t(
                    "sectors.industri_deducted",
                    deducted=c.tonnes(cement.deducted_t),
                    year=cement.year,
                )
            )
        )
    swing = recent_variation(hist)
    if swing is not None and swing.erratic:
        # a mean of swinging changes says nothing: +180 %, −82 %, +281 % … is not "+76 % a year"
        blocks.append(
            _p(
                c.t(
                    "sectors.change_erratic",
                    low=c.tonnes_range(swing.low_t, swing.high_t)[0],
                    high=c.tonnes_range(swing.low_t, swing.high_t)[1],
                )
            )
        )
    elif s.change_per_year is not None:
        key = "sectors.change_down" if s.change_per_year < 0 else "sectors.change_up"
        blocks.append(_p(c.t(key, change=c.pct(abs(s.change_per_year)))))
    burn = sector_burn_share(s.emissions_t, r.remaining_t)
    if not r.exhausted and burn is not None:
        blocks.append(
            _p(
                c.t(
                    "sectors.budget",
                    budget=c.tonnes(s.budget_t),
                    rate=c.pct(r.rate),
                    year=s.year,
                    emissions=c.tonnes(s.emissions_t),
                    burn=c.share(burn),
                )
            )
        )
    if hist:
        first, last = hist[0], hist[-1]
        rows = [{"year": y, "value": c.chart_value(v)} for y, v in hist]
        desc = c.t(
            "sectors.history_alt",
            sector=in_text,
            first=first[0],
            last=last[0],
            **c.first_last(first[1], last[1]),
        )
        spec = charts.sector_history(
            rows=rows,
            x_title=c.t("axis.year"),
            y_title=c.t("axis.emissions", unit=c.unit_label()),
            description=desc,
            lang=c.lang,
        )
        table = c.data_table(
            f"sector-{s.sector}-table",
            c.t("sectors.history_table", sector=in_text, unit=c.unit_label()),
            (c.t("col.year"), c.t("col.emissions_unit", unit=c.unit_label())),
            [(str(y), c.in_unit(v)) for y, v in hist],
            align=("left", "right"),
            compact=True,
        )
        blocks.append(
            c.figure(
                f"sector-{s.sector}",
                "sector_history",
                c.t(
                    "sectors.history_caption",
                    sector=in_text,
                    area=c.area,
                    first=first[0],
                    last=last[0],
                ),
                desc,
                spec,
                table,
            )
        )
    blocks.append(_sector_figures(c, s, name, ins))
    sub = _subsector_table(c, s.sector, in_text)
    if sub is not None:
        blocks.append(sub)
    blocks.append(
        Callout(
            "insight",
            c.t(
                "sectors.influence_title",
                level=c.t(f"influence_level.{_influence(c, s.sector)}"),
            ),
            (_p(_influence_text(c, s.sector)),),
        )
    )
    return Section(f"sector-{s.sector}", name, 2, tuple(blocks))


def _influence_text(c: _Ctx, sector: str) -> str:
    """What the area can influence in ``sector``; for district heating, said for the company
    the customer's profile names and its owner instead of "if the municipality owns it" (who
    supplies the heat is said once, in the local context; here only what follows from it)."""
    owner = _energy_owner(c) if sector == "el-och-fjarrvarme" else None
    if owner is not None:
        ctx = c.profile.context  # type: ignore[union-attr]
        return c.t(
            "sectors.influence_known_company",
            company=c.t(f"sectors.influence_energy.{owner}", company=ctx.energy_company),
        )
    return c.t(f"sectors.influence.{sector}")


def _energy_owner(c: _Ctx) -> str | None:
    """Who owns the district-heating company the profile names ("municipality", "partly",
    "other"), or None when the profile does not say."""
    ctx = getattr(c.profile, "context", None)
    if ctx is None or not ctx.energy_company:
        return None
    return ctx.energy_company_owner or None


def _burn_text(c: _Ctx, s: Any) -> str:
    """The share of the remaining budget one year of the sector's own emissions uses."""
    burn = sector_burn_share(s.emissions_t, c.r.remaining_t)
    return c.share(burn) if burn is not None else c.t("exhausted_short")


def _change_text(c: _Ctx, s: Any) -> str:
    """The sector's mean change a year, or its range where the changes swing (the mean of
    +180 %, −82 %, +281 % … describes nothing)."""
    swing = recent_variation(c.r.history_by_sector.get(s.sector, ()))
    if swing is not None and swing.erratic:
        return c.t(
            "sectors.kf_change_erratic",
            low=c.tonnes_range(swing.low_t, swing.high_t, bare_low=True)[0],
            high=c.tonnes_range(swing.low_t, swing.high_t)[1],
        )
    return c.signed_pct(s.change_per_year) if s.change_per_year is not None else c.t("none")


def _sector_figures(c: _Ctx, s: Any, name: str, ins: Insights) -> Table:
    r = c.r
    milestone = ins.milestone_year
    rows = [
        (c.t("sectors.kf_share"), c.share(s.share)),
        (c.t("sectors.kf_emissions", year=s.year), c.tonnes(s.emissions_t)),
        (c.t("sectors.kf_change"), _change_text(c, s)),
        (c.t("sectors.kf_budget", year=r.remaining_as_of), c.tonnes(s.budget_t)),
        (c.t("sectors.kf_burn", year=s.year), _burn_text(c, s)),
    ]
    notes: list[str] = []
    cap = ins.sector_level(s, milestone)
    if cap is not None and not r.exhausted:
        rows.append((c.t("sectors.kf_milestone", year=milestone), c.tonnes(cap)))
        if cap >= s.emissions_t:
            # the share is the base years'; a sector that has fallen since has a cap above today
            notes.append(
                c.t(
                    "sectors.kf_milestone_above",
                    sector=upper_first(c.sector_in_text(s.sector)),
                    year=s.year,
                    milestone=milestone,
                    years=fmt.years_span(c.run.allocation.base_years or (r.last_data_year,)),
                )
            )
    return c.table(
        f"sector-{s.sector}-figures",
        c.t("sectors.kf_caption", sector=name),
        (c.t("col.figure"), c.t("col.value")),
        rows,
        align=("left", "right"),
        notes=tuple(notes),
    )


#: How much a municipality itself controls each sector (Uppsala reports' "rådighet").
_INFLUENCE = {
    "transporter": "medium",
    "industri": "low",
    "el-och-fjarrvarme": "high",
    "egen-uppvarmning": "medium",
    "arbetsmaskiner": "high",
    "jordbruk": "low",
    "avfall": "high",
    "produktanvandning": "low",
    "utrikes-transporter": "low",
}


#: How much the state controls each sector (Sweden's report speaks of the state).
_INFLUENCE_STATE = {
    "transporter": "high",
    "industri": "medium",
    "el-och-fjarrvarme": "medium",
    "egen-uppvarmning": "high",
    "arbetsmaskiner": "medium",
    "jordbruk": "medium",
    "avfall": "medium",
    "produktanvandning": "low",
    "utrikes-transporter": "low",
}


def _influence(c: _Ctx, sector: str) -> str:
    """The control over ``sector`` of whom the callout speaks of: the municipality (a county's
    municipalities and region together), or the state in Sweden's report."""
    table = _INFLUENCE_STATE if c.r.level == "riket" else _INFLUENCE
    if sector == "el-och-fjarrvarme" and _energy_owner(c) in {"partly", "other"}:
        return "medium"  # a part-owner or a customer steers less than an owner
    return table.get(sector, "medium")


def _subsector_table(c: _Ctx, sector: str, name: str) -> Table | None:
    """The sector's subsectors in the last data year (``method.figures.subsector_breakdown``:
    only where SMHI's subsectors add up to the sector), names from the catalogue."""
    subs = c.subsectors().get(sector, ())
    if not subs:
        return None
    year = c.r.last_data_year
    tonnes = c.tonnes_column([x.emissions_t for x in subs])  # one unit: not "135 kt" over "7 002 t"
    rows = [
        (c.subsector(x.subsector), t, c.share(x.share)) for x, t in zip(subs, tonnes, strict=True)
    ]
    return c.table(
        f"subsectors-{sector}",
        c.t("sectors.subsector_caption", sector=name, year=year),
        (c.t("col.subsector"), c.t("col.emissions_year", year=year), c.t("col.share_of_sector")),
        rows,
        align=("left", "right", "right"),
    )
