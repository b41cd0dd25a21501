"""Chapter 1: the summary for decision makers."""

from __future__ import annotations

from ..document import Block, BulletList, Callout, KeyFigure, KeyFigures, Run, Section
from ..insights import Insights
from ..keyfigures import key_figures
from .context import DELAYS_SHOWN, _Ctx, _p
from .figures import _pathway_figure


def _summary(c: _Ctx, ins: Insights) -> Section:
    r = c.r
    kf = key_figures(r, c.variant)  # the one list of key figures (story/keyfigures.py)
    budget, remaining, rate = kf["budget"], kf["remaining"], kf["rate"]
    figs: list[KeyFigure] = [
        KeyFigure(
            "budget",
            c.t("kf.budget", year=budget.year),
            c.tonnes(budget.value),
            c.t("kf.budget_note", temperature=c.temperature()),
        ),
        KeyFigure(
            "remaining",
            c.t("kf.remaining", year=remaining.year),
            c.t("kf.spent_value") if remaining.spent else c.tonnes(remaining.value),
            c.t("kf.spent_note", over=c.tonnes(-remaining.value))
            if remaining.spent
            else c.t("kf.remaining_note_est" if remaining.estimate else "kf.remaining_note"),
            alert=remaining.alert,
        ),
        KeyFigure(
            "rate",
            c.t("kf.rate"),
            c.t("kf.spent_rate") if rate.spent else c.pct(rate.value),
            c.t("kf.spent_rate_note")
            if rate.spent
            else c.t("kf.rate_note", convention=r.rate_convention),
            alert=rate.alert,
        ),
    ]
    years = kf["years_left"]
    if years.value is not None and years.year is not None and not years.spent:
        figs.append(
            KeyFigure(
                "years_left",
                c.t("kf.years_left"),
                c.t("kf.years_value", years=c.num(years.value, 1)),  # "3,6 år", not "3,6"
                c.t("kf.years_left_note", year=years.year),
                alert=years.alert,
            )
        )
    if "rate_15" in kf:
        v, f15 = c.variant, kf["rate_15"]
        budget_15, over_15 = c.tonnes_alike(v.budget_t, -v.remaining_t)
        # a spent 1,5 °C budget has no cut per year: the tile names the budget, says it is
        # spent, and its note says when and by how much
        figs.append(
            KeyFigure(
                "rate_15",
                c.t("kf.rate_15_spent" if f15.spent else "kf.rate_15"),
                c.t("exhausted_short") if f15.spent else c.pct(f15.value),
                c.t(
                    "kf.rate_15_note_spent" if f15.spent else "kf.rate_15_note",
                    budget=budget_15,
                    from_year=v.budget_from,
                    year=f15.year,
                    over=over_15,
                ),
                alert=f15.alert,
            )
        )
    if "delay_rate_1" in kf:
        d1, fd = r.cost_of_delay[1], kf["delay_rate_1"]
        figs.append(
            KeyFigure(
                "delay_rate_1",
                c.t("kf.delay_spent" if fd.spent else "kf.delay", year=fd.year),
                c.t("exhausted_short") if fd.spent else c.pct(fd.value),
                c.t("kf.delay_note", extra=c.tonnes(d1.extra_t)),
                alert=fd.alert,
            )
        )
    blocks: list[Block] = [
        _p(
            c.t(
                "summary.lead",
                area=c.area,
                budget=c.tonnes(r.budget_t),
                year=r.budget_from,
                temperature=c.temperature(),
                national=c.tonnes(c.run.national.budget_t),
                overhead=c.tonnes(c.run.national.overhead_t),
            )
        ),
        KeyFigures(tuple(figs), caption=c.t("summary.tiles_caption", area=c.area)),
    ]
    blocks.append(_p(*_remaining_sentence(c)))
    if r.members_overspent_t and r.members_available_t is not None:
        # a county or Sweden nets its members' overspending against the rest: say so
        blocks.append(
            _p(
                c.t(
                    "summary.members_overspent_spent"
                    if r.exhausted
                    else "summary.members_overspent",
                    area=c.area,
                    overspent=c.tonnes(r.members_overspent_t),
                    available=c.tonnes(r.members_available_t),
                    remaining=c.tonnes(r.remaining_t),
                    over=c.tonnes(-r.remaining_t),
                )
            )
        )
    blocks.append(_p(_rate_sentence(c)))
    if c.variant is not None:
        blocks.append(_p(_variant_sentence(c)))
    if len(r.cost_of_delay) > 1 and not r.exhausted:
        blocks.append(_p(_delay_sentence(c)))
    blocks.append(
        Callout(
            "insight",
            c.t("summary.conclusions_title"),
            (BulletList(tuple(_p(x) for x in ins.conclusions(c))),),
        )
    )
    blocks.append(_pathway_figure(c, summary=True))
    if r.infeasible and not r.exhausted:
        blocks.append(
            Callout(
                "warning",
                c.t("summary.infeasible_title"),
                (
                    _p(
                        c.t(
                            "summary.infeasible",
                            rate=c.pct(r.rate),
                            limit=c.pct(c.p.infeasible_rate, 0),
                        )
                    ),
                ),
            )
        )
    if r.exhausted:
        blocks.append(
            Callout(
                "warning",
                c.t("summary.exhausted_title"),
                (_p(c.t("summary.exhausted", area=c.area, over=c.tonnes(-r.remaining_t))),),
            )
        )
    return Section("summary", c.t("summary.title"), 1, tuple(blocks))


