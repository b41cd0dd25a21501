"""Key figures of one area as labelled, formatted lines (for the CLI and short summaries)."""

from __future__ import annotations

from ..method.budget import AreaResult
from . import fmt
from .i18n import t

__all__ = ["key_figures", "parameter_line", "title"]


def title(r: AreaResult, lang: str = "sv") -> str:
    return t(
        "cli.title",
        lang,
        name=r.name,
        code=r.code,
        level=t(f"cli.level_{r.level}", lang),
        edition=r.edition,
    )


def key_figures(r: AreaResult, lang: str = "sv") -> list[tuple[str, str]]:
    """(label, value) lines, every value from the result, formatted with Babel."""
    none = t("cli.none", lang)
    spent = t("cli.spent", lang)
    rows = [(t("cli.budget", lang, year=r.budget_from), f"{fmt.tonnes(r.budget_t, lang)} CO₂")]
    if r.level != "riket":  # Sweden's share of Sweden's budget says nothing
        rows.append((t("cli.share", lang), fmt.percent(r.share, lang, decimals=3)))
    rows += [
        (
            t("cli.remaining", lang, year=r.remaining_as_of),
            # a spent budget: by how much it is over, never a negative amount left
            t("cli.spent_over", lang, over=fmt.tonnes(-r.remaining_t, lang))
            if r.exhausted
            else f"{fmt.tonnes(r.remaining_t, lang)} CO₂",
        ),
        (
            t("cli.e0_estimated" if r.e0_estimated else "cli.e0", lang, year=r.e0_year),
            f"{fmt.tonnes(r.e0_t, lang)} CO₂",
        ),
        (
            t("cli.rate", lang, convention=r.rate_convention),
            spent if r.exhausted else fmt.percent(r.rate, lang),
        ),
    ]
    if r.one_in_n and not r.exhausted:
        rows.append((t("cli.one_in_n", lang), t("cli.one_in_n_value", lang, n=r.one_in_n)))
    rows.append(
        (
            t("cli.years_left", lang),
            fmt.number(0, lang)
            if r.exhausted
            else fmt.number(r.years_left, lang, decimals=1)
            if r.years_left is not None
            else none,
        )
    )
    rows.append(
        (
            t("cli.exhaustion_year", lang),
            spent if r.exhausted else str(r.exhaustion_year) if r.exhaustion_year else none,
        )
    )
    rows.append(
        (
            t("cli.trend_exhaustion", lang),
            spent
            if r.exhausted
            else fmt.date(r.trend_exhaustion_date, lang)
            if r.trend_exhaustion_date
            else t("cli.trend_never", lang),
        )
    )
    rows.append(
        (
            t("cli.recent_change", lang),
            fmt.percent(r.recent_change, lang) if r.recent_change is not None else none,
        )
    )
    rows.append(
        (
            t("cli.per_capita", lang, year=r.population_year),
            f"{fmt.number(r.budget_per_capita_t, lang, decimals=1)} t",
        )
    )
    rows.append(
        (
            t("cli.emissions_per_capita", lang),
            f"{fmt.number(r.emissions_per_capita_t, lang, decimals=2)} t",
        )
    )
    if r.exhausted:
        rows.append((t("cli.note", lang), t("cli.exhausted", lang)))
    elif r.infeasible:
        rows.append((t("cli.note", lang), t("cli.infeasible", lang)))
    return rows


def parameter_line(r: AreaResult, lang: str = "sv") -> str:
    p = r.parameters
    line = t(
        "cli.preset",
        lang,
        preset=p.preset,
        temperature=fmt.number(p.temperature_c, lang, decimals=1),
        probability=p.probability_pct,
        allocation=p.allocation,
        convention=p.convention,
        as_of=p.as_of,
    )
    changes = p.changed()
    if changes:
        line += "; " + t(
            "cli.changed", lang, changes=", ".join(f"{k}={v}" for k, v in changes.items())
        )
    return line
