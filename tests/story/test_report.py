"""The report's document model: structure, words from the catalogues, numbers from the engine,
and never an empty slot — for tiny editions and for every real area in both languages."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.method.params import LocalTarget
from koldioxidbudget.schema import Tables
from koldioxidbudget.service.inputs import parameters_from
from koldioxidbudget.story import fmt
from koldioxidbudget.story.document import (
    BulletList,
    Callout,
    Document,
    Figure,
    KeyFigures,
    Paragraph,
    Table,
)
from koldioxidbudget.story.i18n import catalogue
from koldioxidbudget.story.insights import insights_for
from koldioxidbudget.story.report import build_report, markdown_blocks
from tests.conftest import make_tables

#: What a reader must never see: a missing value, a template slot, a placeholder, "()".
EMPTY_SLOT = re.compile(r"\bNone\b|\bnan\b|\bNaN\b|\binf\b|\{|\}|TODO|\(\s*\)|\[\s*\]")


def realistic_tables(scale: float = 1e5) -> Tables:
    """The tiny edition with emissions of a realistic size (Mt rather than t)."""
    base = {
        "0101": [100.0, 80.0, 78.0, 76.0, 74.0, 72.0, 70.0, 68.0, 66.0],
        "0102": [50.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0],
        "0201": [200.0, 150.0, 145.0, 140.0, 135.0, 130.0, 125.0, 120.0, 115.0],
    }
    return make_tables(levels={k: [v * scale for v in vs] for k, vs in base.items()})


def _runs(tables: Tables, **changes: object) -> tuple[object, object]:
    p = dataclasses.replace(parameters_from(), as_of=2026, **changes)  # type: ignore[arg-type]
    v = dataclasses.replace(parameters_from("uppsala-2024-1.5"), as_of=2026)
    return compute_budgets(tables=tables, params=p), compute_budgets(tables=tables, params=v)


def _empty_slots(doc: Document) -> list[str]:
    return [x for x in doc.texts() if EMPTY_SLOT.search(x)]


@pytest.fixture(scope="module")
def tiny_doc() -> Document:
    t = realistic_tables()
    run, var = _runs(t, local_targets=(LocalTarget(2030, 0.63, 1990), LocalTarget(2045, 1.0)))
    return build_report(run, "0101", lang="sv", variant_run=var, tables=t)  # type: ignore[arg-type]


def test_report_has_every_chapter_of_the_issue(tiny_doc: Document) -> None:
    ids = [s.id for s in tiny_doc.sections]
    for needed in (
        "foreword",
        "summary",
        "general",
        "local",
        "sectors",
        "insights",
        "proposals",
        "follow-up",
        "method",
        "data",
        "glossary",
        "figure-data",
    ):
        assert needed in ids, needed
    sub = {s.id for s in tiny_doc.walk()}
    for needed in (
        "cumulative",
        "global-budget",
        "equity",
        "national-to-local",
        "debates",
        "emissions",
        "per-capita",
        "trend",
        "pathway",
        "delay",
        "targets",
        "insights-next",
        "insights-wait",
        "insights-early",
        "insights-sectors",
        "measures",
        "indicators",
    ):
        assert needed in sub, needed
    assert [s for s in tiny_doc.sections if s.figure_tables]


def test_report_key_figures_equal_the_engine(tiny_doc: Document) -> None:
    t = realistic_tables()
    run, var = _runs(t, local_targets=(LocalTarget(2030, 0.63, 1990), LocalTarget(2045, 1.0)))
    r = run.area("0101")  # type: ignore[attr-defined]
    v = var.area("0101")  # type: ignore[attr-defined]
    kf = tiny_doc.key_figures
    assert kf["budget"] == fmt.tonnes(r.budget_t)
    assert kf["remaining"] == fmt.tonnes(r.remaining_t)
    assert kf["rate"] == fmt.percent(r.rate)
    assert kf["rate_15"] == fmt.percent(v.rate)
    assert kf["delay_rate_1"] == fmt.percent(r.cost_of_delay[1].rate)
    tiles = next(b for b in tiny_doc.blocks() if isinstance(b, KeyFigures))
    shown = {f.id: f.value for f in tiles.figures}
    for k in ("budget", "remaining", "rate", "rate_15", "delay_rate_1"):
        assert shown[k] == kf[k]


def test_report_figures_have_caption_alt_and_data_table(tiny_doc: Document) -> None:
    figs = tiny_doc.figures()
    assert len(figs) >= 8
    assert len({f.id for f in figs}) == len(figs)
    for f in figs:
        assert f.caption and f.alt and f.number
        assert f.spec["description"] == f.alt
        assert f.spec["data"]["values"] or f.spec.get("layer")
        assert f.table.rows and all(len(r) == len(f.table.header) for r in f.table.rows)
        assert f.table.caption.startswith(f.number)


def test_report_tables_are_rectangular_strings(tiny_doc: Document) -> None:
    for b in tiny_doc.blocks():
        if isinstance(b, Table):
            assert b.caption
            for row in b.rows:
                assert len(row) == len(b.header), b.id
                assert all(isinstance(c, str) and c for c in row), b.id


def test_report_has_no_empty_slot_tiny(tiny_doc: Document) -> None:
    assert _empty_slots(tiny_doc) == []


@pytest.mark.parametrize("code", ["0101", "0102", "0201", "01", "02", "00"])
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_every_tiny_area_both_languages(code: str, lang: str) -> None:
    t = realistic_tables()
    run, var = _runs(t)
    doc = build_report(run, code, lang=lang, variant_run=var, tables=t)  # type: ignore[arg-type]
    assert _empty_slots(doc) == []
    assert doc.lang == lang
    if code in ("01", "00"):
        assert "members" in {s.id for s in doc.walk()}


def test_report_exhausted_budget_says_so_without_empty_slots() -> None:
    t = realistic_tables(scale=1e7)  # emissions so large the budget is gone
    run, var = _runs(t)
    doc = build_report(run, "0201", lang="sv", variant_run=var, tables=t)  # type: ignore[arg-type]
    r = run.area("0201")  # type: ignore[attr-defined]
    assert r.exhausted
    assert _empty_slots(doc) == []
    warnings = [b for b in doc.blocks() if isinstance(b, Callout) and b.kind == "warning"]
    assert warnings
    # a spent budget has no "years left at today's emissions: 0,0, runs out during 2026" tile
    tiles = [f.id for b in doc.blocks() if isinstance(b, KeyFigures) for f in b.figures]
    assert "remaining" in tiles and "years_left" not in tiles
    # no "Budgetens bana (−100,0 %/år)" in a legend or table, no remaining budget "under the line"
    shown = set(doc.key_figures.values())  # the machine-readable record keeps the engine's value
    texts = [x for x in doc.texts() if x not in shown]
    assert not [x for x in texts if "100,0\u00a0%" in x]
    profile = next(b for b in doc.blocks() if isinstance(b, Table) and b.id == "area-profile")
    left = next(v for k, v in profile.rows if k.startswith("Återstående budget"))
    assert left == f"Förbrukad, överskriden med {fmt.tonnes(-r.remaining_t, 'sv')}"
    # the paths against a spent budget: all over it, the budget named as spent, not "Budget −…"
    paths = next(b for b in doc.blocks() if isinstance(b, Table) and b.id == "targets-table")
    assert {row[-1] for row in paths.rows} == {"Över budgeten"}
    assert not [x for x in texts if "Budget −" in x or "budgeten −" in x]
    assert not [x for x in texts if "använder exakt den återstående budgeten" in x]
    # the strategic insights speak of the overshoot, not of holding a budget that is gone
    for said in ("håller budgeten", "om budgeten hålls", "då är budgeten helt förbrukad"):
        assert not [x for x in texts if said in x], said
    assert any("överskridandet" in x for x in texts)
    assert not [x for x in texts if "kvar av budgeten är −" in x]  # the ledger's closing words
    assert any("och budgeten är förbrukad: den är överskriden med" in x for x in texts)
    assert not [x for x in texts if "Ytan under den gröna banan" in x]
    assert any("banan går direkt till noll" in x for x in texts)


def test_report_without_optional_inputs() -> None:
    t = realistic_tables()
    run, _ = _runs(t)
    doc = build_report(run, "0102", lang="en")  # type: ignore[arg-type]
    assert _empty_slots(doc) == []
    assert "rate_15" not in doc.key_figures


def test_report_words_come_from_the_catalogue(tiny_doc: Document) -> None:
    sv = catalogue("sv")
    assert tiny_doc.labels["contents"] == sv["report.label.contents"]
    titles = {s.id: s.title for s in tiny_doc.sections}
    assert titles["summary"] == sv["report.summary.title"]


#: messages whose languages rightly use different slots of the same call
DIFFERENT_SLOTS = {
    # a county goes by SCB's name in Swedish ("Stockholms län"), by its own in English
    # ("Stockholm County")
    "report.area_name.lan": ({"name"}, {"short"}),
}


def test_report_catalogues_have_the_same_slots() -> None:
    sv, en = catalogue("sv"), catalogue("en")
    slot = re.compile(r"\{(\w+)\}")
    for key, text in sv.items():
        if key.startswith("report."):
            pair = (set(slot.findall(text)), set(slot.findall(en[key])))
            assert pair[0] == pair[1] or DIFFERENT_SLOTS.get(key) == pair, key


def test_report_every_parameter_has_a_swedish_meaning() -> None:
    from koldioxidbudget.method.params import FIELD_DOCS

    for lang in ("sv", "en"):
        cat = catalogue(lang)
        missing = [k for k in FIELD_DOCS if f"report.param.{k}" not in cat]
        assert missing == [], f"{lang}: report.toml lacks param.{missing}"


def test_report_insights_read_the_pathway() -> None:
    t = realistic_tables()
    run, _ = _runs(t)
    r = run.area("0101")  # type: ignore[attr-defined]
    ins = insights_for(r)
    path = dict(r.pathway)
    assert ins.halving_year is not None
    assert path[ins.halving_year] <= r.e0_t / 2 < path[ins.halving_year - 1]
    assert ins.milestone_cut == pytest.approx(1 - path[2030] / r.e0_t)
    assert ins.sectors[0].share == max(s.share for s in r.sectors)


def test_markdown_blocks_keep_emphasis_and_lists() -> None:
    blocks = markdown_blocks("# Rubrik\n\nEtt **viktigt** och *betonat* ord.\n\n- ett\n- två\n")
    assert isinstance(blocks[0], Paragraph) and blocks[0].runs[0].strong
    para = blocks[1]
    assert isinstance(para, Paragraph)
    assert [r.text for r in para.runs if r.strong] == ["viktigt"]
    assert [r.text for r in para.runs if r.emph] == ["betonat"]
    assert isinstance(blocks[2], BulletList) and len(blocks[2].items) == 2


# ---------------------------------------------------------------------------------------------
# real data: every area, both languages


@pytest.fixture(scope="module")
def real_context(editions_root: Path) -> object:
    from koldioxidbudget.render import ReportJob
    from koldioxidbudget.service.scenario import scenario

    return scenario(ReportJob(editions_dir=str(editions_root)).spec)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_no_empty_slot_in_any_real_area(real_context: object, lang: str) -> None:
    ctx = real_context
    bad: list[tuple[str, str]] = []
    for code in ctx.run.codes:  # type: ignore[attr-defined]
        doc = build_report(
            ctx.run,  # type: ignore[attr-defined]
            code,
            lang=lang,
            variant_run=ctx.variant,  # type: ignore[attr-defined]
            tables=ctx.tables,  # type: ignore[attr-defined]
            manifest=ctx.edition.manifest,  # type: ignore[attr-defined]
            sensitivity=tuple(ctx.cells.values()),  # type: ignore[attr-defined]
        )
        bad += [(code, x) for x in _empty_slots(doc)]
    assert bad == []
    assert len(ctx.run.codes) == 312  # type: ignore[attr-defined]


def test_report_real_uppsala_key_figures_equal_engine(real_context: object) -> None:
    ctx = real_context
    r = ctx.run.area("0380")  # type: ignore[attr-defined]
    doc = build_report(
        ctx.run,  # type: ignore[attr-defined]
        "0380",
        variant_run=ctx.variant,  # type: ignore[attr-defined]
        tables=ctx.tables,  # type: ignore[attr-defined]
        manifest=ctx.edition.manifest,  # type: ignore[attr-defined]
        sensitivity=tuple(ctx.cells.values()),  # type: ignore[attr-defined]
    )
    assert doc.area_name == "Uppsala kommun"
    assert doc.key_figures["budget"] == fmt.tonnes(r.budget_t)
    assert doc.key_figures["remaining"] == fmt.tonnes(r.remaining_t)
    assert doc.key_figures["rate"] == fmt.percent(r.rate)
    text = "\n".join(doc.texts())
    for v in (doc.key_figures["budget"], doc.key_figures["rate"]):
        assert v in text
    kinds = {f.kind for f in doc.figures()}
    assert kinds >= {
        "emissions_by_sector",
        "per_capita",
        "pathway",
        "cost_of_delay",
        "cumulative_vs_budget",
        "sector_shares",
        "sector_history",
    }
    subsector_tables = [
        b for b in doc.blocks() if isinstance(b, Table) and b.id.startswith("subsectors-")
    ]
    assert subsector_tables, "the real edition has subsectors for Uppsala"
    assert any(isinstance(b, Figure) and b.id == "global-emissions" for b in doc.blocks())


def test_report_tables_and_figures_are_numbered_in_reading_order(tiny_doc: Document) -> None:
    tables = [
        int(b.caption.split(".")[0].split()[-1])
        for b in tiny_doc.blocks()
        if isinstance(b, Table) and b.caption.startswith("Tabell ")
    ]
    figures = [int(f.number.split()[-1]) for f in tiny_doc.figures()]
    assert tables == sorted(tables) == list(range(1, len(tables) + 1))
    assert figures == list(range(1, len(figures) + 1))


def test_report_file_slugs_are_unique_for_every_real_area(real_context: object) -> None:
    from koldioxidbudget.story.report import area_slug

    run = real_context.run  # type: ignore[attr-defined]
    slugs = [area_slug(run, c) for c in run.codes]
    assert len(set(slugs)) == len(slugs)
    assert area_slug(run, "0380") == "uppsala"
    assert area_slug(run, "00") == "sverige"
    assert {area_slug(run, "0305"), area_slug(run, "0643")} == {"habo-0305", "habo-0643"}


def test_report_sector_table_adds_up_to_the_total_after_exclusions(real_context: object) -> None:
    """Gotland's cement plant is deducted by the engine; the sectors shown must still add up."""
    ctx = real_context
    doc = build_report(ctx.run, "0980", tables=ctx.tables)  # type: ignore[attr-defined]
    fig = next(f for f in doc.figures() if f.id == "emissions")
    by_year: dict[int, float] = {}
    for row in fig.spec["data"]["values"]:
        by_year[row["year"]] = by_year.get(row["year"], 0.0) + row["value"]
        assert row["value"] >= 0, row
    r = ctx.run.area("0980")  # type: ignore[attr-defined]
    for y, t, _ in r.history:
        assert by_year[y] == pytest.approx(t / 1e3, rel=1e-3, abs=0.05)


