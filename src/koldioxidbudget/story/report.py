"""The report: one area's results → a :class:`~koldioxidbudget.story.document.Document`.

``build_report(run, area_code, lang=…, profile=…, variant_run=…, tables=…, manifest=…)`` writes
the whole report as a document model: cover, foreword, summary for decision makers, the general
part, the local part, sectors, strategic insights, follow-up and appendices. Every word comes
from the catalogue ``story/texts/<lang>/report.toml`` (``t("report.…")``), every number from the
``AreaResult``/``BudgetRun`` (formatted with ``story.fmt``). Renderers only lay it out.

A sentence is chosen by the data it has: when a value does not exist (no trend zero year, an
exhausted budget, no local target) another message says so, so no slot is ever empty.
"""

from __future__ import annotations

import dataclasses
import functools
import math
from collections.abc import Sequence
from typing import Any

from .. import charts
from ..areas import slug
from ..method.budget import AreaResult, BudgetRun
from ..method.params import FIELD_DOCS, Parameters
from ..schema import NATIONAL_CODE, Tables
from . import fmt
from .document import (
    Block,
    BulletList,
    Callout,
    Cover,
    Document,
    Figure,
    Image,
    KeyFigure,
    KeyFigures,
    Paragraph,
    Run,
    Section,
    Table,
)
from .i18n import t as _translate
from .insights import Insights, insights_for

__all__ = ["SECTOR_THRESHOLD", "area_slug", "build_report", "markdown_blocks"]

#: A sector gets its own section when its share of the base-year emissions is at least this.
SECTOR_THRESHOLD = 0.01
#: ... and at least this many sectors get one (the largest), whatever their shares.
MIN_SECTOR_SECTIONS = 4
#: Delays shown in the cost-of-delay chart and table (years).
DELAYS_SHOWN = 5
#: First year of the history drawn in the pathway chart.
PATHWAY_FROM = 2010

_REFERENCE_ORDER = (
    "budget",
    "no-reduction",
    "trend",
    "sweden-targets",
    "carbon-law",
    "local-target",
    "linear",
)


class _Ctx:
    """What every section builder needs: the result, the language and the counters."""

    def __init__(
        self,
        *,
        run: BudgetRun,
        r: AreaResult,
        lang: str,
        variant: AreaResult | None,
        tables: Tables | None,
        manifest: dict[str, Any] | None,
        profile: Any,
        sensitivity: Sequence[BudgetRun] = (),
    ) -> None:
        self.run = run
        self.sensitivity = tuple(sensitivity)
        self.r = r
        self.p: Parameters = r.parameters
        self.lang = lang
        self.variant = variant
        self.tables = tables
        self.manifest = manifest
        self.profile = profile
        self.n_fig = 0
        self.n_tab = 0
        self.area = _display_name(r, lang, tables)
        self.unit, self.scale, self.decimals = _unit_for(
            max([abs(v) for _, v, _ in r.history] + [abs(r.e0_t), 1.0])
        )

    # -- words ---------------------------------------------------------------------------------
    def t(self, key: str, **values: Any) -> str:
        return _translate(f"report.{key}", self.lang, **values)

    def tonnes(self, v: float) -> str:
        return fmt.tonnes(v, self.lang)

    def pct(self, v: float, decimals: int = 1) -> str:
        return fmt.percent(v, self.lang, decimals=decimals)

    def share(self, v: float) -> str:
        """A share as per cent: one decimal below 10 %, none above."""
        return fmt.percent(v, self.lang, decimals=1 if abs(v) < 0.095 else 0)

    def num(self, v: float, decimals: int = 0) -> str:
        return fmt.number(v, self.lang, decimals=decimals)

    def in_unit(self, v: float) -> str:
        """``v`` tonnes in the report's chart/table unit, without the unit."""
        return fmt.number(v / self.scale, self.lang, decimals=self.decimals)

    def chart_value(self, v: float) -> float:
        return round(v / self.scale, self.decimals + 2)

    def year(self, v: float | None) -> str:
        return str(math.floor(v)) if v is not None else self.t("none")

    def sector(self, sid: str) -> str:
        return self.t(f"sector.{sid}")

    def temperature(self, p: Parameters | None = None) -> str:
        p = p or self.p
        return self.t(
            "temperature_probability",
            temperature=fmt.number(p.temperature_c, self.lang, decimals=1),
            probability=p.probability_pct,
        )

    def unit_label(self) -> str:
        return self.t(f"unit.{self.unit}")

    # -- numbering ------------------------------------------------------------------------------
    def next_figure(self) -> str:
        self.n_fig += 1
        return self.t("figure_number", n=self.n_fig)

    def next_table(self) -> str:
        self.n_tab += 1
        return self.t("table_number", n=self.n_tab)

    def table(
        self,
        id: str,
        caption: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        *,
        align: Sequence[str] = (),
        row_header: bool = True,
        notes: Sequence[str] = (),
        marked_rows: Sequence[int] = (),
        compact: bool = False,
        numbered: bool = True,
    ) -> Table:
        label = f"{self.next_table()}. " if numbered else ""
        return Table(
            id=id,
            caption=f"{label}{caption}",
            header=tuple(header),
            rows=tuple(tuple(r) for r in rows),
            align=tuple(align),  # type: ignore[arg-type]
            row_header=row_header,
            notes=tuple(notes),
            marked_rows=tuple(marked_rows),
            compact=compact,
        )

    def figure(
        self,
        id: str,
        kind: str,
        caption: str,
        alt: str,
        spec: dict[str, Any],
        table: Table,
        *,
        source: str = "",
    ) -> Figure:
        number = self.next_figure()
        data = dataclasses.replace(
            table, caption=self.t("figure_table_caption", number=number, caption=table.caption)
        )
        return Figure(
            id=id,
            kind=kind,
            number=number,
            caption=caption,
            alt=alt,
            spec=spec,
            table=data,
            source=source or self.t("source_smhi", edition=self.r.edition),
        )

    def data_table(
        self,
        id: str,
        caption: str,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        **kw: Any,
    ) -> Table:
        """A figure's data table (numbered with its figure, not as a table)."""
        return self.table(id, caption, header, rows, numbered=False, **kw)


def _unit_for(peak_t: float) -> tuple[str, float, int]:
    if peak_t >= 5e6:
        return "mt", 1e6, 2
    if peak_t >= 5e3:
        return "kt", 1e3, 1
    return "t", 1.0, 0


def area_slug(run: BudgetRun, code: str) -> str:
    """The area's kebab id for file names: ``slug(name)``, with the code appended when two
    areas share it (Håbo 0305 and Habo 0643 are both "habo")."""
    s = slug(run.names[run.index(code)])
    return f"{s}-{code}" if _slug_counts(run.names).get(s, 0) > 1 else s


@functools.lru_cache(maxsize=8)
def _slug_counts(names: tuple[str, ...]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name in names:
        counts[slug(name)] = counts.get(slug(name), 0) + 1
    return counts


def _display_name(r: AreaResult, lang: str, tables: Tables | None) -> str:
    if r.level == "riket":
        return _translate("report.sweden", lang)
    if lang == "sv" and tables is not None:
        hit = _names_of(tables).get(r.code)
        if hit:
            return hit
    return _translate(f"report.area_name.{r.level}", lang, name=r.name)


def _p(*parts: str | Run) -> Paragraph:
    """A paragraph from strings (plain) and runs."""
    runs = tuple(Run(x) if isinstance(x, str) else x for x in parts)
    return Paragraph(runs)


def _strong(text: str) -> Run:
    return Run(text, strong=True)


# ----------------------------------------------------------------------------------------------
# public


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
        _insights(c, ins),
        _follow_up(c),
    ]
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


def _labels(c: _Ctx) -> dict[str, str]:
    keys = (
        "contents",
        "skip",
        "page",
        "figure_data",
        "text_alternative",
        "source",
        "estimate_note",
        "appendix",
        "chapter",
        "back_to_contents",
        "figure_tables_html",
        "main_nav",
        "print_note",
    )
    out = {k: c.t(f"label.{k}") for k in keys}
    out["running_header"] = c.t("label.running_header", area=c.area, year=c.r.budget_from)
    out["footer"] = c.t("label.footer", edition=c.r.edition)
    out["lang_name"] = c.t("label.lang_name")
    return out


def _key_figure_values(c: _Ctx) -> dict[str, str]:
    r = c.r
    out = {
        "budget": c.tonnes(r.budget_t),
        "remaining": c.tonnes(r.remaining_t),
        "rate": c.pct(r.rate),
        "e0": c.tonnes(r.e0_t),
    }
    if r.years_left is not None:
        out["years_left"] = c.num(r.years_left, 1)
    if r.exhaustion_year is not None:
        out["exhaustion_year"] = str(r.exhaustion_year)
    if c.variant is not None:
        out["rate_15"] = c.pct(c.variant.rate)
        out["budget_15"] = c.tonnes(c.variant.budget_t)
    if len(r.cost_of_delay) > 1:
        out["delay_rate_1"] = c.pct(r.cost_of_delay[1].rate)
    return out


