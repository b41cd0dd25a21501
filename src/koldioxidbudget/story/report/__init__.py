"""The report: one area's results → a :class:`~koldioxidbudget.story.document.Document`.

``build_report(run, area_code, lang=…, profile=…, variant_run=…, tables=…, manifest=…)`` writes
the whole report as a document model: cover, foreword, summary for decision makers, the general
part, the local part, sectors, strategic insights, proposals per sector, follow-up and
appendices. Every word comes from the catalogue ``story/texts/<lang>/report.toml``
(``t("report.…")``), every number from the ``AreaResult``/``BudgetRun`` (formatted with
``story.fmt``). Renderers only lay it out.

A sentence is chosen by the data it has: when a value does not exist (no trend zero year, an
exhausted budget, no local target) another message says so, so no slot is ever empty.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ...method.budget import BudgetRun
from ...schema import Tables
from ..document import Document, Section
from ..insights import insights_for
from .appendices import _appendices
from .context import SECTOR_THRESHOLD, _Ctx, area_slug
from .follow_up import _follow_up
from .front import _cover, _foreword, _key_figure_values, _labels, _reading_guide, markdown_blocks
from .general import _general
from .insights import _insights, _measures
from .local import _local
from .proposals import _proposals
from .sectors import _sectors
from .summary import _summary

__all__ = ["SECTOR_THRESHOLD", "area_slug", "build_report", "markdown_blocks"]


def build_report(
    run: BudgetRun,
    area_code: str,
    *,
    lang: str = "sv",
    profile: Any = None,
    variant_run: BudgetRun | None = None,
    tables: Tables | None = None,
    manifest: dict[str, Any] | None = None,
    sensitivity: Sequence[BudgetRun] = (),
    change: Any = None,
    previous_edition: str | None = None,
) -> Document:
    """The report for ``area_code`` as a document model.

    ``change`` (``diff.AreaChange``) explains what moved since ``previous_edition``; without a
    previous edition the follow-up chapter says this is the first.

    ``variant_run`` is the same computation at 1.5 °C (shown beside the headline); ``tables``
    (the edition) adds official names, the global budget table and subsectors; ``manifest``
    (the edition's manifest) the data sources appendix; ``profile`` (``profile.Profile``) the
    cover image, logo, foreword and contact; ``sensitivity`` (the same computation for other
    temperature/probability cells) the sensitivity tables. Each is optional: without it the report says less,
    never something empty.
    """
    r = run.area(area_code)
    variant = variant_run.area(area_code) if variant_run is not None else None
    c = _Ctx(
        run=run,
        r=r,
        lang=lang,
        variant=variant,
        tables=tables,
        manifest=manifest,
        profile=profile,
        sensitivity=sensitivity,
    )
    c.change = change
    c.previous_edition = previous_edition
    ins = insights_for(r, variant=variant)
    sections: list[Section] = [
        _foreword(c),
        _reading_guide(c),
        _summary(c, ins),
        _general(c),
        _local(c),
        _sectors(c, ins),
    ]
    sections += [_insights(c, ins), _proposals(c, ins, _measures(c)), _follow_up(c, ins)]
    sections += _appendices(c)
    doc = Document(
        lang=lang,
        title=c.t("title", area=c.area),
        subtitle=c.t("subtitle", temperature=c.temperature(), year=r.budget_from),
        area_code=r.code,
        area_slug=area_slug(run, r.code),
        area_name=c.area,
        level=r.level,
        budget_from=r.budget_from,
        edition=r.edition,
        cover=_cover(c),
        sections=tuple(sections),
        labels=_labels(c),
        key_figures=_key_figure_values(c),
        author=(profile.customer_name if profile is not None else c.t("author_default")),
        keywords=(c.t("keyword_budget"), c.area, c.t("keyword_paris")),
    )
    return doc
