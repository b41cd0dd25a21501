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
import datetime as _dt
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
from ..method.budget import METHOD_VERSION, AreaResult
from ..method.params import Parameters, parameters_from
from ..method.pathway import CONVENTIONS
from ..schema import SECTORS, Tables
from ..story import fmt
from ..story.i18n import LANGUAGES, catalogue, t
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
    text = fmt.percent(value, lang, decimals=1)
    return text if value < 0 else "+" + text


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
    temp = fmt.number(p.temperature_c, lang, decimals=1)
    budget, budget_unit = tonnes_words(r.budget_t, lang)
    remaining, remaining_unit = tonnes_words(r.remaining_t, lang)
    last = r.last_data_year
    out = [
        {
            "id": "budget",
            "label": t("site.tile.budget", lang, year=r.budget_from),
            "value": budget,
            "unit": budget_unit,
            "note": "",
            "info": t(
                "site.tile.info_budget", lang, name=r.name, year=r.budget_from, temperature=temp
            ),
        },
        {
            "id": "remaining",
            "label": t("site.tile.remaining", lang, year=r.remaining_as_of),
            "value": remaining,
            "unit": remaining_unit,
            "note": "",
            "info": t("site.tile.info_remaining", lang, **{"from": r.budget_from, "last": last}),
        },
        {
            "id": "rate",
            "label": t("site.tile.rate", lang),
            "value": _pct(r.rate, lang),
            "unit": "",
            "note": t("site.tile.rate_note_exhausted", lang)
            if r.exhausted
            else t("site.tile.rate_note", lang, year=r.remaining_as_of),
            "info": t("site.tile.info_rate", lang, year=r.remaining_as_of),
        },
        {
            "id": "recent",
            "label": t("site.tile.recent", lang),
            "value": _signed_pct(r.recent_change, lang),
            "unit": "",
            "note": t("site.tile.recent_note", lang, last=last),
            "info": t("site.tile.info_recent", lang),
        },
        {
            "id": "years",
            "label": t("site.tile.years_left", lang),
            "value": _num(r.years_left, lang) if r.years_left is not None else none,
            "unit": t("site.tile.years_unit", lang) if r.years_left is not None else "",
            "note": t("site.tile.years_left_note", lang, year=r.exhaustion_year)
            if r.exhaustion_year
            else "",
            "info": t("site.tile.info_years", lang),
        },
        {
            "id": "one_in_n",
            "label": t("site.tile.one_in_n", lang),
            "value": t("site.tile.one_in_n_value", lang, n=r.one_in_n) if r.one_in_n else none,
            "unit": "",
            "note": t("site.tile.one_in_n_note", lang) if r.one_in_n else "",
            "info": t("site.tile.info_one_in_n", lang, n=r.one_in_n or none),
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
        "p2": t("site.howto.p2", lang, name=r.name),
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
    path = out / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
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
    percap = [
        {
            "name": r.name,
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
                    "name": c["name"],
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


def _subsectors(tables: Tables) -> dict[str, list[dict[str, Any]]]:
    sub = tables.subsectors
    out: dict[str, list[dict[str, Any]]] = {}
    if sub is None or sub.empty:
        return out
    for code, part in sub.groupby("code", sort=False):
        out[str(code)] = [
            {
                "year": int(r.year),
                "sector": str(r.sector),
                "subsector": str(r.subsector),
                "emissions_t": float(r.emissions_t),
            }
            for r in part.itertuples(index=False)
        ]
    return out


def _changes(
    sd: SiteData, previous_tables: Tables | None, params: Parameters
) -> dict[str, dict[str, Any]]:
    """Per area: old/new budget, remaining and rate and the sentences explaining them."""
    if previous_tables is None:
        return {}
    from .. import diff

    out: dict[str, dict[str, Any]] = {}
    for c in diff.explain_all(previous_tables, sd.tables, params):
        out[c.code] = {
            "old_edition": c.old_edition,
            "budget": {"old": c.budget.old, "new": c.budget.new},
            "remaining": {"old": c.remaining.old, "new": c.remaining.new},
            "rate": {"old": c.rate.old, "new": c.rate.new},
            "sentences": {
                lang: [diff.sentence(c, lang, q) for q in ("budget", "remaining", "rate")]
                for lang in LANGUAGES
            },
        }
    return out


@dataclass
class _Build:
    sd: SiteData
    params: Parameters
    payloads: dict[str, dict[str, Any]]
    results: dict[str, dict[str, AreaResult]]
    subsectors: dict[str, list[dict[str, Any]]]
    manifest: dict[str, Any]
    sweden_map: SwedenMap | None


def _prepare(
    tables: Tables,
    params: Parameters,
    previous_tables: Tables | None,
    codes: list[str] | None,
    manifest: dict[str, Any],
    geo_dir: Path | None,
) -> _Build:
    sd = site_data(tables, params)
    changes = _changes(sd, previous_tables, sd.cells[0].params)
    subs = _subsectors(tables)
    payloads: dict[str, dict[str, Any]] = {}
    results: dict[str, dict[str, AreaResult]] = {}
    for code in codes or list(sd.default.codes):
        res = sd.results(code)
        results[code] = res
        payloads[code] = area_payload(
            res, sd.cells[0].id, subsectors=subs.get(code), changes=changes.get(code)
        )
    return _Build(
        sd,
        sd.cells[0].params,
        payloads,
        results,
        subs,
        manifest,
        load_map(geo_dir) if geo_dir else None,
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


def _start_rows(b: _Build, lang: str) -> list[dict[str, Any]]:
    run = b.sd.default
    p = b.params
    names = dict(zip(run.codes, run.names, strict=True))
    rows = []
    for code, res in b.results.items():
        r = res[b.sd.cells[0].id]
        rows.append(
            {
                "code": code,
                "name": r.name,
                "level": r.level,
                "level_label": _level(r.level, lang),
                "lan_code": r.lan_code,
                "lan_name": names.get(r.lan_code, "") if r.level == "kommun" else "",
                "budget": _kt(r.budget_t, lang),
                "budget_raw": round(r.budget_t, 1),
                "remaining": _kt(r.remaining_t, lang),
                "remaining_raw": round(r.remaining_t, 1),
                "rate": _pct(r.rate, lang),
                "rate_raw": round(r.rate, 6),
                "years": _num(r.years_left, lang),
                "years_raw": round(r.years_left, 4) if r.years_left is not None else -1,
                "exhaustion": str(r.exhaustion_year) if r.exhaustion_year else "–",
                "exhaustion_raw": r.exhaustion_year or 0,
                "rbin": rate_bin(r.rate, r.exhausted, p),
                "ybin": years_bin(r.years_left, r.exhausted),
            }
        )
    order = {"riket": 0, "lan": 1, "kommun": 2}
    rows.sort(key=lambda x: (order.get(x["level"], 3), x["name"]))
    return rows


def _render(env: jinja2.Environment, name: str, path: Path, ctx: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(env.get_template(name).render(**ctx), "utf-8")


def build_site(
    out: str | Path,
    *,
    edition: str | None = None,
    preset: str | None = None,
    overrides: dict[str, str] | None = None,
    tables: Tables | None = None,
    previous_tables: Tables | None = None,
    codes: list[str] | None = None,
    editions_dir: str | Path | None = None,
    geo_dir: str | Path | None = None,
    clean: bool = True,
) -> BuildReport:
    """Write the static site for every area (or ``codes``) into ``out``.

    ``tables`` (and ``previous_tables``) skip loading editions (tests). Otherwise the edition
    ``edition`` (default: newest CO2) and, for "what changed", the edition before it are loaded.
    ``geo_dir`` holds the boundary files (default: ``$KOLDIOXIDBUDGET_SOURCES/geo``).
    """
    started = time.perf_counter()
    params = parameters_from(preset, overrides)
    manifest: dict[str, Any] = {}
    if tables is None:
        from ..diff import previous_edition
        from ..edition import load_edition, resolve_edition

        info = resolve_edition(edition, into=editions_dir)
        manifest = info.manifest
        tables = load_edition(info.id, into=editions_dir, subsectors=True)
        prev = previous_edition(info.id, into=editions_dir)
        if prev is not None and previous_tables is None:
            previous_tables = load_edition(prev.id, gas=None, into=editions_dir)
    if geo_dir is None:
        src = os.environ.get("KOLDIOXIDBUDGET_SOURCES")
        geo_dir = Path(src) / "geo" if src else None
    b = _prepare(
        tables, params, previous_tables, codes, manifest, Path(geo_dir) if geo_dir else None
    )

    out = Path(out)
    tmp = Path(
        tempfile.mkdtemp(prefix=".tmp-site-", dir=out.parent if out.parent.exists() else None)
    )
    try:
        pages = _write_site(tmp, b)
        if out.exists() and clean:
            shutil.rmtree(out)
        out.parent.mkdir(parents=True, exist_ok=True)
        if out.exists():
            shutil.copytree(tmp, out, dirs_exist_ok=True)
            shutil.rmtree(tmp)
        else:
            tmp.rename(out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return BuildReport(
        out, tables.edition_id, len(b.payloads), pages, time.perf_counter() - started
    )


def _write_site(out: Path, b: _Build) -> int:
    env = _env()
    a = _assets.write_assets(out)
    cells = _cell_options(b.sd)
    for lang in LANGUAGES:
        ui = _json_bytes(ui_payload(lang, b.params, cells))
        a.files[f"ui-{lang}"] = _write_hashed(out, f"assets/ui-{lang}", "json", ui)
    data_urls = {}
    for code, payload in b.payloads.items():
        data_urls[code] = _write_hashed(out, f"data/{code}", "json", _json_bytes(payload))
    (out / "data" / "index.json").write_bytes(
        _json_bytes({"edition": b.sd.tables.edition_id, "areas": data_urls})
    )
    pages = 0
    today = _dt.date.today()
    for lang in LANGUAGES:
        root1, root2, root3 = "../", "../../", "../../../"
        rows = _start_rows(b, lang)
        counties = [r for r in rows if r["level"] == "lan"]
        _render(
            env,
            "start.html",
            out / lang / "index.html",
            {
                **_common(lang, root1, a, b),
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
                    **_common(lang, root2, a, b),
                    "page": key,
                    "manifest": b.manifest,
                    "last_data_year": b.sd.default.inventory.last_data_year,
                    "areas": [(r["code"], r["name"]) for r in rows],
                    "today": fmt.date(today, lang),
                    "embed_views": EMBED_VIEWS,
                },
            )
            pages += 1
        for code, payload in b.payloads.items():
            ctx = _area_context(
                b.sd, code, payload, b.results[code], lang, b.subsectors.get(code, [])
            )
            for mode, folder, root in (
                ("page", out / lang / code, root2),
                ("slides", out / lang / code / "presentation", root3),
                ("embed", out / lang / code / "embed", root3),
            ):
                _render(
                    env,
                    "area.html",
                    folder / "index.html",
                    {
                        **_common(lang, root, a, b),
                        **ctx,
                        "mode": mode,
                        "page": "area",
                        "data_url": root + data_urls[code],
                        "ui_url": root + a.files[f"ui-{lang}"],
                        "views": VIEWS,
                    },
                )
                pages += 1
    (out / "index.html").write_text(env.get_template("redirect.html").render(), "utf-8")
    # served for any unknown address, so its links are absolute from the site's root
    _render(env, "404.html", out / "404.html", {**_common("sv", "/", a, b), "page": "404"})
    return pages + 2


# ---------------------------------------------------------------------------------------------
# the offline export


def _data_url(mime: str, data: bytes) -> str:
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def export_area(
    area: str,
    out: str | Path | None = None,
    *,
    lang: str = "sv",
    edition: str | None = None,
    preset: str | None = None,
    overrides: dict[str, str] | None = None,
    tables: Tables | None = None,
    editions_dir: str | Path | None = None,
    presentation: bool = False,
) -> Path:
    """Write one area as a single self-contained HTML file (no request leaves the file);
    ``presentation`` writes the presentation mode instead of the area page.

    ``out`` is a file or a folder (default: ``koldioxidbudget-<code>-<lang>.html`` in the current
    folder). Returns the path written.
    """
    from ..areas import find_area

    if lang not in LANGUAGES:
        raise ParameterError(f"Unknown language {lang!r}. Valid values: {', '.join(LANGUAGES)}")
    params = parameters_from(preset, overrides)
    if tables is None:
        from ..edition import load_edition

        tables = load_edition(edition, into=editions_dir, subsectors=True)
    code = find_area(tables.areas, area).code
    b = _prepare(tables, params, None, [code], {}, None)
    html = _export_html(b, code, lang, "slides" if presentation else "page")
    target = Path(out) if out else Path.cwd()
    if target.is_dir() or (out is None):
        target = target / f"koldioxidbudget-{code}-{lang}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(html, "utf-8")
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
    payload = b.payloads[code]
    ctx = _area_context(b.sd, code, payload, b.results[code], lang, b.subsectors.get(code, []))
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
