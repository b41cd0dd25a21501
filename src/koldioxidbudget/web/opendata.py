"""Open data: an edition's emissions, population and every area's budget, as CSV, JSON or XLSX,
with the licence and sources of every input.

* ``download.csv`` — one long ("tidy") table, one value per row:
  ``code, name, level, lan_code, variable, sector, year, value, unit``. ``variable`` is
  ``emissions_t`` (SMHI as published, per sector), ``population``, ``history_t`` (emissions
  counted against the budget: after exclusions, nowcast years included), ``pathway_t`` (the
  budget pathway), or one of the budget figures ``budget_t`` (year = budget start), ``share``,
  ``remaining_t``, ``rate``, ``years_left``, ``exhaustion_year``, ``budget_per_capita_t`` (year
  = ``as_of``). The licence note is at ``licence`` (and in the ``Link`` header).
* ``download.json`` — ``{edition, licence, parameters, areas, budgets, emissions, population}``;
  the two large tables as ``{columns, data}`` (rows as arrays).
* ``download.xlsx`` — sheets ``about`` (licence, sources, parameters), ``budgets`` (one row per
  area), ``pathways``, ``emissions`` and ``population`` (one row per area (and sector), one
  column per year).
"""

from __future__ import annotations

import io
from typing import Any

import pandas as pd

from ..edition import EditionInfo
from ..method.budget import METHOD_VERSION, AreaResult, BudgetRun
from ..schema import Tables
from ..service.budget import CSV_FIELDS, csv_rows
from .responses import dumps

__all__ = ["FORMATS", "MEDIA_TYPES", "area_download_bytes", "download_bytes", "licence_note"]

FORMATS = ("csv", "json", "xlsx")
MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

DATA_LICENCE = "CC-BY-4.0"
DATA_LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"

#: input role (edition manifest) → licence, licence URL, how to cite
_SOURCE_LICENCES: dict[str, tuple[str, str | None, str]] = {
    "emissions": (
        "SMHI open data: free use with attribution",
        "https://www.smhi.se/data/oppna-data/villkor-for-anvandning",
        "SMHI, Nationella emissionsdatabasen",
    ),
    "municipalities": (
        "CC0-1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "Källa: SCB",
    ),
    "counties": ("CC0-1.0", "https://creativecommons.org/publicdomain/zero/1.0/", "Källa: SCB"),
    "population_municipality": (
        "CC0-1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "Källa: SCB",
    ),
    "population_county": (
        "CC0-1.0",
        "https://creativecommons.org/publicdomain/zero/1.0/",
        "Källa: SCB",
    ),
    "global_budgets": (
        "published figures, cited",
        None,
        "IPCC AR6 WG1 SPM Table SPM.2; Forster et al., Indicators of Global Climate Change",
    ),
    "global_emissions": (
        "CC-BY-4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "Global Carbon Project, Global Carbon Budget 2024, via Our World in Data",
    ),
    "blocs": (
        "CC-BY-4.0",
        "https://creativecommons.org/licenses/by/4.0/",
        "Global Carbon Project, Global Carbon Budget 2019",
    ),
    "cement": (
        "published facility figures, cited",
        None,
        "Naturvårdsverket, Utsläpp i siffror",
    ),
}

_NOTE = (
    "Carbon budgets computed by koldioxidbudget (method {method}) from the official statistics "
    "listed under sources. You may share and adapt them under {licence} ({url}): credit "
    "'koldioxidbudget, edition {edition}' and the sources as given in 'attribution'."
)


def licence_note(info: EditionInfo) -> dict[str, Any]:
    """The licence of the derived data and, for every input file, its publisher, licence and citation."""
    sources = []
    for inp in info.manifest.get("inputs", []):
        role = str(inp.get("role", ""))
        lic, url, cite = _SOURCE_LICENCES.get(
            role, ("see the publisher", None, str(inp.get("publisher") or role))
        )
        sources.append(
            {
                "role": role,
                "path": inp.get("path"),
                "publisher": inp.get("publisher"),
                "sha256": inp.get("sha256"),
                "vintage": inp.get("vintage"),
                "licence": lic,
                "licence_url": url,
                "attribution": cite,
            }
        )
    return {
        "edition": info.id,
        "licence": DATA_LICENCE,
        "note": _NOTE.format(
            method=METHOD_VERSION, licence=DATA_LICENCE, url=DATA_LICENCE_URL, edition=info.id
        ),
        "sources": sources,
    }


