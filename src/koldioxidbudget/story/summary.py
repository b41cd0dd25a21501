"""Key figures of one area as labelled, formatted lines (for the CLI and short summaries)."""

from __future__ import annotations

from ..method.budget import AreaResult
from . import fmt
from .i18n import t
from .keyfigures import key_figures as key_figures_of

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
    """(label, value) lines of the CLI's table: the key figures of ``keyfigures.key_figures``,
    formatted with Babel; a spent budget's figures read as spent."""
    none = t("cli.none", lang)
    spent = t("cli.spent", lang)
    rows = []
    for f in key_figures_of(r).values():
        label_values: dict[str, object] = {}
        if f.id == "budget":
            value = f"{fmt.tonnes(f.value, lang)} CO₂"
            label_values["year"] = f.year
        elif f.id == "share":
            value = fmt.percent(f.value, lang, decimals=3)
        elif f.id == "remaining":
            label_values["year"] = f.year
            # a spent budget: by how much it is over, never a negative amount left
            value = (
                t("cli.spent_over", lang, over=fmt.tonnes(-f.value, lang))
                if f.spent
                else f"{fmt.tonnes(f.value, lang)} CO₂"
            )
        elif f.id == "e0":
            label_values["year"] = f.year
            value = f"{fmt.tonnes(f.value, lang)} CO₂"
        elif f.id == "rate":
            label_values["convention"] = r.rate_convention
            value = spent if f.spent else fmt.percent(f.value, lang)
        elif f.id == "one_in_n":
            if f.value is None:
                continue
            value = t("cli.one_in_n_value", lang, n=f.value)
        elif f.id == "years_left":
            value = (
                fmt.number(0, lang)
                if f.spent
                else fmt.number(f.value, lang, decimals=1)
                if f.value is not None
                else none
            )
        elif f.id == "exhaustion_year":
            value = spent if f.spent else str(f.value) if f.value else none
        elif f.id == "trend_exhaustion":
            value = (
                spent
                if f.spent
                else fmt.date(f.value, lang)
                if f.value
                else t("cli.trend_never", lang)
            )
        elif f.id == "recent_change":
            value = fmt.percent(f.value, lang) if f.value is not None else none
        elif f.id == "per_capita":
            label_values["year"] = f.year
            value = f"{fmt.number(f.value, lang, decimals=1)} t"
        elif f.id == "emissions_per_capita":
            value = f"{fmt.number(f.value, lang, decimals=2)} t"
        else:
            continue  # the 1,5 °C variant and the cost of delay are the report's
        key = "cli.e0_estimated" if f.id == "e0" and f.estimate else f"cli.{f.id}"
        rows.append((t(key, lang, **label_values), value))
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
