"""The appendices: method and parameters, data, key figures, FAQ, glossary, references, figure tables."""

from __future__ import annotations

import dataclasses
from typing import Any

from ...method.budget import METHOD_VERSION
from ...method.params import FIELD_DOCS
from .. import fmt
from ..document import Block, BulletList, QrCode, Section
from .context import _Ctx, _p, _strong, _years_span
from .general import _source_name


def _appendices(c: _Ctx) -> list[Section]:
    return [
        Section("method", c.t("appendix.method.title"), 1, tuple(_method_blocks(c)), appendix=True),
        Section("data", c.t("appendix.data.title"), 1, tuple(_data_blocks(c)), appendix=True),
        Section(
            "figures", c.t("appendix.figures_all.title"), 1, tuple(_all_figures(c)), appendix=True
        ),
        Section(
            "faq",
            c.t("appendix.faq.title"),
            1,
            (_p(c.t("appendix.faq.intro")),),
            _faq(c),
            appendix=True,
        ),
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
        Section("colophon", c.t("colophon.title"), 1, tuple(_colophon(c)), appendix=True),
    ]


def _program_version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("koldioxidbudget")
    except PackageNotFoundError:  # run from a source tree that is not installed
        return "0"


def _colophon(c: _Ctx) -> list[Block]:
    """Who made the report and how: the customer and contact (from the profile), the edition,
    method and program versions, how to cite it, the licence, and the area's visualiser as a
    link and QR code when the profile gives its address."""
    r, prof, m = c.r, c.profile, c.manifest or {}
    program = _program_version()
    rows: list[tuple[str, str]] = [(c.t("colophon.area"), f"{c.area} ({r.code})")]
    if prof is not None:
        rows.append((c.t("colophon.customer"), prof.customer_name))
        contact = ", ".join(
            v for k in ("name", "email", "phone", "url") if (v := prof.contact.get(k))
        )
        if contact:
            rows.append((c.t("colophon.contact"), contact))
        if prof.foreword_authors:
            rows.append((c.t("colophon.foreword"), "; ".join(prof.foreword_authors)))
    rows += [
        (c.t("colophon.budget"), c.temperature()),
        (c.t("colophon.preset"), r.parameters.preset),
        (
            c.t("colophon.edition"),
            c.t("colophon.edition_value", edition=r.edition, release=m.get("release", r.edition))
            if m.get("release")
            else r.edition,
        ),
        (
            c.t("colophon.made_with"),
            c.t("colophon.made_with_value", program=program, method=METHOD_VERSION),
        ),
    ]
    blocks: list[Block] = [
        _p(c.t("colophon.intro", area=c.area)),
        c.table(
            "colophon",
            c.t("colophon.table_caption"),
            (c.t("colophon.col_what"), c.t("colophon.col_value")),
            rows,
            align=("left", "left"),
            numbered=False,
        ),
        _p(
            c.t(
                "colophon.cite",
                publisher=prof.customer_name if prof is not None else c.t("author_default"),
                year=r.remaining_as_of,
                title=c.t("title", area=c.area),
                subtitle=c.t("subtitle", temperature=c.temperature(), year=r.budget_from),
                edition=r.edition,
                program=program,
            )
        ),
        _p(c.t("colophon.licence")),
    ]
    if prof is not None and prof.visualiser_url:
        blocks.append(QrCode(prof.visualiser_url, c.t("colophon.visualiser", area=c.area)))
    return blocks


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
    # the reader's words for each parameter, not its Python name (docs/method.md lists those)
    rows = [
        (
            _catalogue_or(c, f"param.{name}", FIELD_DOCS[name]),
            _param_value(c, getattr(c.p, name, None)),
        )
        for name in FIELD_DOCS
    ]
    blocks.append(
        c.table(
            "parameters",
            c.t("appendix.method.table_caption", preset=c.p.preset),
            (c.t("col.meaning"), c.t("col.value")),
            rows,
            align=("left", "right"),
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
        text = c.t(
            "step.exclusions",
            sectors=sectors,
            cement=c.t("step.cement_yes") if v.get("exclude_cement") else c.t("step.cement_no"),
            tonnes=c.tonnes(float(v.get("excluded_last_year_t", 0))),
        )
        if v.get("facilities"):
            text += " " + c.t("step.facilities", facilities=", ".join(v["facilities"]))
        return text
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
                    # a break opportunity after each / and _ so a long path wraps in its cell
                    str(inp.get("path", "")).replace("/", "/\u200b").replace("_", "_\u200b"),
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
                        c.t("col.file"),
                        c.t("col.vintage"),
                        c.t("col.sha"),
                    ),
                    rows,
                    align=("left",) * 4,
                    compact=True,
                )
            )
    blocks.append(BulletList(tuple(_p(c.t(f"appendix.data.source_{i}")) for i in range(1, 6))))
    blocks.append(_p(c.t("appendix.data.licence")))
    return blocks


def _catalogue_or(c: _Ctx, key: str, default: str) -> str:
    from ..i18n import catalogue

    return catalogue(c.lang).get(f"report.{key}", default)


def _all_figures(c: _Ctx) -> list[Block]:
    r = c.r
    none = c.t("none")

    def opt(v: Any, f: Any) -> str:
        return str(f(v)) if v is not None else none

    rows = [
        ("budget_t", c.tonnes(r.budget_t)),
        *([("share", c.pct(r.share, 3))] if r.level != "riket" else []),
        ("remaining_t", c.tonnes(r.remaining_t)),
        ("e0_t", c.tonnes(r.e0_t)),
        ("rate", c.rate_of(r)),
        ("years_left", opt(r.years_left, lambda v: c.num(v, 1))),
        ("exhaustion_year", opt(r.exhaustion_year, str)),
        ("burn_share", opt(r.burn_share, c.pct)),
        ("one_in_n", opt(r.one_in_n, lambda v: c.t("fraction", n=v))),
        ("recent_change", opt(r.recent_change, c.pct)),
        ("trend_slope_t", c.tonnes(r.trend_slope_t)),
        ("trend_exhaustion_date", opt(r.trend_exhaustion_date, lambda v: str(v.year))),
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
            (c.t("col.figure"), c.t("col.value"), c.t("col.definition")),
            [(c.t(f"figure_name.{k}"), v, c.t(f"figure_def.{k}")) for k, v in rows],
            align=("left", "right", "left"),
            compact=True,
        ),
    ]


_FAQ = ("change", "consumption", "offset", "overshoot", "targets", "update", "small", "ets")


def _faq(c: _Ctx) -> tuple[Section, ...]:
    """One sub-heading per question (a real heading, not a bold paragraph)."""
    return tuple(
        Section(
            f"faq-{k}",
            c.t(f"appendix.faq.{k}_q"),
            2,
            (_p(c.t(f"appendix.faq.{k}_a", area=c.area)),),
            numbered=False,  # questions are headings inside appendix D, not numbered chapters
        )
        for k in _FAQ
    )


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