# the budget figures in the long CSV: variable → (year field, unit)
_FIGURES = {
    "budget_t": ("budget_from", "t"),
    "share": ("budget_from", "1"),
    "remaining_t": ("remaining_as_of", "t"),
    "rate": ("remaining_as_of", "1/yr"),
    "years_left": ("remaining_as_of", "yr"),
    "exhaustion_year": ("remaining_as_of", "year"),
    "budget_per_capita_t": ("budget_from", "t/person"),
}


def _area_frame(tables: Tables) -> pd.DataFrame:
    return tables.areas[["code", "name", "level", "lan_code"]]


def _long_table(info: EditionInfo, tables: Tables, results: list[AreaResult]) -> pd.DataFrame:
    gas = tables.gas
    em = tables.emissions.rename(columns={"emissions_t": "value"}).assign(
        variable="emissions_t", unit=f"t {gas}"
    )
    pop = tables.population.rename(columns={"population": "value"}).assign(
        variable="population", sector="", unit="persons"
    )
    rows: list[tuple[str, str, str, int, float | None, str]] = []
    for r in results:
        d = r.to_dict()
        for var, (year_key, unit) in _FIGURES.items():
            rows.append((r.code, var, "", int(d[year_key]), d[var], unit))
        rows.extend((r.code, "history_t", "", y, t, f"t {gas}") for y, t, _e in r.history)
        rows.extend((r.code, "pathway_t", "", y, t, f"t {gas}") for y, t in r.pathway)
    figures = pd.DataFrame(rows, columns=["code", "variable", "sector", "year", "value", "unit"])
    cols = ["code", "variable", "sector", "year", "value", "unit"]
    long = pd.concat([em[cols], pop[cols], figures], ignore_index=True)
    out = _area_frame(tables).merge(long, on="code", how="inner")
    return out[["code", "name", "level", "lan_code", "variable", "sector", "year", "value", "unit"]]


def _edition_summary(info: EditionInfo) -> dict[str, Any]:
    m = info.manifest
    return {
        "id": info.id,
        "gas": info.gas,
        "release": info.release,
        "publisher": m.get("publisher"),
        "data_years": m.get("data_years"),
        "method_version": METHOD_VERSION,
    }


def _split(df: pd.DataFrame) -> dict[str, Any]:
    return {"columns": list(df.columns), "data": df.to_numpy().tolist()}


def download_bytes(fmt: str, info: EditionInfo, tables: Tables, run: BudgetRun) -> bytes:
    """The edition's bulk data in ``fmt`` (csv, json or xlsx) with budgets under ``run``'s parameters."""
    results = run.areas()
    if fmt == "csv":
        buf = io.StringIO()
        _long_table(info, tables, results).to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue().encode("utf-8")
    if fmt == "json":
        doc = {
            "edition": _edition_summary(info),
            "licence": licence_note(info),
            "parameters": run.params.to_dict(),
            "areas": _area_frame(tables).to_dict("records"),
            "budgets": [
                dict(row, pathway=[{"year": y, "t": t} for y, t in r.pathway])
                for row, r in zip(csv_rows(results), results, strict=True)
            ],
            "emissions": _split(tables.emissions),
            "population": _split(tables.population),
        }
        return dumps(doc)
    if fmt == "xlsx":
        return _xlsx(info, tables, run, results)
    raise ValueError(fmt)