def test_cli_key_figures_of_a_spent_budget_read_as_spent() -> None:
    """The `budget` command's table for a spent budget: "förbrukad, överskriden med …", not
    "−959 kt" left, "100,0 %", "1 av 1" or a year it runs out in; Sweden has no share row."""
    from koldioxidbudget.method.budget import compute_budgets
    from koldioxidbudget.service.inputs import parameters_from
    from koldioxidbudget.story.summary import key_figures

    params = parameters_from(None, {"temperature_c": "1.5", "probability_pct": "83"})
    run = compute_budgets(tables=realistic_tables(), params=params)
    r = run.area("0201")
    assert r.exhausted
    rows = dict(key_figures(r, "sv"))
    left = next(v for k, v in rows.items() if k.startswith("Kvar av budgeten"))
    assert left == f"förbrukad, överskriden med {fmt.tonnes(-r.remaining_t, 'sv')} CO₂"
    assert rows["Nödvändig minskning per år (konvention A)"] == "redan förbrukad"
    assert rows["År kvar med dagens utsläppsnivå"] == "0"
    assert rows["Budgeten tar slut med dagens nivå under"] == "redan förbrukad"
    assert not any("1 av" in v or "100,0" in v for v in rows.values())
    assert rows["Observera"] == "Budgeten är redan förbrukad"
    sweden = dict(key_figures(run.area("00"), "sv"))
    assert "Andel av Sveriges fördelade budget" not in sweden


def test_report_explains_a_derived_national_budget_as_the_method_derives_it() -> None:
    """A cell the release did not publish (1,7 °C with 67 %) lies on the line through the two
    published points; the text says so, not the old "scaled by the ratio" (which holds only
    when a release publishes one point)."""
    t = realistic_tables()
    run, var = _runs(t, probability_pct=67)
    text = " ".join(build_report(run, "0101", lang="sv", variant_run=var, tables=t).texts())  # type: ignore[arg-type]
    assert "ligger på den räta linjen genom de två publicerade budgetarna" in text
    assert "skalats med kvoten" not in text
    run1, var1 = _runs(t, probability_pct=67, national_other_t=0.0)
    one = " ".join(build_report(run1, "0101", lang="sv", variant_run=var1, tables=t).texts())  # type: ignore[arg-type]
    assert "skalats med kvoten mellan de två globala budgetarna" in one