# ----------------------------------------------------------------------------------------------
# cover and foreword


def _image(img: Any) -> Image | None:
    if img is None:
        return None
    return Image(data=img.data, mime=img.mime, width=img.width, height=img.height, alt=img.alt)


def _cover(c: _Ctx) -> Cover:
    r = c.r
    prof = c.profile
    release = c.tables.release if c.tables is not None else None
    date_line = c.t("cover_as_of", year=r.remaining_as_of)
    if release:
        try:
            import datetime as _dt

            d = _dt.date.fromisoformat(release)
            date_line = c.t("cover_release", date=fmt.date(d, c.lang), year=r.remaining_as_of)
        except ValueError:
            pass
    return Cover(
        kicker=c.t("cover_kicker", year=r.budget_from),
        title=c.t("cover_title"),
        subtitle=c.t("cover_subtitle", temperature=c.temperature()),
        area=c.area,
        edition_line=c.t("cover_edition", edition=r.edition, last=r.last_data_year),
        date_line=date_line,
        image=_image(prof.cover) if prof is not None else None,
        logo=_image(prof.logo) if prof is not None else None,
        credit=(prof.cover_credit if prof is not None else ""),
    )


def markdown_blocks(text: str) -> list[Paragraph | BulletList]:
    """Markdown (paragraphs, **strong**, *emphasis*, lists, headings) as document blocks."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark").parse(text)
    blocks: list[Paragraph | BulletList] = []
    items: list[Paragraph] | None = None
    heading = False
    for tok in tokens:
        if tok.type in ("bullet_list_open", "ordered_list_open"):
            items = []
        elif tok.type in ("bullet_list_close", "ordered_list_close"):
            if items:
                blocks.append(BulletList(tuple(items)))
            items = None
        elif tok.type == "heading_open":
            heading = True
        elif tok.type == "heading_close":
            heading = False
        elif tok.type == "inline":
            runs = _inline_runs(tok.children or [], strong=heading)
            if not runs:
                continue
            para = Paragraph(tuple(runs))
            if items is not None:
                items.append(para)
            else:
                blocks.append(para)
    return blocks


def _inline_runs(children: list[Any], *, strong: bool = False) -> list[Run]:
    runs: list[Run] = []
    s, e = strong, False
    for ch in children:
        if ch.type == "strong_open":
            s = True
        elif ch.type == "strong_close":
            s = strong
        elif ch.type == "em_open":
            e = True
        elif ch.type == "em_close":
            e = False
        elif ch.type in ("text", "code_inline"):
            if ch.content:
                runs.append(Run(ch.content, strong=s, emph=e))
        elif ch.type in ("softbreak", "hardbreak"):
            runs.append(Run(" ", strong=s, emph=e))
    return runs


def _foreword(c: _Ctx) -> Section:
    prof = c.profile
    blocks: list[Block] = []
    if prof is not None and prof.foreword_markdown:
        blocks.extend(markdown_blocks(prof.foreword_markdown))
        if prof.foreword_authors:
            blocks.append(Paragraph((Run(", ".join(prof.foreword_authors), emph=True),)))
    else:
        for key in ("p1", "p2", "p3", "p4"):
            blocks.append(_p(c.t(f"foreword.{key}", area=c.area, year=c.r.budget_from)))
        blocks.append(Paragraph((Run(c.t("foreword.signature"), emph=True),)))
    if prof is not None and prof.contact:
        parts = [prof.contact[k] for k in ("name", "email", "phone", "url") if k in prof.contact]
        blocks.append(_p(_strong(c.t("foreword.contact") + " "), ", ".join(parts)))
    return Section("foreword", c.t("foreword.title"), 1, tuple(blocks), numbered=False)


def _reading_guide(c: _Ctx) -> Section:
    items = ("summary", "general", "local", "sectors", "insights", "follow", "appendices")
    return Section(
        "reading-guide",
        c.t("guide.title"),
        1,
        (
            _p(c.t("guide.intro", area=c.area)),
            BulletList(
                tuple(_p(_strong(c.t(f"guide.{k}_title") + " "), c.t(f"guide.{k}")) for k in items)
            ),
            Callout(
                "note",
                c.t("guide.numbers_title"),
                (
                    BulletList(
                        tuple(
                            _p(c.t(f"guide.numbers_{i}", unit=c.unit_label())) for i in range(1, 5)
                        )
                    ),
                ),
            ),
        ),
        numbered=False,
    )


# ----------------------------------------------------------------------------------------------
# 1 summary


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
            c.tonnes(r.remaining_t),
            c.t("kf.remaining_note_est" if r.e0_estimated else "kf.remaining_note"),
            alert=r.exhausted,
        ),
        KeyFigure(
            "rate",
            c.t("kf.rate"),
            c.pct(r.rate),
            c.t("kf.rate_note", convention=r.rate_convention),
            alert=r.infeasible,
        ),
    ]
    if r.years_left is not None and r.exhaustion_year is not None:
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
                c.pct(v.rate),
                c.t("kf.rate_15_note", budget=c.tonnes(v.budget_t)),
                alert=v.infeasible,
            )
        )
    if len(r.cost_of_delay) > 1:
        d1 = r.cost_of_delay[1]
        figs.append(
            KeyFigure(
                "delay_rate_1",
                c.t("kf.delay", year=d1.start_year),
                c.pct(d1.rate),
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
            )
        ),
        KeyFigures(tuple(figs), caption=c.t("summary.tiles_caption", area=c.area)),
    ]
    blocks.append(_p(*_remaining_sentence(c)))
    blocks.append(_p(_rate_sentence(c)))
    if c.variant is not None:
        blocks.append(_p(_variant_sentence(c)))
    if len(r.cost_of_delay) > 1:
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
    key = "summary.remaining_est" if r.e0_estimated else "summary.remaining"
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
    return c.t(
        "summary.variant",
        budget=c.tonnes(v.budget_t),
        remaining=c.tonnes(v.remaining_t),
        year=v.remaining_as_of,
        rate=c.pct(v.rate),
        headline=c.pct(r.rate),
    ) + (" " + c.t("summary.variant_infeasible") if v.infeasible else "")


def _delay_sentence(c: _Ctx) -> str:
    r = c.r
    d1 = r.cost_of_delay[1]
    last = r.cost_of_delay[min(DELAYS_SHOWN, len(r.cost_of_delay) - 1)]
    return c.t(
        "summary.delay",
        year=d1.start_year,
        rate=c.pct(d1.rate),
        now=c.pct(r.rate),
        years=last.delay_years,
        rate_late=c.pct(last.rate) if not last.exhausted else c.t("exhausted_short"),
    )


# ----------------------------------------------------------------------------------------------
# 2 general part


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
        blocks.append(_p(c.t("general.sweden.derived")))
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


def _global_emissions_figure(c: _Ctx) -> list[Block]:
    if c.tables is None or c.tables.global_emissions.empty:
        return []
    ge = c.tables.global_emissions.sort_values("year")
    ge = ge[ge["year"] >= 1990]
    if ge.empty:
        return []
    fossil = c.t("general.cumulative.series_fossil")
    luc = c.t("general.cumulative.series_luc")
    rows: list[dict[str, Any]] = []
    trows = []
    for y, f, lu in zip(ge["year"], ge["world_fossil_mt"], ge["world_luc_mt"], strict=True):
        rows.append(
            {"year": int(y), "sector": fossil, "value": round(float(f) / 1000, 3), "order": 0}
        )
        rows.append(
            {"year": int(y), "sector": luc, "value": round(float(lu) / 1000, 3), "order": 1}
        )
        trows.append(
            (
                str(int(y)),
                c.num(float(f) / 1000, 1),
                c.num(float(lu) / 1000, 1),
                c.num((float(f) + float(lu)) / 1000, 1),
            )
        )
    first, last = int(ge["year"].iloc[0]), int(ge["year"].iloc[-1])
    tot_last = (float(ge["world_fossil_mt"].iloc[-1]) + float(ge["world_luc_mt"].iloc[-1])) / 1000
    desc = c.t(
        "general.cumulative.alt",
        first=first,
        last=last,
        total=c.num(tot_last, 1),
        sum=c.num(float(ge["world_fossil_mt"].sum() + ge["world_luc_mt"].sum()) / 1000, 0),
    )
    spec = charts.emissions_by_sector(
        rows=rows,
        sectors=[fossil, luc],
        x_title=c.t("axis.year"),
        y_title=c.t("axis.gt"),
        description=desc,
        lang=c.lang,
    )
    table = c.data_table(
        "global-emissions-table",
        c.t("general.cumulative.table_caption", first=first, last=last),
        (c.t("col.year"), fossil, luc, c.t("col.total")),
        trows,
        align=("left", "right", "right", "right"),
        compact=True,
    )
    return [
        _p(c.t("general.cumulative.p4", last=last, total=c.num(tot_last, 1))),
        c.figure(
            "global-emissions",
            "emissions_by_sector",
            c.t("general.cumulative.caption", first=first, last=last),
            desc,
            spec,
            table,
            source=c.t("source_gcp"),
        ),
    ]


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
    from .i18n import catalogue

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
    years_text = _years_span(base_years) if base_years else c.t("none")
    excluded_sectors = ", ".join(c.sector(s) for s in p.exclude_sectors) or c.t("none")
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
            c.t(f"nowcast.{p.nowcast}") + (f" ({_years_span(est_years)})" if est_years else ""),
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
        _p(c.t("general.local.p3")),
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


def _years_span(years: Sequence[int]) -> str:
    ys = sorted(int(y) for y in years)
    if not ys:
        return ""
    if len(ys) == 1:
        return str(ys[0])
    if ys == list(range(ys[0], ys[-1] + 1)):
        return f"{ys[0]}–{ys[-1]}"
    return ", ".join(str(y) for y in ys)


# ----------------------------------------------------------------------------------------------
# 3 local part


def _local(c: _Ctx) -> Section:
    r = c.r
    profile = _profile_table(c)  # first, so tables are numbered in reading order
    subs = [
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
        (c.t("profile.share"), c.pct(r.share, 3)),
        (c.t("profile.remaining", year=r.remaining_as_of), c.tonnes(r.remaining_t)),
        (c.t("profile.rate", convention=r.rate_convention), c.pct(r.rate)),
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
    top = max(present, key=lambda s: sec_vals[s][last]) if present else None
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
                    e_first=c.tonnes(total[first]),
                    e_last=c.tonnes(total[last]),
                    change=c.pct(abs(change), 0),
                )
            )
        )
    if top is not None and total[last] > 0:
        blocks.append(
            _p(
                c.t(
                    "local.emissions.p_top",
                    sector=labels[top],
                    share=c.pct(sec_vals[top][last] / total[last], 0),
                    year=last,
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
            ch = c.pct(v1 / v0 - 1, 0) if v0 > 0 else c.t("none")
            srows.append((labels[s_], *[c.in_unit(sec_vals[s_][y]) for y in picks], ch))
        v0, v1 = total[first], total[last]
        srows.append(
            (
                c.t("col.total"),
                *[c.in_unit(total[y]) for y in picks],
                c.pct(v1 / v0 - 1, 0) if v0 > 0 else c.t("none"),
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


def _alt_emissions(
    c: _Ctx,
    first: int,
    last: int,
    total: dict[int, float],
    present: list[str],
    sec_vals: dict[str, dict[int, float]],
) -> str:
    top = sorted(present, key=lambda s: -sec_vals[s][last])[:3]
    return c.t(
        "local.emissions.alt",
        area=c.area,
        first=first,
        last=last,
        e_first=c.tonnes(total[first]),
        e_last=c.tonnes(total[last]),
        sectors=", ".join(c.sector(s) for s in top) or c.t("none"),
    )


def _per_capita(c: _Ctx) -> list[Block]:
    r = c.r
    others: list[AreaResult] = []
    if r.level == "kommun":
        others = [c.run.area(r.lan_code), c.run.area(NATIONAL_CODE)]
    elif r.level == "lan":
        others = [c.run.area(NATIONAL_CODE)]
    items = [r, *others]

    def name(a: AreaResult) -> str:
        return _display_name(a, c.lang, c.tables)

    e_year = r.e0_year
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
        year=e_year,
        values="; ".join(f"{name(a)} {c.num(a.emissions_per_capita_t, 2)} t" for a in items),
    )
    spec = charts.per_capita(
        rows=rows,
        x_title=c.t("axis.per_capita", year=e_year),
        description=desc,
        lang=c.lang,
    )
    table = c.data_table(
        "per-capita-table",
        c.t("local.per_capita.table_caption", year=e_year),
        (
            c.t("col.area"),
            c.t("col.emissions_per_capita", year=e_year),
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
            )
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
                    "local.per_capita.p_sweden",
                    value=c.num(r.emissions_per_capita_t, 2),
                    year=e_year,
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
    if r.level == "kommun":
        blocks.append(_county_table(c))
    blocks.append(
        c.figure(
            "per-capita",
            "per_capita",
            c.t("local.per_capita.caption", year=e_year),
            desc,
            spec,
            table,
            source=c.t("source_smhi_scb", edition=r.edition),
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
    idx = sorted(idx, key=lambda i: -float(run.e0_t[i]) / max(float(run.population[i]), 1.0))
    rows = [
        (
            names.get(run.codes[i], run.names[i]),
            c.num(float(run.e0_t[i]) / max(float(run.population[i]), 1.0), 2),
            c.tonnes(float(run.budget_t[i])),
            c.pct(float(run.rate[i])),
        )
        for i in idx
    ]
    county = names.get(r.lan_code) or run.names[run.index(r.lan_code)]
    return c.table(
        "county-municipalities",
        c.t("local.per_capita.county_caption", county=county, year=r.e0_year),
        (
            c.t("col.area"),
            c.t("col.emissions_per_capita", year=r.e0_year),
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
    if r.recent_change is not None:
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
        blocks.append(
            _p(c.t("local.trend.exhaustion", date=fmt.date(r.trend_exhaustion_date, c.lang)))
        )
    elif not r.exhausted:
        blocks.append(_p(c.t("local.trend.no_exhaustion")))
    if est:
        rows = [(str(y), c.tonnes(v)) for y, v in est]
        blocks.append(
            _p(
                c.t(
                    "local.trend.nowcast",
                    years=_years_span([y for y, _ in est]),
                    last=r.last_data_year,
                    method=c.t(f"nowcast.{c.p.nowcast}"),
                )
            )
        )
        blocks.append(
            c.table(
                "nowcast",
                c.t("local.trend.table_caption", area=c.area),
                (c.t("col.year"), c.t("col.estimated_emissions")),
                rows,
                align=("left", "right"),
            )
        )
        blocks.append(Callout("note", c.t("local.trend.box_title"), (_p(c.t("local.trend.box")),)))
    return blocks


#: Years the trend chart looks ahead of "now".
TREND_AHEAD = 10


def _trend_figure(c: _Ctx) -> Figure:
    r = c.r
    keys: list[str] = [k for k in ("trend-ols", "trend-lad") if k in r.references] or ["trend"]
    hist_label = c.t("series.history")
    est_label = c.t("series.estimate")
    end = r.remaining_as_of + TREND_AHEAD
    hist = [(y, v, e) for y, v, e in r.history if y >= PATHWAY_FROM]
    history: list[dict[str, Any]] = []
    measured = [(y, v) for y, v, e in hist if not e]
    for y, v in measured:
        history.append({"year": y, "value": c.chart_value(v), "series": hist_label})
    est = [(y, v) for y, v, e in hist if e]
    if est and measured:
        history.append(
            {"year": measured[-1][0], "value": c.chart_value(measured[-1][1]), "series": est_label}
        )
        history += [{"year": y, "value": c.chart_value(v), "series": est_label} for y, v in est]
    labels = {k: c.t(f"ref.{k}") for k in keys}
    paths = [
        {"year": y, "value": c.chart_value(v), "series": labels[k]}
        for k in keys
        for y, v in r.references[k]
        if y <= end
    ]
    desc = c.t(
        "local.trend.alt",
        area=c.area,
        first=c.p.trend_from,
        last=r.last_data_year,
        slope=c.tonnes(abs(r.trend_slope_t)),
        direction=c.t("local.trend.down" if r.trend_slope_t < 0 else "local.trend.up"),
        end=end,
    )
    spec = charts.pathway(
        history=history,
        paths=paths,
        series=[labels[k] for k in keys],
        x_title=c.t("axis.year"),
        y_title=c.t("axis.emissions", unit=c.unit_label()),
        description=desc,
        lang=c.lang,
        budget_series="",
        history_series=hist_label,
        estimate_series=est_label,
    )
    vals = {k: dict(r.references[k]) for k in keys}
    rows: list[tuple[str, ...]] = []
    marked = []
    for y, v, e in hist:
        if e:
            marked.append(len(rows))
        rows.append(
            (
                c.t("col.year_estimated", year=y) if e else str(y),
                c.in_unit(v),
                *[c.t("none")] * len(keys),
            )
        )
    for y in range(r.remaining_as_of, end + 1):
        rows.append(
            (
                str(y),
                c.t("none"),
                *[c.in_unit(vals[k][y]) if y in vals[k] else c.t("none") for k in keys],
            )
        )
    table = c.data_table(
        "trend-table",
        c.t("local.trend.data_caption", area=c.area, unit=c.unit_label()),
        (c.t("col.year"), c.t("col.emissions_history"), *[labels[k] for k in keys]),
        rows,
        align=("left",) + ("right",) * (len(keys) + 1),
        marked_rows=marked,
        compact=True,
    )
    return c.figure(
        "trend",
        "pathway",
        c.t("local.trend.caption", area=c.area, first=c.p.trend_from, last=r.last_data_year),
        desc,
        spec,
        table,
    )


def _sensitivity(c: _Ctx) -> list[Block]:
    r = c.r
    cells: dict[tuple[float, int], tuple[float, float, float]] = {}
    for run in c.sensitivity:
        try:
            i = run.index(r.code)
        except Exception:
            continue
        cells[(run.params.temperature_c, run.params.probability_pct)] = (
            float(run.budget_t[i]),
            float(run.remaining_t[i]),
            float(run.rate[i]),
        )
    if not cells:
        return [_p(c.t("local.sensitivity.none"))]
    temps = sorted({k[0] for k in cells})
    probs = sorted({k[1] for k in cells})
    header = (
        c.t("general.global.col_temperature"),
        *tuple(c.t("general.global.col_probability", probability=p) for p in probs),
    )

    def grid(idx: int, f: Any) -> list[list[str]]:
        out = []
        for temp in temps:
            row = [
                c.t(
                    "general.global.row_temperature",
                    temperature=fmt.number(temp, c.lang, decimals=1),
                )
            ]
            for p in probs:
                v = cells.get((temp, p))
                row.append(f(v[idx]) if v is not None else c.t("none"))
            out.append(row)
        return out

    align = ("left",) + ("right",) * len(probs)
    note = c.t("local.sensitivity.note")
    lo = min(cells.values(), key=lambda v: v[2])
    hi = max(cells.values(), key=lambda v: v[2])
    return [
        _p(c.t("local.sensitivity.p1", area=c.area)),
        _p(
            c.t(
                "local.sensitivity.p2",
                low=c.pct(lo[2]),
                high=c.pct(hi[2]) if hi[1] > 0 else c.t("exhausted_short"),
                headline=c.pct(r.rate),
            )
        ),
        c.table(
            "sensitivity-budget",
            c.t("local.sensitivity.budget_caption", area=c.area, year=r.budget_from),
            header,
            grid(0, c.tonnes),
            align=align,
            notes=(note,),
        ),
        c.table(
            "sensitivity-rate",
            c.t("local.sensitivity.rate_caption", area=c.area, year=r.remaining_as_of),
            header,
            grid(2, lambda x: c.pct(x)),
            align=align,
            notes=(note,),
        ),
    ]


def _ref_label(c: _Ctx, key: str) -> str:
    if key == "budget":
        return c.t("ref.budget", rate=c.pct(c.r.rate))
    if key == "carbon-law":
        return c.t("ref.carbon-law", rate=c.pct(c.p.carbon_law_rate, 2), year=c.p.carbon_law_from)
    return c.t(f"ref.{key}")


def _pathway_figure(c: _Ctx, *, summary: bool = False) -> Figure:
    r = c.r
    horizon = c.p.horizon_year
    keys = (
        ["budget", "no-reduction"]
        if summary
        else [k for k in _REFERENCE_ORDER if k in r.references and k != "linear"]
    )
    hist_label = c.t("series.history")
    est_label = c.t("series.estimate")
    first = PATHWAY_FROM if not summary else max(PATHWAY_FROM, r.last_data_year - 12)
    hist = [(y, v, e) for y, v, e in r.history if y >= first]
    history: list[dict[str, Any]] = []
    measured = [(y, v) for y, v, e in hist if not e]
    for y, v in measured:
        history.append({"year": y, "value": c.chart_value(v), "series": hist_label})
    est = [(y, v) for y, v, e in hist if e]
    if est and measured:
        # the estimate line starts from the last measured point so the two lines join
        ly, lv = measured[-1]
        history.append({"year": ly, "value": c.chart_value(lv), "series": est_label})
        for y, v in est:
            history.append({"year": y, "value": c.chart_value(v), "series": est_label})
    labels = {k: _ref_label(c, k) for k in keys}
    paths: list[dict[str, Any]] = []
    for k in keys:
        for y, v in r.references[k]:
            if y <= horizon:
                paths.append({"year": y, "value": c.chart_value(v), "series": labels[k]})
    desc = c.t(
        "local.pathway.alt",
        area=c.area,
        e0=c.tonnes(r.e0_t),
        year=r.e0_year,
        rate=c.pct(r.rate),
        remaining=c.tonnes(r.remaining_t),
        start=r.remaining_as_of,
        near_zero=c.year(r.near_zero_year) if r.near_zero_year is not None else c.t("none"),
    )
    spec = charts.pathway(
        history=history,
        paths=paths,
        series=[labels[k] for k in keys],
        x_title=c.t("axis.year"),
        y_title=c.t("axis.emissions", unit=c.unit_label()),
        description=desc,
        lang=c.lang,
        budget_series=labels["budget"],
        history_series=hist_label,
        estimate_series=est_label,
    )
    # the table: one row per year, history then every path
    ref_vals = {k: dict(r.references[k]) for k in keys}
    header = (c.t("col.year"), c.t("col.emissions_history"), *[labels[k] for k in keys])
    rows: list[tuple[str, ...]] = []
    marked = []
    for y, v, e in hist:
        if e:
            marked.append(len(rows))
        rows.append(
            (
                c.t("col.year_estimated", year=y) if e else str(y),
                c.in_unit(v),
                *[c.in_unit(ref_vals[k][y]) if y in ref_vals[k] else c.t("none") for k in keys],
            )
        )
    step = 1 if not summary else 5
    for y in range(r.remaining_as_of, horizon + 1):
        if (y - r.remaining_as_of) % step and y != horizon:
            continue
        rows.append(
            (
                str(y),
                c.t("none"),
                *[c.in_unit(ref_vals[k][y]) if y in ref_vals[k] else c.t("none") for k in keys],
            )
        )
    table = c.data_table(
        "summary-pathway-table" if summary else "pathway-table",
        c.t("local.pathway.table_caption", area=c.area, unit=c.unit_label()),
        header,
        rows,
        align=("left",) + ("right",) * (len(keys) + 1),
        marked_rows=marked,
        notes=(c.t("local.emissions.table_note"),) if marked else (),
        compact=True,
    )
    return c.figure(
        "summary-pathway" if summary else "pathway",
        "pathway",
        c.t(
            "summary.figure_caption" if summary else "local.pathway.caption",
            area=c.area,
            horizon=horizon,
        ),
        desc,
        spec,
        table,
    )


def _pathway(c: _Ctx) -> list[Block]:
    r = c.r
    blocks: list[Block] = []
    if r.exhausted:
        blocks.append(
            _p(c.t("local.pathway.exhausted", area=c.area, over=c.tonnes(-r.remaining_t)))
        )
    else:
        blocks.append(
            _p(
                c.t(
                    "local.pathway.p1",
                    area=c.area,
                    remaining=c.tonnes(r.remaining_t),
                    year=r.remaining_as_of,
                    e0=c.tonnes(r.e0_t),
                    e0_year=r.e0_year,
                    rate=c.pct(r.rate),
                    convention=r.rate_convention,
                )
            )
        )
        if r.near_zero_year is not None and r.linear_zero_year is not None:
            blocks.append(
                _p(
                    c.t(
                        "local.pathway.p2",
                        near_zero=c.year(r.near_zero_year),
                        linear=c.year(r.linear_zero_year),
                    )
                )
            )
    blocks.append(_p(c.t("local.pathway.p3")))
    blocks.append(
        BulletList(
            tuple(
                _p(_strong(_ref_label(c, k) + ": "), c.t(f"ref_explain.{k}"))
                for k in _REFERENCE_ORDER
                if k in r.references
            )
        )
    )
    blocks.append(_pathway_figure(c))
    return blocks


def _delay(c: _Ctx) -> list[Block]:
    r = c.r
    cases = list(r.cost_of_delay[: DELAYS_SHOWN + 1])
    ok_label = c.t("local.delay.ok")
    alert_label = c.t("local.delay.alert")
    rows_chart = []
    for d in cases:
        label = str(d.start_year)
        value = 100.0 if d.exhausted else round(d.rate * 100, 2)
        rows_chart.append(
            {
                "label": label,
                "value": value,
                "text": c.t("exhausted_short") if d.exhausted else c.pct(d.rate),
                "status": alert_label if d.infeasible else ok_label,
            }
        )
    desc = c.t(
        "local.delay.alt",
        first=cases[0].start_year,
        last=cases[-1].start_year,
        values="; ".join(
            f"{d.start_year}: {c.t('exhausted_short') if d.exhausted else c.pct(d.rate)}"
            for d in cases
        ),
    )
    spec = charts.cost_of_delay(
        rows=rows_chart,
        x_title=c.t("axis.start_year"),
        y_title=c.t("axis.rate_pct"),
        threshold=round(c.p.infeasible_rate * 100, 2),
        threshold_label=c.t("local.delay.threshold", rate=c.pct(c.p.infeasible_rate, 0)),
        description=desc,
        lang=c.lang,
        ok_label=ok_label,
        alert_label=alert_label,
    )
    trows = []
    for d in r.cost_of_delay:
        trows.append(
            (
                str(d.start_year),
                str(d.delay_years),
                c.tonnes(d.remaining_t),
                c.t("exhausted_short") if d.exhausted else c.pct(d.rate),
                c.year(d.near_zero_year) if d.near_zero_year is not None else c.t("none"),
                c.tonnes(d.extra_t),
                c.t("no") if d.infeasible else c.t("yes"),
            )
        )
    chart_table = c.data_table(
        "delay-chart-table",
        c.t("local.delay.chart_table_caption"),
        (c.t("col.start_year"), c.t("col.rate")),
        [(str(r_["label"]), str(r_["text"])) for r_ in rows_chart],
        align=("left", "right"),
    )
    table = c.table(
        "delay-table",
        c.t("local.delay.table_caption", area=c.area),
        (
            c.t("col.start_year"),
            c.t("col.delay_years"),
            c.t("col.remaining_at_start"),
            c.t("col.rate"),
            c.t("col.near_zero"),
            c.t("col.extra"),
            c.t("col.feasible", rate=c.pct(c.p.infeasible_rate, 0)),
        ),
        trows,
        align=("left", "right", "right", "right", "right", "right", "left"),
    )
    blocks: list[Block] = [_p(c.t("local.delay.p1"))]
    if len(cases) > 1:
        last = cases[-1]
        blocks.append(
            _p(
                c.t(
                    "local.delay.p2",
                    now=c.pct(r.rate),
                    year1=cases[1].start_year,
                    rate1=c.pct(cases[1].rate)
                    if not cases[1].exhausted
                    else c.t("exhausted_short"),
                    years=last.delay_years,
                    year_last=last.start_year,
                    rate_last=c.pct(last.rate) if not last.exhausted else c.t("exhausted_short"),
                    extra=c.tonnes(last.extra_t),
                )
            )
        )
        first_bad = next((d for d in cases if d.infeasible), None)
        if first_bad is not None and first_bad.delay_years > 0:
            blocks.append(
                _p(
                    c.t(
                        "local.delay.p_infeasible",
                        year=first_bad.start_year,
                        limit=c.pct(c.p.infeasible_rate, 0),
                    )
                )
            )
        elif first_bad is None:
            blocks.append(_p(c.t("local.delay.p_feasible", years=last.delay_years)))
    blocks.append(
        c.figure(
            "delay",
            "cost_of_delay",
            c.t("local.delay.caption", area=c.area),
            desc,
            spec,
            chart_table,
        )
    )
    blocks.append(table)
    return blocks


def _targets(c: _Ctx) -> list[Block]:
    r = c.r
    horizon = c.p.horizon_year
    keys = [k for k in _REFERENCE_ORDER if k in r.cumulative_t and k != "linear"]
    within_label = c.t("local.targets.within")
    over_label = c.t("local.targets.over")
    budget = max(r.remaining_t, 0.0)
    rows_chart = []
    for k in keys:
        v = r.cumulative_t[k]
        rows_chart.append(
            {
                "label": _ref_label(c, k),
                "value": c.chart_value(v),
                "text": c.tonnes(v),
                "status": within_label if v <= budget * (1 + 1e-9) else over_label,
            }
        )
    desc = c.t(
        "local.targets.alt",
        start=r.remaining_as_of,
        horizon=horizon,
        budget=c.tonnes(r.remaining_t),
        values="; ".join(f"{_ref_label(c, k)} {c.tonnes(r.cumulative_t[k])}" for k in keys),
    )
    spec = charts.cumulative_vs_budget(
        rows=rows_chart,
        budget=c.chart_value(budget),
        budget_label=c.t("local.targets.budget_rule", budget=c.tonnes(r.remaining_t)),
        x_title=c.t(
            "axis.cumulative", start=r.remaining_as_of, horizon=horizon, unit=c.unit_label()
        ),
        description=desc,
        lang=c.lang,
        within_label=within_label,
        over_label=over_label,
    )
    trows = []
    for k in keys:
        v = r.cumulative_t[k]
        trows.append(
            (
                _ref_label(c, k),
                c.tonnes(v),
                c.pct(v / r.remaining_t, 0) if r.remaining_t > 0 else c.t("none"),
                within_label if v <= budget * (1 + 1e-9) else over_label,
            )
        )
    chart_table = c.data_table(
        "targets-chart-table",
        c.t("local.targets.chart_table_caption", unit=c.unit_label()),
        (c.t("col.path"), c.t("col.cumulative_unit", unit=c.unit_label())),
        [
            (str(row["label"]), c.in_unit(r.cumulative_t[k]))
            for row, k in zip(rows_chart, keys, strict=True)
        ],
        align=("left", "right"),
    )
    table = c.table(
        "targets-table",
        c.t("local.targets.table_caption", start=r.remaining_as_of, horizon=horizon),
        (c.t("col.path"), c.t("col.cumulative"), c.t("col.share_of_budget"), c.t("col.verdict")),
        trows,
        align=("left", "right", "right", "left"),
    )
    blocks: list[Block] = [_p(c.t("local.targets.p1", horizon=horizon))]
    tc = r.target_check
    if tc is not None:
        targets = "; ".join(
            c.t(
                "local.targets.target_item",
                year=tg.year,
                reduction=c.pct(tg.reduction, 0),
                base=tg.base_year,
            )
            for tg in c.p.local_targets
        )
        key = "local.targets.local_within" if tc.within_budget else "local.targets.local_over"
        blocks.append(
            _p(
                c.t(
                    key,
                    targets=targets,
                    cumulative=c.tonnes(tc.cumulative_t),
                    budget=c.tonnes(tc.budget_t),
                    ratio=c.pct(tc.ratio, 0),
                    overshoot=c.tonnes(tc.overshoot_t),
                    horizon=horizon,
                )
            )
        )
    else:
        blocks.append(_p(c.t("local.targets.no_local")))
    if "sweden-targets" in r.cumulative_t and r.remaining_t > 0:
        v = r.cumulative_t["sweden-targets"]
        key = "local.targets.sweden_within" if v <= r.remaining_t else "local.targets.sweden_over"
        blocks.append(
            _p(c.t(key, cumulative=c.tonnes(v), ratio=c.pct(v / r.remaining_t, 0), horizon=horizon))
        )
    blocks.append(
        c.figure(
            "targets",
            "cumulative_vs_budget",
            c.t("local.targets.caption", start=r.remaining_as_of, horizon=horizon),
            desc,
            spec,
            chart_table,
        )
    )
    blocks.append(table)
    return blocks


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
        idx = sorted(idx, key=lambda i: names.get(run.codes[i], run.names[i]))
        rows = [
            (
                names.get(run.codes[i], run.names[i]),
                run.codes[i],
                c.tonnes(float(run.budget_t[i])),
                c.tonnes(float(run.remaining_t[i])),
                c.pct(float(run.rate[i])),
                c.pct(float(run.share[i]), 3),
            )
            for i in idx
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


def _official_names(c: _Ctx) -> dict[str, str]:
    if c.tables is None or c.lang != "sv":
        return {}
    return _names_of(c.tables)


@functools.lru_cache(maxsize=4)
def _names_of(tables: Tables) -> dict[str, str]:
    a = tables.areas
    return dict(zip(a["code"].astype(str), a["official_name"].astype(str), strict=True))


# ----------------------------------------------------------------------------------------------
# 4 sectors


def _sectors(c: _Ctx, ins: Insights) -> Section:
    r = c.r
    secs = [s for s in ins.sectors]
    base_years = c.run.allocation.base_years
    years_text = _years_span(base_years) if base_years else str(r.last_data_year)
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
        values="; ".join(f"{c.sector(s.sector)} {c.share(s.share)}" for s in secs),
    )
    spec = charts.sector_shares(
        rows=rows_chart, x_title=c.t("axis.share_pct"), description=desc, lang=c.lang
    )
    trows = []
    for s in secs:
        trows.append(
            (
                c.sector(s.sector),
                c.pct(s.share, 1),
                c.tonnes(s.emissions_t),
                c.pct(s.change_per_year) if s.change_per_year is not None else c.t("none"),
                c.tonnes(s.budget_t),
                c.t("fraction", n=s.one_in) if s.one_in is not None else c.t("none"),
            )
        )
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
    blocks: list[Block] = [
        _p(c.t("sectors.intro", years=years_text, threshold=c.pct(SECTOR_THRESHOLD, 0))),
        c.figure(
            "sector-shares",
            "sector_shares",
            c.t("sectors.caption", area=c.area, years=years_text),
            desc,
            spec,
            table,
        ),
    ]
    chosen = [s for s in secs if s.share >= SECTOR_THRESHOLD]
    for s in secs:
        if len(chosen) >= MIN_SECTOR_SECTIONS:
            break
        if s not in chosen and s.emissions_t > 0:
            chosen.append(s)
    subs = tuple(_sector_section(c, s, years_text) for s in chosen)
    return Section("sectors", c.t("sectors.title"), 1, tuple(blocks), subs)


def _sector_section(c: _Ctx, s: Any, years_text: str) -> Section:
    r = c.r
    name = c.sector(s.sector)
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
    if s.change_per_year is not None:
        key = "sectors.change_down" if s.change_per_year < 0 else "sectors.change_up"
        blocks.append(_p(c.t(key, change=c.pct(abs(s.change_per_year)))))
    if s.one_in is not None:
        blocks.append(
            _p(c.t("sectors.budget", budget=c.tonnes(s.budget_t), n=s.one_in, rate=c.pct(r.rate)))
        )
    if hist:
        first, last = hist[0], hist[-1]
        rows = [{"year": y, "value": c.chart_value(v)} for y, v in hist]
        desc = c.t(
            "sectors.history_alt",
            sector=name,
            first=first[0],
            last=last[0],
            e_first=c.tonnes(first[1]),
            e_last=c.tonnes(last[1]),
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
            c.t("sectors.history_table", sector=name, unit=c.unit_label()),
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
                    sector=name,
                    area=c.area,
                    first=first[0],
                    last=last[0],
                ),
                desc,
                spec,
                table,
            )
        )
    blocks.append(_sector_figures(c, s, name))
    sub = _subsector_table(c, s.sector, name, s.emissions_t)
    if sub is not None:
        blocks.append(sub)
    blocks.append(
        Callout(
            "insight",
            c.t(
                "sectors.influence_title",
                level=c.t(f"influence_level.{_INFLUENCE.get(s.sector, 'medium')}"),
            ),
            (_p(c.t(f"sectors.influence.{s.sector}")),),
        )
    )
    return Section(f"sector-{s.sector}", name, 2, tuple(blocks), new_page=True)


def _sector_figures(c: _Ctx, s: Any, name: str) -> Table:
    r = c.r
    path = dict(r.pathway)
    milestone = 2030
    rows = [
        (c.t("sectors.kf_share"), c.share(s.share)),
        (c.t("sectors.kf_emissions", year=s.year), c.tonnes(s.emissions_t)),
        (
            c.t("sectors.kf_change"),
            c.pct(s.change_per_year) if s.change_per_year is not None else c.t("none"),
        ),
        (c.t("sectors.kf_budget", year=r.remaining_as_of), c.tonnes(s.budget_t)),
        (
            c.t("sectors.kf_burn"),
            c.t("fraction", n=s.one_in) if s.one_in is not None else c.t("none"),
        ),
    ]
    if milestone in path and not r.exhausted:
        rows.append(
            (c.t("sectors.kf_milestone", year=milestone), c.tonnes(s.share * path[milestone]))
        )
    return c.table(
        f"sector-{s.sector}-figures",
        c.t("sectors.kf_caption", sector=name),
        (c.t("col.figure"), c.t("col.value")),
        rows,
        align=("left", "right"),
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


@functools.lru_cache(maxsize=4)
def _subsector_index(tables: Tables) -> dict[tuple[str, int, str], list[tuple[str, float]]]:
    """Subsector rows by (area code, year, sector id), built once per loaded edition."""
    from ..schema import SECTOR_NAMES_SV

    ids = {v: k for k, v in SECTOR_NAMES_SV.items()}
    out: dict[tuple[str, int, str], list[tuple[str, float]]] = {}
    ss = tables.subsectors
    for code, year, sector, sub, v in zip(
        ss["code"], ss["year"], ss["sector"], ss["subsector"], ss["emissions_t"], strict=True
    ):
        key = (str(code), int(year), ids.get(str(sector), str(sector)))
        out.setdefault(key, []).append((str(sub), float(v)))
    return out


def _subsector_table(
    c: _Ctx, sector: str, name: str, sector_t: float | None = None
) -> Table | None:
    """The sector's subsectors in the last data year, when SMHI's subsectors add up to the
    sector (within 5 %); SMHI publishes some that do not, and those are left out."""
    if c.tables is None or c.tables.subsectors is None or c.tables.subsectors.empty:
        return None
    year = c.r.last_data_year
    sel = [
        (sub, v)
        for sub, v in _subsector_index(c.tables).get((c.r.code, year, sector), [])
        if abs(v) > 0.5
    ]
    if len(sel) < 2:
        return None
    total = sum(v for _, v in sel)
    if sector_t is not None and abs(total - sector_t) > 0.05 * max(abs(sector_t), 1.0):
        return None
    sel.sort(key=lambda x: -x[1])
    rows = [(sub, c.tonnes(v), c.share(v / total) if total > 0 else c.t("none")) for sub, v in sel]
    return c.table(
        f"subsectors-{sector}",
        c.t("sectors.subsector_caption", sector=name, year=year),
        (c.t("col.subsector"), c.t("col.emissions_year", year=year), c.t("col.share_of_sector")),
        rows,
        align=("left", "right", "right"),
    )


# ----------------------------------------------------------------------------------------------
# 5 strategic insights


def _insights(c: _Ctx, ins: Insights) -> Section:
    subs = []
    for key, items in (
        ("next", ins.next_years(c)),
        ("wait", ins.can_wait(c)),
        ("early", ins.early_action(c)),
        ("sectors", ins.sector_sentences(c)),
    ):
        blocks: list[Block] = [_p(c.t(f"insights.{key}_intro", area=c.area))]
        if items:
            blocks.append(BulletList(tuple(_p(x) for x in items)))
        if key == "next":
            rows = ins.sector_milestone_rows(c)
            if rows:
                blocks.append(
                    c.table(
                        "sector-milestone",
                        c.t(
                            "insights.milestone_caption",
                            year=ins.milestone_year,
                            e0_year=c.r.e0_year,
                        ),
                        (
                            c.t("col.sector"),
                            c.t("col.level_now", year=c.r.e0_year),
                            c.t("col.level_then", year=ins.milestone_year),
                            c.t("col.cut_by", year=ins.milestone_year),
                        ),
                        rows,
                        align=("left", "right", "right", "right"),
                        notes=(
                            c.t(
                                "insights.milestone_note",
                                year=ins.milestone_year,
                                e0_year=c.r.e0_year,
                            ),
                        ),
                    )
                )
        subs.append(Section(f"insights-{key}", c.t(f"insights.{key}_title"), 2, tuple(blocks)))
    subs.append(
        Section(
            "insights-measures",
            c.t("insights.measures_title"),
            2,
            (
                _p(c.t("insights.measures_intro")),
                BulletList(tuple(_p(c.t(f"insights.measure_{i}")) for i in range(1, 7))),
            ),
        )
    )
    return Section(
        "insights",
        c.t("insights.title"),
        1,
        (_p(c.t("insights.intro", area=c.area)),),
        tuple(subs),
    )


# ----------------------------------------------------------------------------------------------
# 6 follow-up


def _follow_up(c: _Ctx) -> Section:
    r = c.r
    blocks: list[Block] = [_p(c.t("follow.intro"))]
    rows = list(r.ledger)
    if rows:
        adopted = c.run.adopted.edition if c.run.adopted is not None else r.edition
        blocks.append(_p(c.t("follow.adopted", year=r.budget_from, edition=adopted)))
        trows = []
        marked = []
        for i, row in enumerate(rows):
            if row.estimated:
                marked.append(i)
            trows.append(
                (
                    c.t("col.year_estimated", year=row.year) if row.estimated else str(row.year),
                    c.tonnes(row.opening_t),
                    c.tonnes(row.emitted_t),
                    c.tonnes(row.closing_t),
                    c.tonnes(row.planned_t) if row.planned_t is not None else c.t("none"),
                    c.tonnes(row.variance_t) if row.variance_t is not None else c.t("none"),
                    c.tonnes(row.cumulative_variance_t)
                    if row.cumulative_variance_t is not None
                    else c.t("none"),
                    c.t("yes")
                    if row.on_track
                    else c.t("no")
                    if row.on_track is not None
                    else c.t("none"),
                )
            )
        table = c.table(
            "ledger-table",
            c.t("follow.table_caption", area=c.area),
            (
                c.t("col.year"),
                c.t("col.opening"),
                c.t("col.emitted"),
                c.t("col.closing"),
                c.t("col.planned"),
                c.t("col.variance"),
                c.t("col.cumulative_variance"),
                c.t("col.on_track"),
            ),
            trows,
            align=("left",) + ("right",) * 6 + ("left",),
            marked_rows=marked,
            notes=(c.t("local.emissions.table_note"),) if marked else (),
        )
        last = rows[-1]
        if last.on_track is not None and last.cumulative_variance_t is not None:
            key = "follow.on_track" if last.on_track else "follow.off_track"
            blocks.append(
                _p(
                    c.t(
                        key,
                        year=last.year,
                        variance=c.tonnes(abs(last.cumulative_variance_t)),
                        closing=c.tonnes(last.closing_t),
                    )
                )
            )
        series = [c.t("follow.series_emitted"), c.t("follow.series_planned")]
        crows: list[dict[str, Any]] = []
        for row in rows:
            crows.append(
                {"year": row.year, "series": series[0], "value": c.chart_value(row.emitted_t)}
            )
            if row.planned_t is not None:
                crows.append(
                    {"year": row.year, "series": series[1], "value": c.chart_value(row.planned_t)}
                )
        desc = c.t(
            "follow.alt",
            values="; ".join(
                c.t(
                    "follow.alt_item",
                    year=row.year,
                    emitted=c.tonnes(row.emitted_t),
                    planned=c.tonnes(row.planned_t) if row.planned_t is not None else c.t("none"),
                )
                for row in rows
            ),
        )
        spec = charts.ledger(
            rows=crows,
            x_title=c.t("axis.year"),
            y_title=c.t("axis.emissions", unit=c.unit_label()),
            description=desc,
            lang=c.lang,
            series=series,
        )
        chart_table = c.data_table(
            "ledger-chart-table",
            c.t("follow.chart_table_caption", unit=c.unit_label()),
            (c.t("col.year"), series[0], series[1]),
            [
                (
                    str(row.year),
                    c.in_unit(row.emitted_t),
                    c.in_unit(row.planned_t) if row.planned_t is not None else c.t("none"),
                )
                for row in rows
            ],
            align=("left", "right", "right"),
        )
        blocks.append(table)
        blocks.append(_p(c.t("follow.read_intro")))
        blocks.append(
            BulletList(
                tuple(
                    _p(_strong(c.t(f"col.{k}") + ": "), c.t(f"follow.read_{k}"))
                    for k in ("opening", "emitted", "closing", "planned", "variance", "on_track")
                )
            )
        )
        blocks.append(
            c.figure(
                "ledger", "ledger", c.t("follow.caption", area=c.area), desc, spec, chart_table
            )
        )
    else:
        blocks.append(_p(c.t("follow.no_rows", year=r.budget_from, as_of=r.remaining_as_of)))
    blocks += _ceilings(c)
    blocks += _what_changed(c)
    blocks.append(_p(_strong(c.t("follow.governance_title"))))
    blocks.append(_p(c.t("follow.governance_intro")))
    blocks.append(BulletList(tuple(_p(c.t(f"follow.governance_{i}")) for i in range(1, 7))))
    return Section("follow-up", c.t("follow.title"), 1, tuple(blocks))


def _what_changed(c: _Ctx) -> list[Block]:
    """ "Vad har ändrats sedan förra utgåvan?": the change in budget, remaining budget and required
    cut since the previous edition, attributed cause by cause (``diff``)."""
    from . import changes as diff

    blocks: list[Block] = [_p(_strong(diff.t_title(c.lang)))]
    change = getattr(c, "change", None)
    if change is None:
        blocks.append(_p(c.t("follow.changes_first", edition=c.r.edition)))
        return blocks
    blocks.append(_p(c.t("follow.changes_intro", old=change.old_edition, new=change.new_edition)))
    blocks.append(
        BulletList(
            tuple(_p(diff.sentence(change, c.lang, q)) for q in ("budget", "remaining", "rate"))
        )
    )
    rows = [
        (
            c.t("follow.changes_budget"),
            c.tonnes(change.budget.old),
            c.tonnes(change.budget.new),
            c.tonnes(change.budget.total),
        ),
        (
            c.t("follow.changes_remaining"),
            c.tonnes(change.remaining.old),
            c.tonnes(change.remaining.new),
            c.tonnes(change.remaining.total),
        ),
        (
            c.t("follow.changes_rate"),
            c.pct(change.rate.old),
            c.pct(change.rate.new),
            c.t("follow.changes_points", points=c.num(change.rate.total * 100, 1)),
        ),
    ]
    blocks.append(
        c.table(
            "changes",
            c.t("follow.changes_caption", area=c.area),
            (
                c.t("follow.changes_figure"),
                c.t("follow.changes_old"),
                c.t("follow.changes_new"),
                c.t("follow.changes_change"),
            ),
            rows,
            align=("left", "right", "right", "right"),
        )
    )
    return blocks


#: Years of annual ceilings listed one by one, then in five-year steps to the horizon.
CEILING_YEARS = 10


def _ceilings(c: _Ctx) -> list[Block]:
    r = c.r
    if r.exhausted or not r.pathway:
        return []
    horizon = c.p.horizon_year
    rows = []
    used = 0.0
    prev = r.e0_t
    first = r.remaining_as_of
    for y, v in r.pathway:
        used += v
        if y > horizon:
            break
        if y < first + CEILING_YEARS or y % 5 == 0:
            rows.append(
                (
                    str(y),
                    c.tonnes(v),
                    c.tonnes(prev - v),
                    c.tonnes(used),
                    c.tonnes(r.remaining_t - used),
                )
            )
        prev = v
    return [
        _p(_strong(c.t("follow.ceilings_title"))),
        _p(c.t("follow.ceilings_intro", rate=c.pct(r.rate), year=first)),
        c.table(
            "ceilings",
            c.t("follow.ceilings_caption", area=c.area),
            (
                c.t("col.year"),
                c.t("col.ceiling"),
                c.t("col.cut_from_previous"),
                c.t("col.used_since", year=first),
                c.t("col.left_after"),
            ),
            rows,
            align=("left", "right", "right", "right", "right"),
            notes=(c.t("follow.ceilings_note"),),
        ),
    ]


# ----------------------------------------------------------------------------------------------
# 7 appendices


def _appendices(c: _Ctx) -> list[Section]:
    return [
        Section("method", c.t("appendix.method.title"), 1, tuple(_method_blocks(c)), appendix=True),
        Section("data", c.t("appendix.data.title"), 1, tuple(_data_blocks(c)), appendix=True),
        Section(
            "figures", c.t("appendix.figures_all.title"), 1, tuple(_all_figures(c)), appendix=True
        ),
        Section("faq", c.t("appendix.faq.title"), 1, tuple(_faq(c)), appendix=True),
        Section("glossary", c.t("appendix.glossary.title"), 1, tuple(_glossary(c)), appendix=True),
        Section(
            "references",
            c.t("appendix.references.title"),
            1,
            (BulletList(tuple(_p(c.t(f"appendix.references.ref_{i}")) for i in range(1, 9))),),
            appendix=True,
        ),
        Section(
            "figure-data",
            c.t("appendix.figures.title"),
            1,
            (_p(c.t("appendix.figures.intro")),),
            appendix=True,
            figure_tables=True,
        ),
    ]


def _method_blocks(c: _Ctx) -> list[Block]:
    blocks: list[Block] = [_p(c.t("appendix.method.intro"))]
    items = []
    for step in c.run.steps:
        text = _step_text(c, step.id, step.values)
        if text:
            items.append(_p(_strong(c.t(f"step_title.{step.id}") + ": "), text))
    blocks.append(BulletList(tuple(items)))
    blocks.append(_p(c.t("appendix.method.conventions")))
    blocks.append(
        BulletList(tuple(_p(_strong(f"{k}: "), c.t(f"convention_explain.{k}")) for k in "ABCD"))
    )
    rows = []
    for name in FIELD_DOCS:
        rows.append(
            (
                name,
                _param_value(c, getattr(c.p, name, None)),
                _catalogue_or(c, f"param.{name}", FIELD_DOCS[name]),
            )
        )
    blocks.append(
        c.table(
            "parameters",
            c.t("appendix.method.table_caption", preset=c.p.preset),
            (c.t("col.parameter"), c.t("col.value"), c.t("col.meaning")),
            rows,
            align=("left", "left", "left"),
            compact=True,
        )
    )
    changed = c.p.changed()
    if changed:
        blocks.append(
            _p(c.t("appendix.method.changed", names=", ".join(sorted(changed)), preset=c.p.preset))
        )
    blocks.append(_p(c.t("appendix.method.reproduce", preset=c.p.preset, edition=c.r.edition)))
    return blocks


def _param_value(c: _Ctx, v: Any) -> str:
    if isinstance(v, bool):
        return c.t("yes") if v else c.t("no")
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if v == int(v) and abs(v) >= 1:
            return c.num(v)
        text = fmt.number(v, c.lang, decimals=4)
        sep = "," if c.lang == "sv" else "."
        if sep in text:
            text = text.rstrip("0").rstrip(sep)
        return text
    if isinstance(v, tuple):
        if not v:
            return c.t("none")
        parts = []
        for x in v:
            if dataclasses.is_dataclass(x):
                parts.append(
                    " ".join(_param_value(c, getattr(x, f.name)) for f in dataclasses.fields(x))
                )
            elif isinstance(x, tuple):
                parts.append(" ".join(_param_value(c, y) for y in x))
            else:
                parts.append(_param_value(c, x))
        return ", ".join(parts)
    return str(v) if str(v) else c.t("none")


def _step_text(c: _Ctx, sid: str, v: dict[str, Any]) -> str:
    if sid == "global-budget":
        return c.t(
            "step.global-budget",
            source=_source_name(c, str(v.get("source"))),
            temperature=fmt.number(float(v.get("temperature_c", 0)), c.lang, decimals=1),
            probability=v.get("probability_pct"),
            published=c.num(float(v.get("published_gt", 0))),
            published_from=v.get("published_from"),
            remaining=c.num(float(v.get("remaining_gt", 0))),
            year=v.get("year"),
        )
    if sid == "national-budget":
        return c.t(
            "step.national-budget",
            mode=c.t(f"national_mode.{v.get('mode')}"),
            budget=c.tonnes(float(v.get("budget_t", 0))),
            year=v.get("from"),
            overhead=c.tonnes(float(v.get("overhead_t", 0))),
            allocated=c.tonnes(float(v.get("allocated_t", 0))),
        )
    if sid == "exclusions":
        sectors = ", ".join(c.sector(s) for s in v.get("exclude_sectors", [])) or c.t("none")
        facilities = ", ".join(v.get("facilities", [])) or c.t("none")
        return c.t(
            "step.exclusions",
            sectors=sectors,
            cement=c.t("yes") if v.get("exclude_cement") else c.t("no"),
            facilities=facilities,
            tonnes=c.tonnes(float(v.get("excluded_last_year_t", 0))),
        )
    if sid == "allocation":
        return c.t(
            "step.allocation",
            rule=c.t(f"allocation.{v.get('rule')}"),
            years=_years_span(v.get("base_years") or []) or c.t("none"),
            municipalities=v.get("municipalities"),
            total=c.tonnes(float(v.get("sum_t", 0))),
        )
    if sid == "nowcast":
        est = v.get("estimated_years") or []
        return c.t(
            "step.nowcast" if est else "step.nowcast_none",
            method=c.t(f"nowcast.{v.get('method')}"),
            trend=_years_span(v.get("trend_years") or []) or c.t("none"),
            last=v.get("last_data_year"),
            years=_years_span(est),
        )
    if sid == "pathway":
        return c.t(
            "step.pathway",
            convention=c.t(f"convention.{v.get('convention')}"),
            as_of=v.get("as_of"),
            e0_year=v.get("e0_year"),
        )
    return ", ".join(f"{k} = {x}" for k, x in v.items())


def _data_blocks(c: _Ctx) -> list[Block]:
    r = c.r
    blocks: list[Block] = [_p(c.t("appendix.data.intro", edition=r.edition, last=r.last_data_year))]
    m = c.manifest
    if m:
        years = m.get("data_years") or []
        blocks.append(
            _p(
                c.t(
                    "appendix.data.edition",
                    edition=m.get("id", r.edition),
                    release=m.get("release", ""),
                    publisher=m.get("publisher", ""),
                    years=", ".join(str(y) for y in years) or c.t("none"),
                    method=m.get("method_version", ""),
                )
            )
        )
        rows = []
        for inp in m.get("inputs", []):
            role = str(inp.get("role", ""))
            rows.append(
                (
                    _catalogue_or(c, f"source_role.{role}", role),
                    str(inp.get("publisher") or c.t("none")),
                    str(inp.get("path", "")),
                    str(inp.get("vintage") or c.t("none")),
                    str(inp.get("sha256", ""))[:12],
                )
            )
        if rows:
            blocks.append(
                c.table(
                    "sources",
                    c.t("appendix.data.table_caption", edition=m.get("id", r.edition)),
                    (
                        c.t("col.role"),
                        c.t("col.publisher"),
                        c.t("col.file"),
                        c.t("col.vintage"),
                        c.t("col.sha"),
                    ),
                    rows,
                    align=("left",) * 5,
                    compact=True,
                )
            )
    blocks.append(BulletList(tuple(_p(c.t(f"appendix.data.source_{i}")) for i in range(1, 6))))
    blocks.append(_p(c.t("appendix.data.licence")))
    return blocks


def _catalogue_or(c: _Ctx, key: str, default: str) -> str:
    from .i18n import catalogue

    return catalogue(c.lang).get(f"report.{key}", default)


def _all_figures(c: _Ctx) -> list[Block]:
    r = c.r
    none = c.t("none")

    def opt(v: Any, f: Any) -> str:
        return str(f(v)) if v is not None else none

    rows = [
        ("budget_t", c.tonnes(r.budget_t)),
        ("share", c.pct(r.share, 3)),
        ("remaining_t", c.tonnes(r.remaining_t)),
        ("e0_t", c.tonnes(r.e0_t)),
        ("rate", c.pct(r.rate)),
        ("years_left", opt(r.years_left, lambda v: c.num(v, 1))),
        ("exhaustion_year", opt(r.exhaustion_year, str)),
        ("burn_share", opt(r.burn_share, c.pct)),
        ("one_in_n", opt(r.one_in_n, lambda v: c.t("fraction", n=v))),
        ("recent_change", opt(r.recent_change, c.pct)),
        ("trend_slope_t", c.tonnes(r.trend_slope_t)),
        ("trend_exhaustion_date", opt(r.trend_exhaustion_date, lambda v: fmt.date(v, c.lang))),
        ("trend_zero_year", opt(r.trend_zero_year, c.year)),
        ("near_zero_year", opt(r.near_zero_year, c.year)),
        ("linear_zero_year", opt(r.linear_zero_year, c.year)),
        ("budget_per_capita_t", c.t("profile.tonnes", value=c.num(r.budget_per_capita_t, 1))),
        (
            "emissions_per_capita_t",
            c.t("profile.tonnes", value=c.num(r.emissions_per_capita_t, 2)),
        ),
        ("last_data_year", str(r.last_data_year)),
    ]
    return [
        _p(c.t("appendix.figures_all.intro")),
        c.table(
            "all-figures",
            c.t("appendix.figures_all.caption", area=c.area, year=r.remaining_as_of),
            (c.t("col.figure"), c.t("col.value"), c.t("col.definition"), c.t("col.json_key")),
            [(c.t(f"figure_name.{k}"), v, c.t(f"figure_def.{k}"), k) for k, v in rows],
            align=("left", "right", "left", "left"),
            compact=True,
        ),
    ]


_FAQ = ("change", "consumption", "offset", "overshoot", "targets", "update", "small", "ets")


def _faq(c: _Ctx) -> list[Block]:
    blocks: list[Block] = [_p(c.t("appendix.faq.intro"))]
    for k in _FAQ:
        blocks.append(_p(_strong(c.t(f"appendix.faq.{k}_q"))))
        blocks.append(_p(c.t(f"appendix.faq.{k}_a", area=c.area)))
    return blocks


_GLOSSARY = (
    "budget",
    "remaining",
    "rate",
    "convention",
    "e0",
    "nowcast",
    "grandfathering",
    "per_capita",
    "overhead",
    "territorial",
    "lulucf",
    "carbon_law",
    "near_zero",
    "ledger",
    "edition",
    "tcre",
)


def _glossary(c: _Ctx) -> list[Block]:
    rows = [(c.t(f"glossary.{k}_term"), c.t(f"glossary.{k}")) for k in _GLOSSARY]
    return [
        c.table(
            "glossary",
            c.t("appendix.glossary.caption"),
            (c.t("col.term"), c.t("col.explanation")),
            rows,
            align=("left", "left"),
            numbered=False,
        )
    ]