def area_download_bytes(
    fmt: str, info: EditionInfo, tables: Tables, run: BudgetRun, code: str
) -> bytes:
    """One area's data in ``fmt`` (csv or xlsx): the same tables as :func:`download_bytes`, for
    ``code`` only (a customer's package)."""
    import dataclasses

    result = run.area(code)
    sub = dataclasses.replace(
        tables,
        areas=tables.areas[tables.areas["code"] == code],
        emissions=tables.emissions[tables.emissions["code"] == code],
        population=tables.population[tables.population["code"] == code],
    )
    if fmt == "csv":
        buf = io.StringIO()
        _long_table(info, sub, [result]).to_csv(buf, index=False, lineterminator="\n")
        return buf.getvalue().encode("utf-8")
    if fmt == "xlsx":
        return _xlsx(info, sub, run, [result])
    raise ValueError(fmt)


def _xlsx(info: EditionInfo, tables: Tables, run: BudgetRun, results: list[AreaResult]) -> bytes:
    import xlsxwriter

    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(
        buf, {"in_memory": True, "strings_to_numbers": False, "nan_inf_to_errors": True}
    )
    bold = wb.add_format({"bold": True})
    names = _area_frame(tables).set_index("code")

    about = wb.add_worksheet("about")
    note = licence_note(info)
    lines: list[tuple[str, Any]] = [
        ("edition", info.id),
        ("gas", info.gas),
        ("release", info.release),
        ("method_version", METHOD_VERSION),
        ("licence", note["licence"]),
        ("note", note["note"]),
        ("", ""),
        ("parameters", ""),
    ]
    lines += [(k, str(v)) for k, v in run.params.to_dict().items()]
    r0 = 0
    for k, v in lines:
        about.write(r0, 0, k, bold)
        about.write(r0, 1, v)
        r0 += 1
    r0 += 1
    heads = [
        "role",
        "path",
        "publisher",
        "vintage",
        "sha256",
        "licence",
        "licence_url",
        "attribution",
    ]
    about.write_row(r0, 0, heads, bold)
    for s in note["sources"]:
        r0 += 1
        about.write_row(r0, 0, [s.get(h) if s.get(h) is not None else "" for h in heads])
    about.set_column(0, 0, 28)
    about.set_column(1, 1, 60)

    rows = csv_rows(results)
    ws = wb.add_worksheet("budgets")
    ws.write_row(0, 0, list(CSV_FIELDS), bold)
    for i, row in enumerate(rows, start=1):
        ws.write_row(i, 0, [_cell(row[k]) for k in CSV_FIELDS])
    ws.freeze_panes(1, 2)

    years = sorted({y for r in results for y, _ in r.pathway})
    ws = wb.add_worksheet("pathways")
    ws.write_row(0, 0, ["code", "name", *years], bold)
    for i, r in enumerate(results, start=1):
        by_year = dict(r.pathway)
        ws.write_row(i, 0, [r.code, r.name, *[_cell(by_year.get(y)) for y in years]])
    ws.freeze_panes(1, 2)

    wide = tables.emissions.pivot_table(
        index=["code", "sector"], columns="year", values="emissions_t", aggfunc="sum"
    )
    ws = wb.add_worksheet("emissions")
    ws.write_row(0, 0, ["code", "name", "sector", *[int(y) for y in wide.columns]], bold)
    for i, (index, values) in enumerate(wide.iterrows(), start=1):
        code, sector = (str(x) for x in index)  # type: ignore[attr-defined]
        name = str(names.at[code, "name"]) if code in names.index else ""
        ws.write_row(i, 0, [code, name, sector, *[_cell(v) for v in values.tolist()]])
    ws.freeze_panes(1, 3)

    wide = tables.population.pivot_table(
        index="code", columns="year", values="population", aggfunc="sum"
    )
    ws = wb.add_worksheet("population")
    ws.write_row(0, 0, ["code", "name", *[int(y) for y in wide.columns]], bold)
    for i, (pcode, values) in enumerate(wide.iterrows(), start=1):
        name = str(names.at[pcode, "name"]) if pcode in names.index else ""
        ws.write_row(i, 0, [str(pcode), name, *[_cell(v) for v in values.tolist()]])
    ws.freeze_panes(1, 2)
    wb.close()
    return buf.getvalue()


def _cell(v: Any) -> Any:
    if v is None:
        return ""
    if isinstance(v, float) and v != v:
        return ""
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return v
