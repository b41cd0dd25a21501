"""Strategic insights: forward-looking, data-driven sentences from one area's results.

``insights_for(result)`` picks the figures a strategist quotes out of the ``AreaResult`` (the
year the pathway halves today's emissions, the cut needed by 2030, what five years of waiting
cost, which sectors carry the budget and what share of it each one burns per year) without
recomputing the method: each value is read from the pathway, the cost-of-delay cases and the
sector figures. The sentence builders take the report's context (``t``, ``pct``, ``tonnes``)
and choose a message by what the data holds, so no slot is ever empty.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Protocol

from ..method.budget import AreaResult
from ..method.figures import sector_burn_share
from . import fmt

__all__ = ["Insights", "SectorInsight", "insights_for"]

#: The year most national and local interim targets name.
MILESTONE_YEAR = 2030
#: Sectors with at least this share of the base-year emissions "carry the budget" (chapter 5.4);
#: the rest "can wait" (5.2). One threshold, so no sector is named in both.
CARRYING_SHARE = 0.05
#: How many years of delay the "what acting early gains" sentences compare.
DELAY_COMPARED = 5


class _Ctx(Protocol):
    lang: str

    def t(self, key: str, **values: Any) -> str: ...
    def pct(self, v: float, decimals: int = 1) -> str: ...
    def share(self, v: float) -> str: ...
    def tonnes(self, v: float) -> str: ...
    def tonnes_alike(self, *values: float, signed: bool = False) -> list[str]: ...
    def num(self, v: float, decimals: int = 0) -> str: ...
    def sector(self, sid: str) -> str: ...
    def sector_in_text(self, sid: str) -> str: ...
    def year(self, v: float | None) -> str: ...
    def words(self, n: int) -> str: ...
    def join(self, items: list[str]) -> str: ...


@dataclass(frozen=True)
class SectorInsight:
    """A sector's weight: share of base-year emissions, latest emissions, recent change, its part
    of the remaining budget at the common rate and ``one_in`` (it alone burns 1/N of the
    remaining budget per year at today's level)."""

    sector: str
    share: float
    emissions_t: float
    year: int
    change_per_year: float | None
    budget_t: float
    one_in: int | None


@dataclass(frozen=True)
class Insights:
    """The figures behind the strategic sentences (see module doc)."""

    halving_year: int | None
    milestone_year: int
    milestone_cut: float | None
    milestone_level_t: float | None
    delay_years: int
    delay_extra_t: float | None
    delay_rate: float | None
    delay_exhausted: bool
    pace_ratio: float | None
    sectors: tuple[SectorInsight, ...]
    variant_rate: float | None
    variant_spent: bool = False
    #: The budget's pathway, year → tonnes, and today's level (what a sector's part is read from).
    levels: dict[int, float] = field(default_factory=dict)
    e0_t: float = 0.0

    def sector_now(self, s: SectorInsight) -> float:
        """The sector's part of today's level (its base-year share of it): the first column of
        the 2030 table and where the proposals chapter's sector paths start."""
        return s.share * self.e0_t

    def sector_level(self, s: SectorInsight, year: int) -> float | None:
        """The sector's part of the pathway in ``year`` at the common rate (its base-year share
        of the year's level), or None when the pathway does not reach that year. Table 19, the
        sector key figures and the proposals chapter all read it from here."""
        level = self.levels.get(year)
        return s.share * level if level is not None else None

    # -- sentences ------------------------------------------------------------------------------
    def conclusions(self, c: _Ctx) -> list[str]:
        """Three to five headline conclusions (the summary's box)."""
        r: AreaResult = c.r  # type: ignore[attr-defined]
        out: list[str] = []
        if r.exhausted:
            out.append(c.t("insight.c_exhausted", over=c.tonnes(-r.remaining_t)))
        else:
            out.append(
                c.t("insight.c_budget", remaining=c.tonnes(r.remaining_t), year=r.remaining_as_of)
            )
            out.append(c.t("insight.c_rate", rate=c.pct(r.rate), year=r.remaining_as_of))
        if self.milestone_cut is not None and not r.exhausted:
            out.append(
                c.t(
                    "insight.c_milestone",
                    cut=c.pct(self.milestone_cut, 0),
                    year=self.milestone_year,
                )
            )
        if r.near_zero_year is not None and not r.exhausted:
            out.append(c.t("insight.c_near_zero", year=c.year(r.near_zero_year)))
        if self.sectors:
            top = self.sectors[0]
            out.append(
                c.t(
                    "insight.c_sector",
                    sector=c.sector_in_text(top.sector),
                    share=c.pct(top.share, 0),
                    # the share is the base years', as in the sector chapter
                    years=fmt.years_span(c.run.allocation.base_years or (r.last_data_year,)),  # type: ignore[attr-defined]
                )
            )
        return out

    def next_years(self, c: _Ctx) -> list[str]:
        r: AreaResult = c.r  # type: ignore[attr-defined]
        out: list[str] = []
        if r.exhausted:
            return [c.t("insight.next_exhausted")]
        if self.halving_year is not None:
            out.append(
                c.t(
                    "insight.halving_est" if r.e0_estimated else "insight.halving",
                    year=self.halving_year,
                    e0=c.tonnes(r.e0_t),
                    e0_year=r.e0_year,
                )
            )
        if self.milestone_cut is not None and self.milestone_level_t is not None:
            # in the unit of today's level the bullet above names ("13 kt … 3,7 kt")
            level = c.tonnes_alike(r.e0_t, self.milestone_level_t)[1]
            out.append(
                c.t(
                    "insight.milestone",
                    year=self.milestone_year,
                    cut=c.pct(self.milestone_cut, 0),
                    level=level,
                )
            )
        if r.one_in_n is not None and r.one_in_n > 1:
            out.append(c.t("insight.one_in_n", n=c.words(r.one_in_n)))
        trend_fits = r.trend_slope_t < 0 and r.trend_exhaustion_date is None
        if trend_fits and r.trend_zero_year is not None:
            # the linear trend reaches zero inside the budget: say so, and what it takes
            out.append(
                c.t(
                    "insight.pace_trend_fits",
                    slope=c.tonnes(-r.trend_slope_t),
                    zero=c.year(r.trend_zero_year),
                    rate=c.pct(r.rate),
                )
            )
        elif self.pace_ratio is not None and r.recent_change is not None:
            if r.recent_change < 0:
                out.append(
                    c.t(
                        "insight.pace",
                        recent=c.pct(-r.recent_change),
                        rate=c.pct(r.rate),
                        ratio=c.num(self.pace_ratio, 1),
                    )
                )
        elif r.recent_change is not None and r.recent_change >= 0:
            out.append(c.t("insight.pace_rising", recent=c.pct(r.recent_change)))
        return out

    def can_wait(self, c: _Ctx) -> list[str]:
        r: AreaResult = c.r  # type: ignore[attr-defined]
        out: list[str] = []
        small = [s for s in self.sectors if 0 < s.share < CARRYING_SHARE]
        if small:
            out.append(
                c.t(
                    "insight.small_sectors_spent" if r.exhausted else "insight.small_sectors",
                    sectors=c.join([c.sector_in_text(s.sector) for s in small]),
                    share=c.share(sum(s.share for s in small)),
                )
            )
        if r.near_zero_year is not None and not r.exhausted:
            out.append(c.t("insight.tail", year=c.year(r.near_zero_year)))
        out.append(c.t("insight.wait_not"))
        return out

    def early_action(self, c: _Ctx) -> list[str]:
        r: AreaResult = c.r  # type: ignore[attr-defined]
        out: list[str] = []
        if r.burn_share is not None and r.burn_share > 0:
            out.append(
                c.t(
                    "insight.year_costs",
                    e0=c.tonnes(r.e0_t),
                    share=c.pct(r.burn_share, 0),
                )
            )
        if self.delay_extra_t is not None:
            if r.exhausted:  # already spent: waiting only adds to the overshoot
                out.append(
                    c.t(
                        "insight.delay_more_over",
                        years=c.words(self.delay_years),
                        extra=c.tonnes(self.delay_extra_t),
                    )
                )
            elif self.delay_exhausted:
                out.append(
                    c.t(
                        "insight.delay_exhausted",
                        years=c.words(self.delay_years),
                        extra=c.tonnes(self.delay_extra_t),
                    )
                )
            elif self.delay_rate is not None:
                out.append(
                    c.t(
                        "insight.delay_gain",
                        years=c.words(self.delay_years),
                        extra=c.tonnes(self.delay_extra_t),
                        rate=c.pct(self.delay_rate),
                        now=c.pct(r.rate),
                        points=c.num((self.delay_rate - r.rate) * 100, 1),
                    )
                )
        if self.variant_spent:
            out.append(c.t("insight.variant_spent"))
        elif self.variant_rate is not None and not r.exhausted:
            out.append(c.t("insight.variant", rate=c.pct(self.variant_rate), now=c.pct(r.rate)))
        return out

    def sector_milestone_rows(self, c: _Ctx) -> list[tuple[str, ...]]:
        """Per sector at the common rate: its part of today's level, of the milestone year's
        level and the cut between them (rows of the "by 2030" table)."""
        r: AreaResult = c.r  # type: ignore[attr-defined]
        if self.milestone_level_t is None or r.exhausted:
            return []
        shown = [s for s in self.sectors if s.share > 0.0]
        now = [self.sector_now(s) for s in shown]
        then = [self.sector_level(s, self.milestone_year) or 0.0 for s in shown]
        cut = [a - b for a, b in zip(now, then, strict=True)]
        # one unit for the table (its largest value decides): not "230 kt" over "6 068 t", and
        # the same precision in every column
        cells = c.tonnes_column(now + then + cut)
        n = len(shown)
        cols = [cells[:n], cells[n : 2 * n], cells[2 * n :]]
        return [(c.sector(s.sector), *(col[i] for col in cols)) for i, s in enumerate(shown)]

    def sector_sentences(self, c: _Ctx) -> list[str]:
        out: list[str] = []
        r: AreaResult = c.r  # type: ignore[attr-defined]
        carrying = [s for s in self.sectors if s.share >= CARRYING_SHARE] or list(self.sectors[:1])
        for s in carrying[:4]:
            if s.share <= 0:
                continue
            text = c.t("insight.sector_share", sector=c.sector(s.sector), share=c.share(s.share))
            burn = sector_burn_share(s.emissions_t, r.remaining_t)
            if burn is not None:
                text += " " + c.t("insight.sector_burn", year=s.year, burn=c.share(burn))
            out.append(text)
        return out


def insights_for(r: AreaResult, *, variant: AreaResult | None = None) -> Insights:
    """The insight figures of ``r`` (``variant``: the same area at 1.5 °C)."""
    half = next((y for y, v in r.pathway if r.e0_t > 0 and v <= r.e0_t / 2), None)
    path = dict(r.pathway)
    level = path.get(MILESTONE_YEAR)
    cut = (1 - level / r.e0_t) if level is not None and r.e0_t > 0 else None
    cases = r.cost_of_delay
    d = cases[min(DELAY_COMPARED, len(cases) - 1)] if cases else None
    pace = None
    if r.recent_change is not None and r.recent_change < 0 and not r.exhausted:
        pace = r.rate / -r.recent_change
    sectors = []
    for s in sorted(r.sectors, key=lambda s: -s.share):
        one_in = None
        if s.years_of_budget_per_year is not None and s.years_of_budget_per_year > 0:
            one_in = round(1 / s.years_of_budget_per_year)
        sectors.append(
            SectorInsight(
                sector=s.sector,
                share=s.share,
                emissions_t=s.emissions_t,
                year=s.year,
                change_per_year=s.change_per_year,
                budget_t=s.budget_t,
                one_in=one_in if one_in and one_in >= 1 else None,
            )
        )
    return Insights(
        halving_year=half,
        milestone_year=MILESTONE_YEAR,
        milestone_cut=cut if cut is not None and cut > 0 else None,
        milestone_level_t=level,
        delay_years=d.delay_years if d else 0,
        delay_extra_t=d.extra_t if d and d.delay_years > 0 else None,
        delay_rate=d.rate if d and not d.exhausted else None,
        delay_exhausted=bool(d and d.exhausted),
        pace_ratio=pace,
        sectors=tuple(sectors),
        variant_rate=variant.rate if variant is not None else None,
        variant_spent=variant is not None and variant.exhausted,
        levels=path,
        e0_t=r.e0_t,
    )
