"""One scenario, one answer: the report, the site data and the API show the same number for
every area and every temperature × probability cell, and it is the engine's."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from koldioxidbudget.method.cells import VARIANT_CELL, cell_id
from koldioxidbudget.render import ReportJob, report_document
from koldioxidbudget.service.scenario import Scenario, scenario
from koldioxidbudget.story import fmt
from koldioxidbudget.story.document import KeyFigures, Table
from koldioxidbudget.web.sitedata import area_payload, site_data

#: one of each kind of area: kommuner large and small (and Gotland, cement), län, riket
REPORT_AREAS = ("0380", "2403", "2460", "0980", "03", "09", "00")


@pytest.fixture(scope="module")
def sc(editions_root: Path) -> Scenario:
    return scenario(ReportJob(editions_dir=str(editions_root)).spec)


def _close(a: float, b: float, what: str) -> None:
    assert math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-6), (what, a, b)


def test_the_cells_are_every_published_cell_and_one_answer_from_either_preset(
    sc: Scenario,
) -> None:
    assert next(iter(sc.cells)) == sc.own_cell
    assert sc.cells[sc.own_cell] is sc.run
    assert VARIANT_CELL in sc.cells and len(sc.cells) >= 9
    from koldioxidbudget.service.inputs import named as preset
    from koldioxidbudget.service.scenario import assemble

    other = assemble(preset("uppsala-2024-1.5"), tables=sc.tables)
    for cid, run in sc.cells.items():
        o = other.cells[cid]
        assert run.params.temperature_c == o.params.temperature_c
        for code in ("0380", "00"):
            _close(run.area(code).budget_t, o.area(code).budget_t, f"{cid}/{code}")


def test_site_data_equals_the_engine_for_every_area_and_cell(sc: Scenario) -> None:
    sd = site_data(sc)
    assert list(sd.runs) == list(sc.cells)
    for code in sc.run.codes:
        payload = area_payload(sd.results(code), sd.cells[0].id)
        for cid, run in sc.cells.items():
            r = run.area(code)
            got = payload["cells"][cid]
            for key in ("budget_t", "remaining_t", "rate"):
                _close(got[key], getattr(r, key), f"site {code}/{cid}/{key}")


def test_api_equals_the_engine_for_every_area_and_cell(
    sc: Scenario, real_client: TestClient
) -> None:
    # every area in the headline's cell and the 1,5 °C variant; every cell for each kind of area
    # (each request is a whole server round trip: all 312 × all cells would take minutes)
    for cid, run in sc.cells.items():
        p = run.params
        codes = run.codes if cid in (sc.own_cell, VARIANT_CELL) else REPORT_AREAS
        for code in codes:
            res = real_client.get(
                f"/api/v1/areas/{code}/budget",
                params={"temperature_c": p.temperature_c, "probability_pct": p.probability_pct},
            )
            assert res.status_code == 200, (code, cid, res.text[:300])
            got = res.json()["areas"][0]
            r = run.area(code)
            for key in ("budget_t", "remaining_t", "rate"):
                _close(got[key], getattr(r, key), f"api {code}/{cid}/{key}")


def test_api_bulk_download_equals_the_engine_for_every_area_and_cell(
    sc: Scenario, real_client: TestClient
) -> None:
    """The API's answer for all 312 areas in each cell: the edition's bulk download (JSON) with
    that cell's parameters, one request per cell."""
    edition = sc.run.edition
    for cid, run in sc.cells.items():
        p = run.params
        res = real_client.get(
            f"/api/v1/editions/{edition}/download.json",
            params={"temperature_c": p.temperature_c, "probability_pct": p.probability_pct},
        )
        assert res.status_code == 200, (cid, res.text[:300])
        rows = {row["code"]: row for row in res.json()["budgets"]}
        assert set(rows) == set(run.codes), cid
        for code in run.codes:
            r = run.area(code)
            for key in ("budget_t", "remaining_t", "rate"):
                _close(rows[code][key], getattr(r, key), f"download {code}/{cid}/{key}")


def _table(doc: Any, table_id: str) -> Table:
    return next(b for b in doc.blocks() if isinstance(b, Table) and b.id == table_id)


def _grid(table: Table) -> dict[str, str]:
    """A sensitivity table's cells by cell id (its rows are temperatures, its columns
    probabilities)."""
    probs = [int("".join(ch for ch in h if ch.isdigit())) for h in table.header[1:]]
    out = {}
    for row in table.rows:
        temp = float(row[0].split()[0].replace(",", "."))
        for prob, text in zip(probs, row[1:], strict=True):
            out[cell_id(temp, prob)] = text
    return out


