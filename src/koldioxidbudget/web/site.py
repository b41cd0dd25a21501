"""The visualiser as a static site: ``build_site`` writes every page for every area; ``export_area``
writes one area as a single HTML file that works offline from ``file://``.

Layout of a built site (every URL relative, so the folder can live under any path)::

    index.html                 → sv/
    sv/ en/                    start page: search, map, sortable list
    sv/<code>/                 area page (views: ?view=oversikt|scenarier|sektorer|…)
    sv/<code>/presentation/    presentation mode (slides)
    sv/<code>/embed/           the embeddable page (?view=…&accent=…)
    sv/om-data/ sv/tillganglighet/ sv/inbaddning/
    data/<code>.<hash>.json    one area's figures (``sitedata.area_payload``)
    assets/                    Vega bundle, font, stylesheet, ES modules, UI texts + chart specs

The state of a page lives in its URL (language in the path; view, temperature/probability,
delay, sector rates and hidden paths in the query), so a link restores it. Pages carry no inline
script or event handler (a strict Content-Security-Policy works); data comes from files, or, in
the export, from ``<script type="application/json">`` blocks.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as _dt
import hashlib
import json
import logging
import os
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jinja2

from ..errors import ParameterError
from ..files import write_atomic
from ..method.budget import METHOD_VERSION, AreaResult
from ..method.params import Parameters
from ..method.pathway import CONVENTIONS
from ..schema import SECTORS, Tables
from ..service.scenario import Scenario
from ..settings import environment
from ..story import fmt
from ..story.i18n import LANGUAGES, catalogue, place_name, t
from ..story.keyfigures import key_figures
from . import assets as _assets
from .mapsvg import SwedenMap, load_map
from .sitedata import SiteData, area_payload, site_data
from .specs import PATH_IDS, chart_templates

__all__ = ["VIEWS", "BuildReport", "build_site", "export_area"]

log = logging.getLogger(__name__)

#: The views of an area page, in menu order (kebab ids used in URLs).
VIEWS = ("oversikt", "scenarier", "sektorer", "per-invanare", "bokforing", "andringar", "metod")
#: Views that can be embedded.
EMBED_VIEWS = ("oversikt", "scenarier", "sektorer", "per-invanare", "bokforing")
PAGES = {
    "about": "om-data",
    "accessibility": "tillganglighet",
    "embed": "inbaddning",
    "guide": "om-koldioxidbudget",
}


@dataclass(frozen=True)
class BuildReport:
    """What a build wrote and how long it took."""

    out: Path
    edition: str
    areas: int
    pages: int
    seconds: float


# ---------------------------------------------------------------------------------------------
# formatting helpers (every number through story.fmt)


def _kt(value: float | None, lang: str, decimals: int = 0) -> str:
    if value is None:
        return t("site.none", lang)
    return fmt.number(value / 1000.0, lang, decimals=decimals)


def _pct(value: float | None, lang: str, decimals: int = 1) -> str:
    if value is None:
        return t("site.none", lang)
    return fmt.percent(value, lang, decimals=decimals)


def _signed_pct(value: float | None, lang: str) -> str:
    if value is None:
        return t("site.none", lang)
    return fmt.signed_percent(value, lang, decimals=1)


def _num(value: float | None, lang: str, decimals: int = 1) -> str:
    if value is None:
        return t("site.none", lang)
    return fmt.number(value, lang, decimals=decimals)


def tonnes_words(value: float, lang: str) -> tuple[str, str]:
    """A mass of CO₂ for citizens: the number and its unit in words ("2,92", "miljoner ton
    koldioxid"); millions above 1 Mt, thousands above 10 kt, else tonnes. ``static/js/fmt.js``
    (``tonnesWords``) does the same."""
    a = abs(value)
    if a >= 1e6:
        return fmt.number(value / 1e6, lang, decimals=2), t("site.unit_mt_words", lang)
    if a >= 1e4:
        return fmt.number(value / 1e3, lang, decimals=0), t("site.unit_kt_words", lang)
    return fmt.number(value, lang, decimals=0), t("site.unit_t_words", lang)


def tiles(r: AreaResult, lang: str) -> list[dict[str, str]]:
    """The key-figure tiles of an area, every value from the engine, formatted with Babel: a
    label, the value, its unit in words, a note and a plain-language explanation."""
    none = t("site.none", lang)
    p = r.parameters
    kf = key_figures(r)  # the one list of key figures (story/keyfigures.py)
    temp = fmt.number(p.temperature_c, lang, decimals=1)
    budget, budget_unit = tonnes_words(kf["budget"].value, lang)
    # a spent budget is not "−8,8 miljoner ton kvar": it is spent, and over by that much
    spent = kf["remaining"].spent
    remaining, remaining_unit = tonnes_words(abs(kf["remaining"].value), lang)
    last = kf["recent_change"].year
    rate, years, one_in_n = kf["rate"], kf["years_left"], kf["one_in_n"]
    out = [
        {
            "id": "budget",
            "label": t("site.tile.budget", lang, year=r.budget_from),
            "value": budget,
            "unit": budget_unit,
            "note": "",
            "info": t(
                "site.tile.info_budget",
                lang,
                name=place_name(r.name, r.level, lang),
                year=r.budget_from,
                temperature=temp,
            ),
        },
        {
            "id": "remaining",
            "label": t("site.tile.remaining", lang, year=r.remaining_as_of),
            "value": t("site.tile.rate_exhausted", lang) if spent else remaining,
            "unit": "" if spent else remaining_unit,
            "note": t("site.tile.remaining_over", lang, value=remaining, unit=remaining_unit)
            if spent
            else "",
            "info": t("site.tile.info_remaining", lang, **{"from": r.budget_from, "last": last}),
        },
        {
            "id": "rate",
            "label": t("site.tile.rate", lang),
            # a spent budget: the engine's rate is 100 %, the message is that it is spent
            "value": t("site.tile.rate_exhausted", lang) if rate.spent else _pct(rate.value, lang),
            "unit": "",
            "note": t("site.tile.rate_note_exhausted", lang)
            if rate.spent
            else t("site.tile.rate_note", lang, year=r.remaining_as_of),
            "info": t("site.tile.info_rate", lang, year=r.remaining_as_of),
        },
        {
            "id": "recent",
            "label": t("site.tile.recent", lang),
            "value": _signed_pct(kf["recent_change"].value, lang),
            "unit": "",
            "note": t("site.tile.recent_note", lang, last=last),
            "info": t("site.tile.info_recent", lang),
        },
        {
            "id": "years",
            "label": t("site.tile.years_left", lang),
            # spent: "0 år, budgeten är redan förbrukad", never "0,0 år, tar slut under 2026"
            # for a budget that ran out years ago
            "value": fmt.number(0, lang)
            if years.spent
            else _num(years.value, lang)
            if years.value is not None
            else none,
            "unit": t("site.tile.years_unit", lang) if years.value is not None else "",
            "note": t("site.tile.rate_note_exhausted", lang)
            if years.spent
            else t("site.tile.years_left_note", lang, year=years.year)
            if years.year
            else "",
            "info": t("site.tile.info_years", lang),
        },
        {
            "id": "one_in_n",
            "label": t("site.tile.one_in_n", lang),
            "value": t("site.tile.one_in_n_value", lang, n=one_in_n.value)
            if one_in_n.value
            else none,
            "unit": "",
            "note": t("site.tile.one_in_n_note", lang) if one_in_n.value else "",
            "info": t("site.tile.info_one_in_n", lang, n=one_in_n.value or none),
        },
    ]
    return out


def howto(r: AreaResult, lang: str) -> dict[str, str]:
    """ "Så läser du siffrorna": what the tiles and lines mean for this area, the trend line and
    the Carbon Law explained, every number from the engine."""
    p = r.parameters
    first, last = p.trend_from, r.last_data_year
    slope = r.trend_slope_t
    slope_words = " ".join(tonnes_words(abs(slope), lang))
    if slope < 0:
        trend = t(
            "site.howto.trend",
            lang,
            first=first,
            last=last,
            slope=slope_words,
            zero=int(r.trend_zero_year) if r.trend_zero_year else none_(lang),
            recent=_signed_pct(r.recent_change, lang),
        )
        if r.trend_exhaustion_date is not None:
            trend += " " + t(
                "site.howto.trend_exceeds", lang, date=fmt.date(r.trend_exhaustion_date, lang)
            )
        elif not r.exhausted:
            trend += " " + t("site.howto.trend_fits", lang)
    else:
        trend = t("site.howto.trend_up", lang, first=first, last=last, slope=slope_words)
    gap = ""
    if r.recent_change is not None and not r.exhausted:
        gap = t(
            "site.tile.gap" if r.recent_change < 0 else "site.tile.gap_up",
            lang,
            recent=_pct(abs(r.recent_change), lang),
            rate=_pct(r.rate, lang),
        )
    return {
        "p2": t("site.howto.p2", lang, name=place_name(r.name, r.level, lang)),
        "trend": trend,
        "carbon_law": t("site.howto.carbon_law", lang, rate=_pct(p.carbon_law_rate, lang, 2)),
        "gap": gap,
    }


def none_(lang: str) -> str:
    return t("site.none", lang)


def _level(level: str, lang: str) -> str:
    return t(f"site.level_{level}", lang)


# ---------------------------------------------------------------------------------------------
# map bins (classes of the engine's values, for colour)


def rate_bin(rate: float, exhausted: bool, p: Parameters) -> int:
    """0 exhausted, 1…6 by the required rate; edges: the Carbon Law rate, 15 %, the rate beyond
    anything achieved (``infeasible_rate``), 25 %, 30 %."""
    if exhausted:
        return 0
    for i, edge in enumerate(_rate_edges(p), start=1):
        if rate < edge:
            return i
    return 6


def _rate_edges(p: Parameters) -> tuple[float, ...]:
    return (p.carbon_law_rate, 0.15, p.infeasible_rate, 0.25, 0.30)


#: Years left at today's level: edges of the classes.
YEAR_EDGES = (2, 4, 6, 8)


def years_bin(years_left: float | None, exhausted: bool) -> int:
    """0 exhausted, 1 under 2 years, 2: 2–4, 3: 4–6, 4: 6–8, 5: 8 or more (or no emissions)."""
    if exhausted:
        return 0
    if years_left is None:
        return 5
    for i, edge in enumerate(YEAR_EDGES, start=1):
        if years_left < edge:
            return i
    return 5


def legends(p: Parameters, lang: str) -> dict[str, list[str]]:
    """The legend labels of the map's classes, in class order (0 = exhausted)."""
    e = _rate_edges(p)

    def pc(x: float) -> str:
        whole = abs(x * 100 - round(x * 100)) < 1e-9
        return fmt.number(x * 100, lang, decimals=0 if whole else 1)

    rate = [t("site.start.bin_exhausted", lang), t("site.start.bin_rate_1", lang, a=pc(e[0]))]
    rate += [t(f"site.start.bin_rate_{i + 2}", lang, a=pc(e[i]), b=pc(e[i + 1])) for i in range(4)]
    rate.append(t("site.start.bin_rate_6", lang, a=pc(e[4])))
    y, a = YEAR_EDGES, p.as_of
    years = [
        t("site.start.bin_exhausted", lang),
        t("site.start.bin_years_1", lang, b=y[0], yb=a + y[0] - 1),
    ]
    years += [
        t(
            f"site.start.bin_years_{i + 2}",
            lang,
            a=y[i],
            b=y[i + 1],
            ya=a + y[i],
            yb=a + y[i + 1] - 1,
        )
        for i in range(3)
    ]
    years.append(t("site.start.bin_years_5", lang, a=y[3]))
    return {"rate": rate, "years": years}


# ---------------------------------------------------------------------------------------------
# templates


def _env() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("koldioxidbudget.web", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["json"] = lambda v: jinja2.utils.markupsafe.Markup(  # type: ignore[attr-defined]
        json.dumps(v, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/")
    )
    return env


def _translator(lang: str) -> Callable[..., str]:
    def tr(key: str, **values: Any) -> str:
        return t(f"site.{key}", lang, **values)

    return tr


def ui_payload(lang: str, params: Parameters, cells: list[dict[str, Any]]) -> dict[str, Any]:
    """Texts and chart templates the scripts of one language need."""
    prefix = "site."
    texts = {k[len(prefix) :]: v for k, v in catalogue(lang).items() if k.startswith(prefix)}
    return {
        "lang": lang,
        "locale": "sv-SE" if lang == "sv" else "en-GB",
        "texts": texts,
        "charts": chart_templates(
            lang,
            infeasible_rate=params.infeasible_rate,
            first_year=params.as_of,
            last_year=params.horizon_year,
        ),
        "sectors": list(SECTORS),
        "paths": list(PATH_IDS),
        "views": list(VIEWS),
        "embed_views": list(EMBED_VIEWS),
        "cells": cells,
    }


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode(
        "utf-8"
    )


def _write_hashed(out: Path, stem: str, ext: str, data: bytes) -> str:
    rel = _assets.hashed(stem, ext, data).replace("assets/", "", 1)
    rel = f"{stem.split('/')[0]}/{Path(rel).name}" if "/" in stem else rel
    if not (out / rel).is_file():  # the name holds the content's hash
        write_atomic(out / rel, data)
    return rel


# ---------------------------------------------------------------------------------------------
# page contexts


def _steps_text(sd: SiteData, lang: str) -> list[str]:
    run = sd.default
    nat = run.national
    p = run.params
    conv = CONVENTIONS[p.convention]
    base = run.allocation.base_years
    return [
        t(
            "site.method.global",
            lang,
            gt=fmt.number(nat.global_budget.remaining_gt, lang, decimals=0),
            year=nat.budget_from,
            source=_label("report.global_source", nat.global_budget.source_id, lang),
        ),
        t(
            "site.method.national",
            lang,
            budget=" ".join(tonnes_words(nat.budget_t, lang)),
            year=nat.budget_from,
            overhead=" ".join(tonnes_words(nat.overhead_t, lang)),
        ),
        t(
            "site.method.allocation",
            lang,
            rule=_label("report.allocation", run.allocation.rule, lang),
            years=f"{base[0]}–{base[-1]}" if base else "–",
        ),
        t("site.method.nowcast", lang, last=run.inventory.last_data_year),
        t(
            "site.method.convention",
            lang,
            definition=_label("report.convention_explain", conv.id, lang).rstrip("."),
            convention=_label("report.convention", conv.id, lang),
        ),
    ]


def _label(group: str, key: str, lang: str) -> str:
    """A technical id in the reader's language (from the catalogues), or the id itself."""
    words = catalogue(lang)
    return words.get(f"{group}.{key}", key)


def _largest_sector(r: AreaResult, lang: str) -> dict[str, str] | None:
    if not r.sectors:
        return None
    s = max(r.sectors, key=lambda s: s.share)
    return {"label": t(f"site.sector.{s.sector}", lang), "share": _pct(s.share, lang)}


def _cell_options(sd: SiteData) -> list[dict[str, Any]]:
    return [
        {"id": c.id, "temperature_c": c.temperature_c, "probability_pct": c.probability_pct}
        for c in sd.cells
    ]


def _area_context(
    sd: SiteData,
    code: str,
    payload: dict[str, Any],
    results: dict[str, AreaResult],
    lang: str,
    sub: list[dict[str, Any]],
) -> dict[str, Any]:
    r = results[sd.cells[0].id]
    p = r.parameters
    last = r.last_data_year
    sectors = []
    for s in r.sectors:
        sectors.append(
            {
                "id": s.sector,
                "label": t(f"site.sector.{s.sector}", lang),
                "share": _pct(s.share, lang),
                "emissions": _kt(s.emissions_t, lang, 1),
                "change": _signed_pct(s.change_per_year, lang),
                "budget": _kt(s.budget_t, lang, 1),
            }
        )
    ctx = r.per_capita_context or {}
    name = place_name(r.name, r.level, lang)
    percap = [
        {
            "name": name,
            "emissions": _num(r.emissions_per_capita_t, lang, 2),
            "budget": _num(r.budget_per_capita_t, lang, 1),
            "self": True,
        }
    ]
    for key in ("lan", "riket"):
        c = ctx.get(key)
        if c and c["code"] != r.code:
            percap.append(
                {
                    "name": place_name(c["name"], key, lang),
                    "emissions": _num(c["emissions_per_capita_t"], lang, 2),
                    "budget": _num(c["budget_per_capita_t"], lang, 1),
                    "self": False,
                }
            )
    ledger = [
        {
            "year": row.year,
            "opening": _kt(row.opening_t, lang, 1),
            "emitted": _kt(row.emitted_t, lang, 1)
            + (f" ({t('site.estimated', lang)})" if row.estimated else ""),
            "closing": _kt(row.closing_t, lang, 1),
            "planned": _kt(row.planned_t, lang, 1),
            "variance": _kt(row.variance_t, lang, 1),
            "on_track": t("site.ledger.yes" if row.on_track else "site.ledger.no", lang),
        }
        for row in r.ledger
    ]
    changes = payload.get("changes")
    change_rows = []
    change_text = []
    if changes:
        change_rows = [
            {
                "label": t("site.changes.budget", lang),
                "old": _kt(changes["budget"]["old"], lang),
                "new": _kt(changes["budget"]["new"], lang),
            },
            {
                "label": t("site.changes.remaining", lang),
                "old": _kt(changes["remaining"]["old"], lang),
                "new": _kt(changes["remaining"]["new"], lang),
            },
            {
                "label": t("site.changes.rate", lang),
                "old": _pct(changes["rate"]["old"], lang),
                "new": _pct(changes["rate"]["new"], lang),
            },
        ]
        change_text = changes["sentences"][lang]
    sub_year = max((s["year"] for s in sub), default=None)
    sub_rows = [
        {
            "sector": t(f"site.sector.{s['sector']}", lang)
            if f"site.sector.{s['sector']}" in catalogue(lang)
            else s["sector"],
            "subsector": s["subsector"],
            "emissions": _kt(s["emissions_t"], lang, 1),
        }
        for s in sorted(
            sub,
            key=lambda s: (
                SECTORS.index(s["sector"]) if s["sector"] in SECTORS else 99,
                -s["emissions_t"],
            ),
        )
        if s["year"] == sub_year and abs(s["emissions_t"]) >= 50.0  # under 0,05 kt: shown as 0,0
    ]
    cell = sd.cells[0]
    return {
        "r": r,
        "name": name,
        "lan_name": place_name(ctx["lan"]["name"], "lan", lang) if ctx.get("lan") else "",
        "riket_name": place_name("", "riket", lang),
        "p": p,
        "level_label": _level(r.level, lang),
        "tiles": tiles(r, lang),
        "howto": howto(r, lang),
        "largest_sector": _largest_sector(r, lang),
        "sectors": sectors,
        "percap": percap,
        "ledger": ledger,
        "change_rows": change_rows,
        "change_text": change_text,
        "changes": changes,
        "sub_rows": sub_rows,
        "sub_year": sub_year,
        "last_data_year": last,
        "steps": _steps_text(sd, lang),
        "temperatures": sorted({c.temperature_c for c in sd.cells}),
        "probabilities": sorted({c.probability_pct for c in sd.cells}),
        "cell": cell,
        "temperature_label": fmt.number(cell.temperature_c, lang, decimals=1),
        "fmt_temp": lambda x: fmt.number(x, lang, decimals=1),
        "estimated_note": t("site.tile.estimated_note", lang, year=r.e0_year, last=r.last_data_year)
        if r.e0_estimated
        else "",
        "infeasible_rate": _pct(p.infeasible_rate, lang, 0),
        "embed_views": EMBED_VIEWS,
        "paths": [pid for pid in PATH_IDS if pid != "delayed"],
        "has_local_target": "local-target" in payload["references"],
        "sector_inputs": [
            {"id": s["sector"], "label": t(f"site.sector.{s['sector']}", lang)}
            for s in payload["sectors"]
        ],
    }


# ---------------------------------------------------------------------------------------------
# the build


def _subsectors(tables: Tables, codes: list[str] | None = None) -> dict[str, list[dict[str, Any]]]:
    """Per area, its subsector rows as the page's data reads them, in the table's order.

    The columns are turned into Python lists once and zipped: iterating the frame's rows cost
    2,6 s of a 17 s build, before the page writers could start."""
    sub = tables.subsectors
    out: dict[str, list[dict[str, Any]]] = {}
    if sub is None or sub.empty:
        return out
    if codes is not None:
        sub = sub[sub["code"].isin(codes)]
    columns = (
        sub["code"].astype(str).tolist(),
        sub["year"].astype(int).tolist(),
        sub["sector"].astype(str).tolist(),
        sub["subsector"].astype(str).tolist(),
        sub["emissions_t"].astype(float).tolist(),
    )
    for code, year, sector, subsector, emissions in zip(*columns, strict=True):
        out.setdefault(code, []).append(
            {"year": year, "sector": sector, "subsector": subsector, "emissions_t": emissions}
        )
    return out


def _changes(sc: Scenario) -> tuple[dict[str, dict[str, Any]], list[Any]]:
    """Per area: old/new budget, remaining and rate and the sentences explaining them; and the
    changes themselves (``diff.AreaChange``, for the release note), from the scenario's."""
    from ..story import changes as diff

    out: dict[str, dict[str, Any]] = {}
    items = list(sc.changes.values())
    for c in items:
        out[c.code] = {
            "old_edition": c.old_edition,
            "new_edition": c.new_edition,
            "budget": {"old": c.budget.old, "new": c.budget.new},
            "remaining": {"old": c.remaining.old, "new": c.remaining.new},
            "rate": {"old": c.rate.old, "new": c.rate.new},
            "sentences": {
                lang: [diff.sentence(c, lang, q) for q in ("budget", "remaining", "rate")]
                for lang in LANGUAGES
            },
        }
    return out, items


@dataclass
class _Build:
    sd: SiteData
    params: Parameters
    codes: list[str]
    changes: dict[str, dict[str, Any]]
    subsectors: dict[str, list[dict[str, Any]]]
    manifest: dict[str, Any]
    sweden_map: SwedenMap | None
    notes: list[dict[str, Any]]
    change_items: list[Any] = dataclasses.field(default_factory=list)
    payloads: dict[str, dict[str, Any]] = dataclasses.field(default_factory=dict)
    results: dict[str, dict[str, AreaResult]] = dataclasses.field(default_factory=dict)

    def area(self, code: str) -> tuple[dict[str, AreaResult], dict[str, Any]]:
        """One area's results for every cell and its payload (computed once)."""
        if code not in self.payloads:
            res = self.sd.results(code)
            self.results[code] = res
            self.payloads[code] = area_payload(
                res,
                self.sd.cells[0].id,
                subsectors=self.subsectors.get(code),
                changes=self.changes.get(code),
            )
        return self.results[code], self.payloads[code]


def _prepare(
    sc: Scenario,
    codes: list[str] | None,
    manifest: dict[str, Any],
    geo_dir: Path | None,
    notes: list[dict[str, Any]] | None = None,
    with_changes: bool = True,
    with_map: bool = True,
) -> _Build:
    sd = site_data(sc)
    changes, items = _changes(sc) if with_changes else ({}, [])
    return _Build(
        sd,
        sc.params,
        list(codes or sd.default.codes),
        changes,
        _subsectors(sc.tables, codes),
        manifest,
        load_map(geo_dir) if geo_dir and with_map else None,
        list(notes or []),
        items,
    )


def _common(lang: str, root: str, a: _assets.AssetSet, b: _Build) -> dict[str, Any]:
    return {
        "lang": lang,
        "other_lang": "en" if lang == "sv" else "sv",
        "root": root,
        "assets": a,
        "tr": _translator(lang),
        "tr_or": lambda key, default: catalogue(lang).get(f"site.{key}", default),
        "edition": b.sd.tables.edition_id,
        "method_version": METHOD_VERSION,
        "last_data_year": b.sd.default.inventory.last_data_year,
        "carbon_law_rate": fmt.percent(b.params.carbon_law_rate, lang, decimals=2),
        "pages": PAGES,
        "inline": None,
        "exported": False,
    }


def _start_rows(b: _Build, defaults: dict[str, AreaResult], lang: str) -> list[dict[str, Any]]:
    run = b.sd.default
    p = b.params
    names = dict(zip(run.codes, run.names, strict=True))
    rows = []
    for code, r in defaults.items():
        rows.append(
            {
                "code": code,
                "name": place_name(r.name, r.level, lang),
                "search_name": r.name,  # the Swedish name a search also finds
                "level": r.level,
                "lan_code": r.lan_code,
                "lan_name": place_name(names.get(r.lan_code, ""), "lan", lang)
                if r.level == "kommun"
                else "",
                "budget": _kt(r.budget_t, lang),
                "budget_raw": round(r.budget_t, 1),
                "remaining": _kt(r.remaining_t, lang),
                "remaining_raw": round(r.remaining_t, 1),
                # a spent budget: "Förbrukad" and 0 years, never "100,0 %" or the current year
                "rate": t("site.tile.rate_exhausted", lang) if r.exhausted else _pct(r.rate, lang),
                "rate_raw": round(r.rate, 6),
                "years": fmt.number(0, lang) if r.exhausted else _num(r.years_left, lang),
                "years_raw": round(r.years_left, 4) if r.years_left is not None else -1,
                "exhaustion": t("site.tile.rate_exhausted", lang)
                if r.exhausted
                else str(r.exhaustion_year)
                if r.exhaustion_year
                else "–",
                "exhaustion_raw": r.exhaustion_year or 0,
                "rbin": rate_bin(r.rate, r.exhausted, p),
                "ybin": years_bin(r.years_left, r.exhausted),
            }
        )
    order = {"riket": 0, "lan": 1, "kommun": 2}
    rows.sort(key=lambda x: (order.get(x["level"], 3), fmt.sort_key(x["name"])))
    return rows


def _render(env: jinja2.Environment, name: str, path: Path, ctx: dict[str, Any]) -> None:
    write_atomic(path, env.get_template(name).render(**ctx).encode("utf-8"))


#: The record of a built site: edition, what its pages were built from, and per area the
#: fingerprint of its figures and its data file (for incremental builds).
SITE_RECORD = "site.json"
#: Below this many areas a build renders in this process; above, in ``_workers()`` processes.
_PARALLEL_FROM = 24


def _workers() -> int:
    return environment().site_workers or max(1, min(4, os.cpu_count() or 1))


def fingerprint(payload: dict[str, Any]) -> str:
    """A hash of an area's figures: its payload without the edition id and the comparison with
    the previous edition (an area whose figures did not move keeps its pages)."""
    figures = {k: v for k, v in payload.items() if k not in ("edition", "changes")}
    return hashlib.sha256(_json_bytes(figures)).hexdigest()[:16]


def _read_record(out: Path) -> dict[str, Any]:
    try:
        data = json.loads((out / SITE_RECORD).read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def build_site(
    out: str | Path,
    sc: Scenario,
    *,
    codes: list[str] | None = None,
    geo_dir: str | Path | None = None,
    clean: bool = True,
    incremental: bool = False,
    only: list[str] | None = None,
    notes: list[dict[str, Any]] | None = None,
    workers: int | None = None,
) -> BuildReport:
    """Write the static site of the scenario ``sc`` for every area (or ``codes``) into ``out``.

    The scenario (``service.scenario.assemble``) holds the edition, the parameters, every
    cell's run and what changed since its previous edition; the site reads them and computes
    nothing of its own. ``geo_dir`` holds the boundary files (default: ``geo`` in the source
    folder, ``settings.Environment.sources``).

    ``incremental``: in a site built before with the same templates, texts and parameters,
    rewrite only the areas whose figures changed (:func:`fingerprint`), the start pages, the
    pages about the data and the release notes; otherwise build everything. ``only``: rewrite
    just these areas' pages and data in a built site (the start page is left as it is).
    ``notes`` are the release notes to publish (default: those kept beside the scenario's
    editions, and one made for this edition when none is kept). Every file is written to a
    temporary name and renamed; a full build is made in a temporary folder that replaces
    ``out`` at the end.
    """
    started = time.perf_counter()
    # the bundle and fonts a machine's first build makes, made meanwhile (``write_assets``)
    assets_made = _assets.prefetch() if not only else (lambda: None)
    tables, params, info = sc.tables, sc.params, sc.edition
    manifest: dict[str, Any] = info.manifest if info is not None else {}
    if notes is None and info is not None:
        from ..news import list_notes

        notes = list_notes(into=sc.editions_dir)
    if geo_dir is None:
        src = environment().sources
        geo_dir = src / "geo" if src else None
    out = Path(out)
    record = _read_record(out)
    key = _build_key(params)
    if only:
        from ..areas import find_area

        if record.get("key") != key or not (out / "data" / "index.json").is_file():
            raise ParameterError(
                key="site_not_built",
                folder=str(out),
            )
        only = [find_area(tables.areas, q).code for q in only]
    # one area in the edition the site shows keeps the comparison its page had
    same_edition = bool(only) and record.get("edition") == tables.edition_id
    b = _prepare(
        sc,
        only or codes,
        manifest,
        Path(geo_dir) if geo_dir else None,
        notes,
        with_changes=not same_edition,
        with_map=not only,
    )
    if same_edition and only:
        b.changes = _kept_changes(out, record, only)
    if (
        b.change_items
        and info is not None
        and not any(n.get("edition") == info.id for n in b.notes)
    ):
        from ..edition import resolve_edition as _resolve
        from ..news import release_notes

        prev_info = _resolve(b.change_items[0].old_edition, gas=None, into=sc.editions_dir)
        b.notes.insert(0, release_notes(prev_info, info, b.change_items))

    assets_made()
    if only:
        pages, rebuilt = _write_some(out, b, record, key, only, workers)
        return BuildReport(
            out, tables.edition_id, len(rebuilt), pages, time.perf_counter() - started
        )
    if incremental and record.get("key") == key and out.is_dir():
        pages, rebuilt = _write_incremental(out, b, record, key, workers)
        return BuildReport(
            out, tables.edition_id, len(rebuilt), pages, time.perf_counter() - started
        )

    tmp = Path(
        tempfile.mkdtemp(prefix=".tmp-site-", dir=out.parent if out.parent.exists() else None)
    )
    try:
        pages = _write_site(tmp, b, key, workers)
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.exists() and clean:
            old = out.with_name(f".old-{out.name}-{os.getpid()}")
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        elif out.exists():
            shutil.copytree(tmp, out, dirs_exist_ok=True)
            shutil.rmtree(tmp)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildReport(out, tables.edition_id, len(b.codes), pages, time.perf_counter() - started)


def _kept_changes(out: Path, record: dict[str, Any], codes: list[str]) -> dict[str, Any]:
    """The comparisons the built site's data files hold for ``codes``."""
    kept = {}
    for code in codes:
        rel = record.get("areas", {}).get(code, {}).get("data")
        try:
            changes = json.loads((out / rel).read_text("utf-8")).get("changes") if rel else None
        except (OSError, ValueError):
            changes = None
        if changes:
            kept[code] = changes
    return kept


def _build_key(params: Parameters) -> str:
    """What every page depends on besides its area's figures: the package's templates, texts,
    static files and method version, and the parameters."""
    h = hashlib.sha256()
    h.update(METHOD_VERSION.encode())
    h.update(repr(params).encode())
    pkg = Path(__file__).resolve().parent
    for folder in (pkg / "templates", pkg / "static", pkg.parent / "story" / "texts"):
        for f in sorted(folder.rglob("*")):
            if f.is_file():
                h.update(f.relative_to(pkg.parent).as_posix().encode())
                h.update(f.read_bytes())
    return h.hexdigest()[:16]


@dataclass
class _Shared:
    """What every area page needs: the asset URLs and the UI payload per language."""

    assets: _assets.AssetSet
    ui: dict[str, str]


def _write_shared_assets(out: Path, b: _Build) -> _Shared:
    a = _assets.write_assets(out)
    cells = _cell_options(b.sd)
    ui = {}
    for lang in LANGUAGES:
        data = _json_bytes(ui_payload(lang, b.params, cells))
        ui[lang] = _write_hashed(out, f"assets/ui-{lang}", "json", data)
        a.files[f"ui-{lang}"] = ui[lang]
    return _Shared(a, ui)


def _write_area(
    out: Path, b: _Build, sh: _Shared, env: jinja2.Environment, code: str
) -> tuple[str, str, int]:
    """One area: its data file and its pages in both languages. Returns the data file's path,
    the fingerprint of its figures and the number of pages."""
    res, payload = b.area(code)
    data_url = _write_hashed(out, f"data/{code}", "json", _json_bytes(payload))
    pages = 0
    for lang in LANGUAGES:
        ctx = _area_context(b.sd, code, payload, res, lang, b.subsectors.get(code, []))
        ctx["news_url"] = _news_link(b, payload)
        for mode, folder, root in (
            ("page", out / lang / code, "../../"),
            ("slides", out / lang / code / "presentation", "../../../"),
            ("embed", out / lang / code / "embed", "../../../"),
        ):
            _render(
                env,
                "area.html",
                folder / "index.html",
                {
                    **_common(lang, root, sh.assets, b),
                    **ctx,
                    "mode": mode,
                    "page": "area",
                    "data_url": root + data_url,
                    "ui_url": root + sh.assets.files[f"ui-{lang}"],
                    "views": VIEWS,
                },
            )
            pages += 1
    return data_url, fingerprint(payload), pages


def _news_link(b: _Build, payload: dict[str, Any]) -> str | None:
    """The release note an area page's changes link to (relative to the site root)."""
    changes = payload.get("changes")
    if not changes:
        return None
    eid = changes.get("new_edition") or payload.get("edition")
    if any(n.get("edition") == eid for n in b.notes):
        return f"{NEWS}/{eid}/"
    return None


#: The folder of the release notes ("Nytt i utgåvan") under each language.
NEWS = "nytt"

# state of a forked worker: the build, where it writes and the fingerprints to keep
_WORKER: dict[str, Any] = {}

_Done = tuple[str, str | None, str, int, AreaResult]


def _one(
    out: Path, b: _Build, sh: _Shared, env: jinja2.Environment, code: str, keep: dict[str, str]
) -> _Done:
    """Write one area unless its figures have the fingerprint ``keep[code]`` (then nothing is
    written and the data path is None)."""
    res, payload = b.area(code)
    default = res[b.sd.cells[0].id]
    fp = fingerprint(payload)
    if keep.get(code) == fp:
        return code, None, fp, 0, default
    data_url, fp, pages = _write_area(out, b, sh, env, code)
    return code, data_url, fp, pages, default


def _work(codes: list[str]) -> list[_Done]:
    w = _WORKER
    env = _env()
    return [_one(w["out"], w["b"], w["shared"], env, c, w["keep"]) for c in codes]


def _write_areas(
    out: Path,
    b: _Build,
    sh: _Shared,
    codes: list[str],
    workers: int | None,
    keep: dict[str, str] | None = None,
) -> dict[str, _Done]:
    """Write ``codes``, except those whose figures still have the fingerprint in ``keep``. With
    many areas, in ``workers`` forked processes: the engine's runs are computed before the fork
    and shared; each process computes its areas' results and writes their files."""
    n = workers or _workers()
    keep = keep or {}
    results: dict[str, _Done] = {}
    if n > 1 and len(codes) >= _PARALLEL_FROM:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        _WORKER.update(b=b, out=out, shared=sh, keep=keep)
        chunks = [codes[i::n] for i in range(n)]
        try:
            with ProcessPoolExecutor(n, mp_context=multiprocessing.get_context("fork")) as pool:
                for part in pool.map(_work, chunks):
                    for done in part:
                        results[done[0]] = done
        finally:
            _WORKER.clear()
    else:
        env = _env()
        for code in codes:
            results[code] = _one(out, b, sh, env, code, keep)
    return results


def _write_common(
    out: Path,
    b: _Build,
    sh: _Shared,
    defaults: dict[str, AreaResult],
    data_urls: dict[str, str],
) -> int:
    """The start pages, the pages about the data, the release notes, ``data/index.json`` and the
    root redirect. Returns the number of pages."""
    env = _env()
    a = sh.assets
    write_atomic(
        out / "data" / "index.json",
        _json_bytes({"edition": b.sd.tables.edition_id, "areas": data_urls}),
    )
    pages = 0
    today = _dt.date.today()
    for lang in LANGUAGES:
        rows = _start_rows(b, defaults, lang)
        counties = [r for r in rows if r["level"] == "lan"]
        _render(
            env,
            "start.html",
            out / lang / "index.html",
            {
                **_common(lang, "../", a, b),
                "rows": rows,
                "counties": counties,
                "map": b.sweden_map,
                "legends": legends(b.params, lang),
                "p": b.params,
                "temperature": fmt.number(b.params.temperature_c, lang, decimals=1),
                "bins": {r["code"]: (r["rbin"], r["ybin"]) for r in rows},
                "names": {
                    r["code"]: t(
                        "site.start.map_hover",
                        lang,
                        name=r["name"],
                        rate=r["rate"],
                        years=r["years"],
                    )
                    for r in rows
                },
                "page": "start",
            },
        )
        pages += 1
        for key, slug in PAGES.items():
            _render(
                env,
                f"{key}.html",
                out / lang / slug / "index.html",
                {
                    **_common(lang, "../../", a, b),
                    "page": key,
                    "manifest": b.manifest,
                    "last_data_year": b.sd.default.inventory.last_data_year,
                    "areas": [(r["code"], r["name"]) for r in rows],
                    "today": fmt.date(today, lang),
                    "embed_views": EMBED_VIEWS,
                },
            )
            pages += 1
        pages += _write_news(out, b, sh, env, lang)
    write_atomic(out / "index.html", env.get_template("redirect.html").render().encode("utf-8"))
    # served for any unknown address, so its links are absolute from the site's root
    _render(env, "404.html", out / "404.html", {**_common("sv", "/", a, b), "page": "404"})
    return pages + 2


def _write_news(out: Path, b: _Build, sh: _Shared, env: jinja2.Environment, lang: str) -> int:
    """``<lang>/nytt/`` (every release note, newest first) and ``<lang>/nytt/<edition>/``."""
    from ..news import news_context, news_index_context

    pages = 0
    for n in b.notes:
        _render(
            env,
            "news.html",
            out / lang / NEWS / str(n["edition"]) / "index.html",
            {**_common(lang, "../../../", sh.assets, b), "page": "news", **news_context(n, lang)},
        )
        pages += 1
    _render(
        env,
        "news.html",
        out / lang / NEWS / "index.html",
        {
            **_common(lang, "../../", sh.assets, b),
            "page": "news",
            **news_index_context(b.notes, lang),
        },
    )
    return pages + 1


def _record(out: Path, b: _Build, key: str, areas: dict[str, dict[str, str]]) -> None:
    doc = {
        "edition": b.sd.tables.edition_id,
        "key": key,
        "built_at": _dt.datetime.now(_dt.UTC).replace(microsecond=0).isoformat(),
        "areas": areas,
    }
    write_atomic(out / SITE_RECORD, _json_bytes(doc))


def _write_site(out: Path, b: _Build, key: str, workers: int | None = None) -> int:
    sh = _write_shared_assets(out, b)
    done = _write_areas(out, b, sh, b.codes, workers)
    areas = {c: {"hash": done[c][2], "data": str(done[c][1])} for c in b.codes}
    pages = sum(d[3] for d in done.values())
    defaults = {c: done[c][4] for c in b.codes}
    pages += _write_common(out, b, sh, defaults, {c: a["data"] for c, a in areas.items()})
    _record(out, b, key, areas)
    return pages


def _write_incremental(
    out: Path, b: _Build, record: dict[str, Any], key: str, workers: int | None
) -> tuple[int, list[str]]:
    """Rewrite the areas whose figures changed and the common pages in a built site."""
    old = record.get("areas", {})
    sh = _write_shared_assets(out, b)

    keep = {
        c: str(a.get("hash"))
        for c, a in old.items()
        if isinstance(a, dict) and (out / str(a.get("data", ""))).is_file()
    }
    done = _write_areas(out, b, sh, b.codes, workers, keep=keep)
    areas = {}
    for code in b.codes:
        _c, data_url, fp, _pages, _r = done[code]
        areas[code] = {"hash": fp, "data": data_url} if data_url else old[code]
    pages = sum(d[3] for d in done.values())
    defaults = {c: done[c][4] for c in b.codes}
    pages += _write_common(out, b, sh, defaults, {c: a["data"] for c, a in areas.items()})
    _record(out, b, key, areas)
    _remove_unreferenced(out, old, areas)
    return pages, sorted(c for c, d in done.items() if d[1])


def _write_some(
    out: Path, b: _Build, record: dict[str, Any], key: str, codes: list[str], workers: int | None
) -> tuple[int, list[str]]:
    """Rewrite ``codes``' pages and data in a built site, and ``data/index.json``."""
    old = dict(record.get("areas", {}))
    sh = _write_shared_assets(out, b)
    done = _write_areas(out, b, sh, codes, workers)
    areas = dict(old)
    for code, (_c, data_url, fp, _pages, _r) in done.items():
        areas[code] = {"hash": fp, "data": str(data_url)}
    index = {"edition": record.get("edition"), "areas": {c: a["data"] for c, a in areas.items()}}
    write_atomic(out / "data" / "index.json", _json_bytes(index))
    write_atomic(out / SITE_RECORD, _json_bytes(dict(record, areas=areas)))
    _remove_unreferenced(out, old, areas)
    return sum(d[3] for d in done.values()), sorted(done)


def _remove_unreferenced(
    out: Path, old: dict[str, dict[str, str]], new: dict[str, dict[str, str]]
) -> None:
    """Remove the data files the pages no longer name (after the pages naming the new ones are
    in place)."""
    keep = {a["data"] for a in new.values()}
    for a in old.values():
        rel = a.get("data")
        if rel and rel not in keep:
            (out / rel).unlink(missing_ok=True)


# ---------------------------------------------------------------------------------------------
# the offline export


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def export_area(
    area: str,
    sc: Scenario,
    out: str | Path | None = None,
    *,
    lang: str = "sv",
    presentation: bool = False,
) -> Path:
    """Write one area of the scenario ``sc`` as a single self-contained HTML file (no request
    leaves the file); ``presentation`` writes the presentation mode instead of the area page.

    ``out`` is a file or a folder (default: ``koldioxidbudget-<code>-<lang>.html`` in the current
    folder). Returns the path written.
    """
    from ..areas import find_area

    if lang not in LANGUAGES:
        raise ParameterError(key="unknown_language", value=lang, valid=LANGUAGES)
    code = find_area(sc.tables.areas, area).code
    b = _prepare(sc, [code], {}, None, with_changes=False)
    html = _export_html(b, code, lang, "slides" if presentation else "page")
    target = Path(out) if out else Path.cwd()
    if target.is_dir() or (out is None):
        target = target / f"koldioxidbudget-{code}-{lang}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(target, html.encode("utf-8"))
    return target


def _export_html(b: _Build, code: str, lang: str, mode: str = "page") -> str:
    env = _env()
    fonts = _assets.find_fonts()
    css = (
        _assets.font_face_css(
            [_data_url("font/woff2" if f.format == "woff2" else "font/ttf", f.data) for f in fonts],
            fonts,
        )
        + "\n"
        + _assets.static_text("site.css")
    )
    res, payload = b.area(code)
    ctx = _area_context(b.sd, code, payload, res, lang, b.subsectors.get(code, []))
    ctx["news_url"] = None
    a = _assets.AssetSet()
    ui = ui_payload(lang, b.params, _cell_options(b.sd))
    inline = {
        "css": css,
        "vega": _assets.vega_bundle().replace("</script", "<\\/script"),
        "app": _assets.inline_modules("area.js").replace("</script", "<\\/script"),
        "data": payload,
        "ui": ui,
    }
    return env.get_template("area.html").render(
        **{**_common(lang, "", a, b), "inline": inline, "exported": True, **ctx},
        mode=mode,
        page="area",
        data_url="",
        ui_url="",
        views=VIEWS,
    )
