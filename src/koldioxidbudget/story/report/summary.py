"""Chapter 1: the summary for decision makers."""

from __future__ import annotations

from ..document import Block, BulletList, Callout, KeyFigure, KeyFigures, Run, Section
from ..insights import Insights
from .context import DELAYS_SHOWN, _Ctx, _p
from .figures import _pathway_figure


def _summary(c: _Ctx, ins: Insights) -> Section:
    r = c.r
    figs: list[KeyFigure] = [
        KeyFigure(
            "budget",
            c.t("kf.budget", year=r.budget_from),
            c.tonnes(r.budget_t),
            c.t("kf.budget_note", temperature=c.temperature()),
        ),
        KeyFigure(
            "remaining",
            c.t("kf.remaining", year=r.remaining_as_of),
            c.tonnes(r.remaining_t) if not r.exhausted else c.t("kf.spent_value"),
            c.t("kf.remaining_note_est" if r.remaining_estimated else "kf.remaining_note")
            if not r.exhausted
            else c.t("kf.spent_note", over=c.tonnes(-r.remaining_t)),
            alert=r.exhausted,
        ),
        KeyFigure(
            "rate",
            c.t("kf.rate"),
            c.rate_of(r) if not r.exhausted else c.t("kf.spent_rate"),
            c.t("kf.rate_note", convention=r.rate_convention)
            if not r.exhausted
            else c.t("kf.spent_rate_note"),
            alert=r.infeasible or r.exhausted,
        ),
    ]
    if r.years_left is not None and r.exhaustion_year is not None and not r.exhausted:
        figs.append(
            KeyFigure(
                "years_left",
                c.t("kf.years_left"),
                c.num(r.years_left, 1),
                c.t("kf.years_left_note", year=r.exhaustion_year),
                alert=r.years_left < 10,
            )
        )
    if c.variant is not None:
        v = c.variant
        figs.append(
            KeyFigure(
                "rate_15",
                c.t("kf.rate_15"),
                c.rate_of(v),
                c.t(
                    "kf.rate_15_note_spent" if v.exhausted else "kf.rate_15_note",
                    budget=c.tonnes(v.budget_t),
                    year=v.remaining_as_of,
                ),
                alert=v.infeasible or v.exhausted,
            )
        )
    if len(r.cost_of_delay) > 1 and not r.exhausted:
        d1 = r.cost_of_delay[1]
        figs.append(
            KeyFigure(
                "delay_rate_1",
                c.t("kf.delay", year=d1.start_year),
                c.rate_of(r, d1.rate, spent=d1.exhausted),
                c.t("kf.delay_note", extra=c.tonnes(d1.extra_t)),
                alert=d1.infeasible,
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
        text += " " + c.t("summary.one_in_n", n=r.one_in_n)
    return text


def _variant_sentence(c: _Ctx) -> str:
    v = c.variant
    assert v is not None
    r = c.r
    if v.budget_t <= 0:
        return c.t("summary.variant_none", year=v.budget_from)
    if v.exhausted:
        return c.t(
            "summary.variant_spent",
            budget=c.tonnes(v.budget_t),
            from_year=v.budget_from,
            over=c.tonnes(-v.remaining_t),
            year=v.remaining_as_of,
        )
    key = "summary.variant_est" if v.remaining_estimated else "summary.variant"
    return c.t(
        key,
        budget=c.tonnes(v.budget_t),
        from_year=v.budget_from,
        remaining=c.tonnes(v.remaining_t),
        year=v.remaining_as_of,
        rate=c.pct(v.rate),
        headline=c.rate_of(r),
    ) + (" " + c.t("summary.variant_infeasible") if v.infeasible else "")


def _delay_sentence(c: _Ctx) -> str:
    r = c.r
    d1 = r.cost_of_delay[1]
    last = r.cost_of_delay[min(DELAYS_SHOWN, len(r.cost_of_delay) - 1)]
    if d1.exhausted:
        return c.t("summary.delay_spent_next", year=d1.start_year)
    return c.t(
        "summary.delay_spent" if last.exhausted else "summary.delay",
        year=d1.start_year,
        rate=c.pct(d1.rate),
        now=c.pct(r.rate),
        years=last.delay_years,
        late_year=last.start_year,
        rate_late=c.pct(last.rate),
    )
