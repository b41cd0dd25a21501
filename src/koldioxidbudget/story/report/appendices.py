"""The appendices: method and parameters, data, key figures, FAQ, glossary, references, figure tables."""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
from collections.abc import Sequence
from typing import Any

from ...method.budget import METHOD_VERSION
from ...method.params import FIELD_DOCS
from .. import fmt
from ..document import Block, BulletList, QrCode, Section
from .context import _Ctx, _p, _strong
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
            _param_display(c, name, getattr(c.p, name, None)),
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
        # the reader's words and values, as in the table (the field names are the open data's)
        blocks.append(_p(c.t("appendix.method.changed", preset=c.p.preset)))
        blocks.append(
            BulletList(
                tuple(
                    _p(
                        _catalogue_or(c, f"param.{name}", FIELD_DOCS.get(name, name)).rstrip(".")
                        + ": "
                        + _param_display(c, name, getattr(c.p, name, None))
                    )
                    for name in sorted(changed, key=_field_order)
                )
            )
        )
    blocks.append(_p(c.t("appendix.method.reproduce", preset=c.p.preset, edition=c.r.edition)))
    return blocks


#: parameters whose value is a choice, shown through the catalogue table that names it
_CHOICE_WORDS = {
    "global_source": "global_source",
    "national_published_source": "global_source",
    "national_mode": "national_mode",
    "allocation": "allocation",
    "nowcast": "nowcast",
    "convention": "convention",
    "base_years": "param_value.base_years",
    "deduction_excess": "param_value.deduction_excess",
    "international_transport": "param_value.international_transport",
    "e0_basis": "param_value.e0_basis",
}
#: parameters that are fractions, shown as percentages
_PERCENT = {
    "developing_growth",
    "developing_decline",
    "cement_process_share",
    "carbon_law_rate",
    "infeasible_rate",
    "residual_fraction",
    "blend_weight",
}


def _field_order(name: str) -> int:
    order = list(FIELD_DOCS)
    return order.index(name) if name in order else len(order)


def _param_display(c: _Ctx, name: str, v: Any) -> str:
    """A parameter's value as a reader reads it: a choice in words, a fraction as a percentage,
    tonnes with their unit, targets and sectors by name (the ids stay in the open data)."""
    if name in _CHOICE_WORDS and isinstance(v, str):
        key = f"{_CHOICE_WORDS[name]}.{v}"
        return c.t(key) if c.has(key) else v
    if name in _PERCENT and isinstance(v, float):
        return _percent_trimmed(c, v)
    if name.endswith("_t") and isinstance(v, float):
        return c.tonnes(v)
    if name == "exclude_sectors":
        return ", ".join(c.sector(s) for s in v) or c.t("none")
    if name == "local_targets":
        return c.t("list_sep").join(
            c.t(
                "param_value.target",
                reduction=_percent_trimmed(c, t.reduction),
                year=t.year,
                base=t.base_year,
            )
            for t in v
        ) or c.t("none")
    if name == "national_facilities":
        return ", ".join(
            c.t("param_value.facility", name=f.name, tonnes=c.tonnes(f.emissions_t)) for f in v
        ) or c.t("none")
    if name == "national_preliminary_t":
        return ", ".join(
            c.t("param_value.preliminary", year=y, tonnes=c.tonnes(t)) for y, t in v
        ) or c.t("none")
    return _param_value(c, v)


