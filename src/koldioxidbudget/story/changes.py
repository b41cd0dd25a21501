"""What changed between two editions (or two parameter sets), and why: the library behind
``koldioxidbudget data diff``, the report's "Vad har ändrats sedan förra utgåvan?" and the
visualiser.

The numbers come from :func:`koldioxidbudget.method.attribution.attribute_change` (sequential
substitution, causes in ``CAUSES`` order, parts adding up to the total); this module shapes them
per area (:class:`AreaChange`), words them from the text catalogue ``story/texts/<lang>/diff.toml``
(:func:`sentence`) and lays them out as table rows (:func:`table_rows`).

Typical use::

    change = explain_change(old_tables, new_tables, params, "0380")
    sentence(change, "sv")   # "Budgeten är 12 % mindre än i förra utgåvan: 8 procentenheter …"
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Literal

from ..edition import load_edition, previous_edition
from ..edition_checks import year_ranges
from ..errors import ParameterError
from ..method.params import Parameters
from ..service.changes import (
    CAUSES,
    AreaChange,
    Part,
    QuantityChange,
    changes,
    diff_editions,
    explain_all,
    explain_change,
)
from . import fmt
from .i18n import t

__all__ = [
    "CAUSES",
    "AreaChange",
    "Part",
    "QuantityChange",
    "changes",
    "diff_editions",
    "diff_report",
    "explain_all",
    "explain_change",
    "previous_edition",
    "sentence",
    "t_title",
    "table_rows",
    "year_ranges",
]

Quantity = Literal["budget", "remaining", "rate"]


# ---------------------------------------------------------------------------------------------
# words


def _cause_text(change: AreaChange, cause: str, lang: str) -> str:
    if cause == "revision":
        return t("diff.cause.revision", lang, years=year_ranges(change.revised_years))
    if cause == "new-years":
        if change.dropped_years:
            years = year_ranges(change.added_years + change.dropped_years)
            return t("diff.cause.new-years-dropped", lang, years=years)
        key = "one" if len(change.added_years) == 1 else "many"
        return t(f"diff.cause.new-years-{key}", lang, years=year_ranges(change.added_years))
    if cause == "parameters":
        fields = change.changed_params.get("parameters", ())
        if not fields and "ghg_sectors" in change.changed_tables:
            # the last step also takes the tables no earlier cause names: a new release of
            # the greenhouse-gas statistics moves the estimates of the years after the data
            return t("diff.cause.nowcast", lang)
        if not fields:
            return t("diff.cause.parameters-none", lang)
        return t("diff.cause.parameters", lang, fields=", ".join(fields))
    return t(f"diff.cause.{cause}", lang)


def _rounded(values: list[float], decimals: int) -> list[float]:
    """``values`` rounded to ``decimals`` so that they add up to their rounded sum (largest
    remainder), which keeps the parts of a sentence adding up to its headline."""
    scale = 10**decimals
    scaled = [v * scale for v in values]
    floors = [math.floor(v) for v in scaled]
    target = round(math.fsum(scaled))
    order = sorted(range(len(values)), key=lambda k: scaled[k] - floors[k], reverse=True)
    for k in order[: max(0, target - sum(floors))]:
        floors[k] += 1
    return [f / scale for f in floors]


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {t('diff.and', lang)} {items[-1]}"


def _parts_text(change: AreaChange, parts: list[tuple[str, float]], lang: str, dec: int) -> str:
    """``8 procentenheter beror på …, 3 på … och 1 på …, medan … drar åt andra hållet med 2 …``."""
    total = sum(p for _, p in parts)
    sign = 1.0 if total >= 0 else -1.0
    along = sorted([(c, p) for c, p in parts if p * sign > 0], key=lambda x: -abs(x[1]))
    against = sorted([(c, p) for c, p in parts if p * sign < 0], key=lambda x: -abs(x[1]))
    pieces = []
    for n, (cause, p) in enumerate(along):
        key = "diff.first_part" if n == 0 else "diff.next_part"
        if n == 0 and dec == 0 and abs(p) == 1:
            key = "diff.first_part_one"
        pieces.append(
            t(
                key,
                lang,
                points=fmt.number(abs(p), lang, decimals=dec),
                cause=_cause_text(change, cause, lang),
            )
        )
    text = _join(pieces, lang)
    if against:
        value = abs(round(math.fsum(p for _, p in against), dec))
        pts = fmt.number(value, lang, decimals=dec)
        causes = [_cause_text(change, c, lang) for c, _ in against]
        key = "diff.against_one" if dec == 0 and value == 1 else "diff.against"
        extra = t(key, lang, causes=_join(causes, lang), points=pts)
        text = f"{text}, {extra}" if text else extra
    return text


def _relative_sentence(change: AreaChange, q: QuantityChange, prefix: str, lang: str) -> str:
    year = change.as_of[1]
    if abs(q.total) <= 1e-9 * max(abs(q.old), abs(q.new)):
        return t(f"diff.{prefix}_same", lang, year=year)
    rel = q.relative
    if rel is None:
        head = t(
            f"diff.{prefix}_absolute",
            lang,
            year=year,
            new=f"{fmt.tonnes(q.new, lang)} CO₂",
            old=f"{fmt.tonnes(q.old, lang)} CO₂",
        )
        return head + t("diff.end", lang)
    pct = rel * 100
    dec = 0 if abs(pct) >= 5 else 1
    rounded = _rounded([p.points or 0.0 for p in q.parts], dec)
    headline = round(math.fsum(rounded), dec)
    if headline == 0:
        pct_text = fmt.percent(rel, lang, decimals=2)
        return t(f"diff.{prefix}_about_same", lang, year=year, pct=pct_text)
    key = f"diff.{prefix}_{'smaller' if headline < 0 else 'larger'}"
    head = t(key, lang, year=year, pct=fmt.percent(abs(headline) / 100, lang, decimals=dec))
    parts = [(p.cause, r) for p, r in zip(q.parts, rounded, strict=True) if r != 0]
    body = _parts_text(change, parts, lang, dec)
    return f"{head}: {body}{t('diff.end', lang)}"


def _rate_sentence(change: AreaChange, lang: str) -> str:
    q = change.rate
    new = fmt.percent(q.new, lang, decimals=1)
    old = fmt.percent(q.old, lang, decimals=1)
    rounded = _rounded([p.points or 0.0 for p in q.parts], 1)
    headline = round(math.fsum(rounded), 1)
    if headline == 0:
        return t("diff.rate_same", lang, new=new)
    key = "diff.rate_higher" if headline > 0 else "diff.rate_lower"
    head = t(key, lang, new=new, old=old, points=fmt.number(abs(headline), lang, decimals=1))
    parts = [(p.cause, r) for p, r in zip(q.parts, rounded, strict=True) if r != 0]
    return f"{head}: {_parts_text(change, parts, lang, 1)}{t('diff.end', lang)}"


def t_title(lang: str = "sv") -> str:
    """The section title "Vad har ändrats sedan förra utgåvan?" / "What has changed since …"."""
    return t("diff.title", lang)


def sentence(change: AreaChange, lang: str = "sv", quantity: Quantity = "budget") -> str:
    """One sentence on why ``quantity`` (``budget``, ``remaining`` or ``rate``) changed, in ``lang``.

    The headline change and its parts are rounded together so that the parts add up to the
    headline (whole percentage points above 5 %, tenths below)."""
    if quantity == "budget":
        return _relative_sentence(change, change.budget, "budget", lang)
    if quantity == "remaining":
        return _relative_sentence(change, change.remaining, "remaining", lang)
    if quantity == "rate":
        return _rate_sentence(change, lang)
    raise ParameterError(
        key="unknown_quantity",
        value=quantity,
    )


def table_rows(items: list[AreaChange], lang: str = "sv") -> list[dict[str, Any]]:
    """One flat row per area: old and new values, the change, each cause's part (percentage
    points of the old value; of the rate for ``rate_*``), and the sentence."""
    rows = []
    for c in items:
        row: dict[str, Any] = {"code": c.code, "name": c.name, "level": c.level}
        for prefix, q in (("budget", c.budget), ("remaining", c.remaining), ("rate", c.rate)):
            unit = "" if prefix == "rate" else "_t"
            row[f"{prefix}_old{unit}"] = q.old
            row[f"{prefix}_new{unit}"] = q.new
            if prefix == "rate":
                row["rate_change_pp"] = q.total * 100
            else:
                row[f"{prefix}_change_pct"] = q.relative * 100 if q.relative is not None else None
            for p in q.parts:
                row[f"{prefix}_pp_{p.cause.replace('-', '_')}"] = p.points
        row["sentence"] = sentence(c, lang)
        rows.append(row)
    return rows


# ---------------------------------------------------------------------------------------------
# editions


def diff_report(
    old: str,
    new: str,
    *,
    areas: list[str] | None,
    params: Parameters,
    old_params: Parameters | None = None,
    into: str | Path | None = None,
    lang: str = "sv",
) -> dict[str, Any]:
    """Everything ``data diff`` prints: an intro line, a formatted table (``header``, ``cells``),
    flat ``rows`` for CSV, the ``json`` document and one sentence per named area."""
    from ..areas import find_area

    a = diff_editions(old, new, params=params, old_params=old_params, into=into)
    codes = None
    if areas:
        area_table = load_edition(a.new_edition, gas=None, into=into).areas
        codes = [find_area(area_table, q).code for q in areas]
    items = changes(a, codes)
    used = [
        k
        for k, _ in enumerate(CAUSES)
        if any(abs(c.budget.parts[k].points or 0.0) >= 0.05 for c in items)
    ]
    header = [
        t("diff.header_code", lang),
        t("diff.header_name", lang),
        t("diff.header_old", lang),
        t("diff.header_new", lang),
        t("diff.header_change", lang),
        *(f"{t(f'diff.short.{CAUSES[k]}', lang)} ({t('diff.points_unit', lang)})" for k in used),
        t("diff.header_rate", lang),
    ]
    cells = []
    for c in items:
        rel = c.budget.relative
        rate = (
            f"{fmt.number(c.rate.old * 100, lang, decimals=1)} → "
            f"{fmt.percent(c.rate.new, lang, decimals=1)}"
        )
        cells.append(
            [
                c.code,
                c.name,
                fmt.tonnes(c.budget.old, lang),
                fmt.tonnes(c.budget.new, lang),
                fmt.percent(rel, lang, decimals=1) if rel is not None else "–",
                *(fmt.number(c.budget.parts[k].points or 0.0, lang, decimals=1) for k in used),
                rate,
            ]
        )
    doc = {
        "old": a.old_edition,
        "new": a.new_edition,
        "causes": list(CAUSES),
        "old_parameters": a.old_params.to_dict(),
        "new_parameters": a.new_params.to_dict(),
        "only_old": list(a.only_old),
        "only_new": list(a.only_new),
        "areas": [
            dict(c.to_dict(), sentence={lg: sentence(c, lg) for lg in ("sv", "en")}) for c in items
        ],
    }
    return {
        "intro": t("diff.intro", lang, old=a.old_edition, new=a.new_edition),
        "header": header,
        "cells": cells,
        "rows": table_rows(items, lang),
        "json": doc,
        "sentences": [f"{c.name}: {sentence(c, lang)}" for c in items],
    }