def _remaining_sentence(c: _Ctx) -> list[str | Run]:
    r = c.r
    used = r.budget_t - r.remaining_t
    if r.exhausted:
        return [
            c.t(
                "summary.remaining_exhausted", year=r.remaining_as_of, over=c.tonnes(-r.remaining_t)
            )
        ]
    key = "summary.remaining_est" if r.remaining_estimated else "summary.remaining"
    return [
        c.t(
            key,
            year=r.remaining_as_of,
            remaining=c.tonnes(r.remaining_t),
            used=c.tonnes(used),
            share=c.pct(used / r.budget_t if r.budget_t > 0 else 0.0, 0),
        )
    ]


def _rate_sentence(c: _Ctx) -> str:
    r = c.r
    if r.exhausted:
        return c.t("summary.rate_exhausted", area=c.area)
    text = c.t(
        "summary.rate",
        rate=c.pct(r.rate),
        year=r.remaining_as_of,
        convention=r.rate_convention,
    )
    if r.one_in_n is not None and r.one_in_n > 1:
        text += " " + c.t("summary.one_in_n", n=c.words(r.one_in_n))
    return text


def _variant_sentence(c: _Ctx) -> str:
    v = c.variant
    assert v is not None
    r = c.r
    if v.budget_t <= 0:
        return c.t("summary.variant_none", year=v.budget_from)
    if v.exhausted:
        budget, over = c.tonnes_alike(v.budget_t, -v.remaining_t)
        return c.t(
            "summary.variant_spent",
            budget=budget,
            from_year=v.budget_from,
            over=over,
            year=v.remaining_as_of,
        )
    key = "summary.variant_est" if v.remaining_estimated else "summary.variant"
    budget, remaining = c.tonnes_alike(v.budget_t, v.remaining_t)
    return c.t(
        key,
        budget=budget,
        from_year=v.budget_from,
        remaining=remaining,
        year=v.remaining_as_of,
        rate=c.pct(v.rate),
        headline=c.rate_of(r),
    ) + (" " + c.t("summary.variant_infeasible") if v.infeasible else "")


def _delay_sentence(c: _Ctx) -> str:
    r = c.r
    d1 = r.cost_of_delay[1]
    shown = r.cost_of_delay[1 : DELAYS_SHOWN + 1]
    # the first start at which the budget is already spent, as the delay table shows it
    last = next((d for d in shown if d.exhausted), shown[-1])
    if d1.exhausted:
        return c.t("summary.delay_spent_next", year=d1.start_year)
    return c.t(
        "summary.delay_spent" if last.exhausted else "summary.delay",
        year=d1.start_year,
        rate=c.pct(d1.rate),
        now=c.pct(r.rate),
        years=c.words(last.delay_years),
        late_year=last.start_year,
        rate_late=c.pct(last.rate),
    )