@pytest.mark.slow
def test_report_shows_the_scenarios_numbers_for_every_area_and_cell(
    sc: Scenario, editions_root: Path
) -> None:
    """Every area's report document (312 of them, about 60 ms each) quotes the engine: the
    headline budget, the 1,5 °C tile, and the budget and the cut of every published cell in
    the sensitivity tables ("förbrukad" where that cell's budget is spent)."""
    job = ReportJob(editions_dir=str(editions_root))
    for code in sc.run.codes:
        doc = report_document(code, job)
        r = sc.run.area(code)
        assert doc.key_figures["budget"] == fmt.tonnes(r.budget_t), code
        tiles = {k.id: k for b in doc.blocks() if isinstance(b, KeyFigures) for k in b.figures}
        variant = sc.cells[VARIANT_CELL].area(code)
        if "rate_15" in tiles and variant.remaining_t > 0:
            assert tiles["rate_15"].value == fmt.percent(variant.rate), code
        budgets = _grid(_table(doc, "sensitivity-budget"))
        rates = _grid(_table(doc, "sensitivity-rate"))
        assert set(budgets) == set(rates) == set(sc.cells), code
        # the table is written in one unit, the one its largest cell needs
        unit = fmt.column_unit(run.area(code).budget_t for run in sc.cells.values())
        for cid, run in sc.cells.items():
            a = run.area(code)
            if a.budget_t > 0:
                shown = fmt.tonnes_in(a.budget_t, unit)
                assert budgets[cid] == shown, (code, cid, budgets[cid])
            if a.remaining_t > 0:
                assert rates[cid] == fmt.percent(a.rate), (code, cid, rates[cid])
            else:
                assert "förbrukad" in rates[cid], (code, cid, rates[cid])


@pytest.mark.parametrize("code", REPORT_AREAS)
def test_one_list_of_key_figures_in_the_cli_the_report_and_the_site(
    sc: Scenario, editions_root: Path, code: str
) -> None:
    """The CLI's table, the report's tiles and the site's tiles show the key figures of
    ``story.keyfigures`` — the engine's numbers — and agree on when a budget reads as spent (the
    1,5 °C run has spent budgets: Bjurholm's, Vännäs's)."""
    from koldioxidbudget.story.i18n import t
    from koldioxidbudget.story.keyfigures import ORDER, key_figures
    from koldioxidbudget.story.summary import key_figures as cli_rows
    from koldioxidbudget.web.site import tiles

    for run in (sc.run, sc.cells[VARIANT_CELL]):
        r = run.area(code)
        kf = key_figures(r)
        assert list(kf) == [i for i in ORDER if i in kf]
        assert kf["budget"].value == r.budget_t and kf["rate"].value == r.rate
        rate = kf["rate"]
        cli = dict(cli_rows(r, "sv"))
        cli_rate = next(v for k, v in cli.items() if k.startswith("Nödvändig minskning"))
        site = {tile["id"]: tile for tile in tiles(r, "sv")}
        if rate.spent:
            assert r.exhausted
            assert cli_rate == t("cli.spent", "sv")
            assert site["rate"]["value"] == t("site.tile.rate_exhausted", "sv")
        else:
            assert cli_rate == site["rate"]["value"] == fmt.percent(r.rate)
        assert f"{fmt.tonnes(r.budget_t)} CO₂" in cli.values()
    doc = report_document(code, ReportJob(editions_dir=str(editions_root)))
    r = sc.run.area(code)
    kf = key_figures(r, sc.cells[VARIANT_CELL].area(code))
    shown = {k.id: k for b in doc.blocks() if isinstance(b, KeyFigures) for k in b.figures}
    assert set(shown) <= set(kf)
    assert shown["budget"].value == fmt.tonnes(kf["budget"].value)
    if "rate_15" in shown and not kf["rate_15"].spent:
        assert shown["rate_15"].value == fmt.percent(kf["rate_15"].value)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_fixed_rate_path_is_not_called_the_carbon_law_anywhere(lang: str) -> None:
    """The 11,72 %/yr comparison path halves emissions in 5,6 years; the Carbon Law halves them
    per decade (about 6,7 %/yr). The report, the site's legend, its explanation and its glossary
    call the path the same thing and never the Carbon Law."""
    from koldioxidbudget.story.i18n import t

    name = {"sv": "Fast takt", "en": "Fixed rate"}[lang]
    assert t("site.path.carbon-law", lang).startswith(name)
    assert t("site.glossary.t_carbon_law", lang) == name
    assert t("report.ref.carbon-law", lang, rate="11,72 %", year=2025).startswith(name)
    for key in ("site.howto.carbon_law", "site.glossary.d_carbon_law"):
        text = t(key, lang, rate="11,72 %")
        assert "6,7 %" in text or "6.7%" in text, key