def _percent_trimmed(c: _Ctx, fraction: float) -> str:
    """``0.1172`` → ``11,72 %``, ``0.02`` → ``2 %``: as many decimals as the value has (≤ 2)."""
    decimals = next(
        (d for d in range(3) if abs(round(fraction * 100, d) - fraction * 100) < 1e-9), 2
    )
    return fmt.percent(fraction, c.lang, decimals=decimals)


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
        sectors = ", ".join(c.sector_in_text(s) for s in v.get("exclude_sectors", [])) or c.t(
            "none"
        )
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
            years=fmt.years_span(v.get("base_years") or []) or c.t("none"),
            municipalities=v.get("municipalities"),
            total=c.tonnes(float(v.get("sum_t", 0))),
        )
    if sid == "nowcast":
        est = v.get("estimated_years") or []
        return c.t(
            "step.nowcast" if est else "step.nowcast_none",
            method=c.t(f"nowcast.{v.get('method')}"),
            trend=fmt.years_span(v.get("trend_years") or []) or c.t("none"),
            last=v.get("last_data_year"),
            years=fmt.years_span(est),
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
    """The edition in words and its sources by content, publisher and version; the file names
    and checksums are the open data's manifest, not the reader's."""
    r = c.r
    blocks: list[Block] = [_p(c.t("appendix.data.intro", edition=r.edition, last=r.last_data_year))]
    m = c.manifest
    if m:
        release = str(m.get("release", ""))
        with contextlib.suppress(ValueError):  # a release that is not a date stays as it is
            release = fmt.date(_dt.date.fromisoformat(release), c.lang)
        blocks.append(
            _p(
                c.t(
                    "appendix.data.edition",
                    edition=m.get("id", r.edition),
                    release=release,
                    publisher=_catalogue_or(c, "source_publisher.emissions", ""),
                    years=_years_list(c, m.get("data_years") or []),
                    method=m.get("method_version", ""),
                )
            )
        )
        rows: list[tuple[str, str, str]] = []
        for inp in m.get("inputs", []):
            role = str(inp.get("role", ""))
            row = (
                _catalogue_or(c, f"source_role.{role}", role),
                _catalogue_or(c, f"source_publisher.{role}", str(inp.get("publisher", ""))),
                str(inp.get("vintage") or c.t("none")),
            )
            if row not in rows:  # one row per content and version, however many files
                rows.append(row)
        if rows:
            blocks.append(
                c.table(
                    "sources",
                    c.t("appendix.data.table_caption", edition=m.get("id", r.edition)),
                    (c.t("col.role"), c.t("col.publisher"), c.t("col.vintage")),
                    rows,
                    align=("left",) * 3,
                    compact=True,
                    notes=(c.t("appendix.data.manifest"),),
                )
            )
    blocks.append(BulletList(tuple(_p(c.t(f"appendix.data.source_{i}")) for i in range(1, 6))))
    blocks.append(_p(c.t("appendix.data.licence")))
    return blocks


def _years_list(c: _Ctx, years: Sequence[int]) -> str:
    """``1990, 2000, 2005, 2010 och 2015–2022``: runs of consecutive years as spans."""
    ys = sorted(int(y) for y in years)
    if not ys:
        return c.t("none")
    runs: list[list[int]] = [[ys[0]]]
    for y in ys[1:]:
        if y == runs[-1][-1] + 1:
            runs[-1].append(y)
        else:
            runs.append([y])
    items: list[str] = []
    for run in runs:
        items += [f"{run[0]}–{run[-1]}"] if len(run) > 2 else [str(y) for y in run]
    return c.join(items)


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
        ("years_left", opt(r.years_left, lambda v: c.t("kf.years_value", years=c.num(v, 1)))),
        ("exhaustion_year", opt(r.exhaustion_year, str)),
        ("burn_share", opt(r.burn_share, c.pct)),
        ("one_in_n", opt(r.one_in_n, lambda v: c.t("fraction", n=v))),
        # changes carry their sign: "+75,9 %" beside "−5,8 %"
        ("recent_change", opt(r.recent_change, c.signed_pct)),
        ("trend_slope_t", fmt.signed_tonnes(r.trend_slope_t, c.lang)),
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
    """One sub-heading per question (a real heading, not a bold paragraph), in the words of the
    area's level (``c.t``: a county's and Sweden's own questions)."""
    return tuple(
        Section(
            f"faq-{k}",
            c.t(f"appendix.faq.{k}_q"),
            2,
            (_p(_faq_answer(c, k)),),
            numbered=False,  # questions are headings inside appendix D, not numbered chapters
        )
        for k in _FAQ
    )


def _faq_answer(c: _Ctx, k: str) -> str:
    text = c.t(f"appendix.faq.{k}_a", area=c.area)
    if k == "small" and c.r.level == "riket":
        # Sweden's share of the world's fossil CO₂ in the last year both are published
        ge = c.tables.global_emissions if c.tables is not None else None
        if ge is not None and not ge.empty:
            last = ge.sort_values("year").iloc[-1]
            world, sweden = float(last["world_fossil_mt"]), float(last["sweden_fossil_mt"])
            if world > 0 and sweden > 0:
                share = c.t(
                    "appendix.faq.small_share",
                    share=c.pct(sweden / world, 2),
                    year=int(last["year"]),
                )
                text = f"{share} {text}"
    return text


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
