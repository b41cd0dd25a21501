"""What a reader checks in the report: one answer per case, words for the area's level and state,
no maker's notes, no edition id in the body — for every real area, in Swedish and English."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.story import fmt
from koldioxidbudget.story.document import Document, Section, Table
from koldioxidbudget.story.report.context import DELAYS_SHOWN

SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
FRACTION = re.compile(r"\b1/\d{3,}\b")  # 1/10 reads; 1/557 does not
LEVEL_WORDS = {
    "sv": re.compile(r"\b(kommunen|Kommunen|fullmäktige|kommunstyrelsen)\b"),
    "en": re.compile(r"\b(the municipality|The municipality|the council)\b"),
}
SPENT_IN_SLOT = {
    "sv": re.compile(r"förbrukad per år|mellan [^.]* och förbrukad|krävs förbrukad|100,0\u00a0%"),
    "en": re.compile(r"spent a year|and spent|takes spent|100\.0%"),
}


@pytest.fixture(scope="module")
def ctx(editions_root: Path) -> object:
    from koldioxidbudget.render import ReportJob
    from koldioxidbudget.service.scenario import scenario

    return scenario(ReportJob(editions_dir=str(editions_root)).spec)


def _doc(ctx: object, code: str, lang: str = "sv") -> Document:
    """The report exactly as ``koldioxidbudget report`` builds it from the scenario."""
    from koldioxidbudget.render import ReportJob, report_document

    return report_document(  # type: ignore[no-any-return]
        code,
        ReportJob(lang=lang, editions_dir=ctx.editions_dir),  # type: ignore[attr-defined]
    )


def _section_texts(doc: Document, *, skip: tuple[str, ...] = ()) -> list[str]:
    """Every visible text outside the sections with ids in ``skip``."""
    out: list[str] = [doc.title, doc.subtitle, *doc.labels.values()]
    if doc.cover is not None:
        out += [doc.cover.kicker, doc.cover.subtitle, doc.cover.edition_line, doc.cover.date_line]
    for top in doc.sections:
        if top.id in skip:
            continue
        for s in top.walk():
            out.append(s.title)
            out += _texts_of(Document.__new__(Document), s)
    return out


def _texts_of(_: Document, s: Section) -> list[str]:
    from koldioxidbudget.story.document import BulletList, Callout, Figure, KeyFigures, Paragraph

    out: list[str] = []

    def blocks(bs: tuple[object, ...]) -> None:
        for b in bs:
            if isinstance(b, Paragraph):
                out.append(b.text)
            elif isinstance(b, BulletList):
                out.extend(i.text for i in b.items)
            elif isinstance(b, KeyFigures):
                out.extend(f"{k.label}: {k.value} ({k.note})" for k in b.figures)
            elif isinstance(b, Table):
                out.append(b.caption)
                out.extend(b.header)
                out.extend(" | ".join(r) for r in b.rows)
                out.extend(b.notes)
            elif isinstance(b, Figure):
                out.extend([b.caption, b.alt, b.source])
            elif isinstance(b, Callout):
                out.append(b.title)
                blocks(b.body)

    blocks(s.blocks)
    return out


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_every_real_area_reads_as_written_for_it(ctx: object, lang: str) -> None:
    """For all 312 areas: no level words of a municipality in a county's or Sweden's report, no
    spent budget in a percentage slot, no snake_case, no 1/N fractions, the edition id only in
    the method and data appendices and the colophon, every subsector name from the catalogue."""
    run = ctx.run  # type: ignore[attr-defined]
    bad: list[tuple[str, str, str]] = []
    for code in run.codes:
        doc = _doc(ctx, code, lang)
        r = run.area(code)
        body = _section_texts(doc, skip=("method", "data", "colophon"))
        text = "\n".join(body)
        if r.level != "kommun":
            bad += [(code, "level", m.group(0)) for m in LEVEL_WORDS[lang].finditer(text)]
        bad += [(code, "spent", m.group(0)) for m in SPENT_IN_SLOT[lang].finditer(text)]
        bad += [(code, "fraction", m.group(0)) for m in FRACTION.finditer(text)]
        if r.edition in text:
            bad.append((code, "edition", r.edition))
        # the summary's "after N years of waiting the budget is spent" is the delay table's
        # first spent start, not the last row shown
        shown = r.cost_of_delay[1 : DELAYS_SHOWN + 1]
        spent = next((d for d in shown if d.exhausted), None)
        if lang == "sv" and spent is not None and not shown[0].exhausted and not r.exhausted:
            said = (
                f"efter {spent.delay_years} års väntan, {spent.start_year}, är budgeten förbrukad"
            )
            if said not in text:
                bad.append((code, "delay", said))
        appendix = "\n".join(_section_texts(doc)[len(body) :]) + text
        bad += [
            (code, "snake", m.group(0))
            for m in SNAKE.finditer(appendix.replace(r.edition, ""))
            if m.group(0) not in {"co2_", "ghg_"} and "/" not in m.group(0)
        ]
    # file names in the data appendix are paths, not words: exclude the sources table
    bad = [b for b in bad if not (b[1] == "snake" and b[2].endswith(("_csv", "_xlsx")))]
    assert bad == [], bad[:20]


def test_report_one_answer_for_1_5_degrees_50_percent(ctx: object) -> None:
    """The summary's 1.5 °C figure, the sensitivity table's 1.5 °C/50 % cell and the engine run
    for that cell are the same number."""
    run = ctx.run  # type: ignore[attr-defined]
    tables = ctx.tables  # type: ignore[attr-defined]
    cell = dataclasses.replace(run.params, temperature_c=1.5, probability_pct=50)
    engine = compute_budgets(tables=tables, params=cell).area("0380")
    doc = _doc(ctx, "0380")
    budget = fmt.tonnes(engine.budget_t)
    summary = next(s for s in doc.sections if s.id == "summary")
    summary_text = "\n".join(_texts_of(doc, summary))
    assert budget in summary_text
    table = next(b for b in doc.blocks() if isinstance(b, Table) and b.id == "sensitivity-budget")
    col = table.header.index(next(h for h in table.header if h.startswith("50")))
    row = next(r for r in table.rows if r[0].startswith("1,5"))
    assert row[col] == budget
    rate_table = next(
        b for b in doc.blocks() if isinstance(b, Table) and b.id == "sensitivity-rate"
    )
    rate_row = next(r for r in rate_table.rows if r[0].startswith("1,5"))
    expected = "förbrukad" if engine.exhausted else fmt.percent(engine.rate)
    assert rate_row[col] == expected
    assert ctx.variant.area("0380").budget_t == engine.budget_t  # type: ignore[attr-defined]


def test_report_estimated_level_is_labelled_an_estimate(ctx: object) -> None:
    r = ctx.run.area("0380")  # type: ignore[attr-defined]
    assert r.e0_estimated
    doc = _doc(ctx, "0380")
    text = "\n".join(doc.texts())
    assert f"Utsläppen år {r.e0_year} uppskattas till" in text
    assert f"Utsläppen år {r.e0_year} var " not in text
    # the level per inhabitant of that year is an estimate too, in words and in the table
    assert "Utsläppen per invånare i Uppsala kommun uppskattas till" in text
    assert "Utsläppen per invånare i Uppsala kommun var" not in text
    assert f"Utsläpp per invånare {r.e0_year} (uppskattat)" in text


def test_report_sweden_states_one_national_budget(ctx: object) -> None:
    doc = _doc(ctx, "00")
    nat = ctx.run.national  # type: ignore[attr-defined]
    summary = next(s for s in doc.sections if s.id == "summary")
    lead = summary.blocks[0].text  # type: ignore[union-attr]
    assert fmt.tonnes(nat.budget_t) in lead and fmt.tonnes(nat.allocated_t) in lead
    assert "100,000" not in "\n".join(doc.texts())


def test_report_gotland_is_not_compared_with_its_own_county(ctx: object) -> None:
    doc = _doc(ctx, "0980")
    per_capita = next(s for s in doc.sections[4].walk() if s.id == "per-capita")
    text = "\n".join(_texts_of(doc, per_capita))
    assert "Gotlands län" not in text


def test_report_cement_host_says_what_its_figures_leave_out(ctx: object) -> None:
    """Gotland hosts the Slite cement plant: the local part says what SMHI reports, what was
    deducted and what the budget counts (the engine's figures); Uppsala, with no deduction,
    says nothing of it."""
    run = ctx.run  # type: ignore[attr-defined]
    r = run.area("0980")
    deducted = dict(r.excluded_t)[r.last_data_year]
    counted = next(t for y, t, _ in r.history if y == r.last_data_year)
    assert deducted > 500_000  # 0,63 of the plant's reported total
    text = " ".join(_doc(ctx, "0980").texts())
    assert (
        f"Enligt SMHI:s statistik släpptes {fmt.tonnes(counted + deducted)} ut i Region Gotland "
        f"år {r.last_data_year}. Av dem är {fmt.tonnes(deducted)} processutsläpp från "
        "cementtillverkning"
    ) in text
    assert f"de återstående {fmt.tonnes(counted)}." in text
    assert f"efter att {fmt.tonnes(deducted)} processutsläpp från cementtillverkning" in text
    assert "Enligt SMHI:s statistik släpptes" not in " ".join(_doc(ctx, "0380").texts())


def test_report_sector_chapter_describes_what_it_promises(ctx: object) -> None:
    for code in ("0380", "2403", "0980"):
        doc = _doc(ctx, code)
        sectors = next(s for s in doc.sections if s.id == "sectors")
        intro = sectors.blocks[0].text  # type: ignore[union-attr]
        for sub in sectors.subsections:
            assert sub.title in intro, (code, sub.title)


def test_report_spent_variant_reads_as_spent(ctx: object) -> None:
    doc = _doc(ctx, "2403")
    v = ctx.variant.area("2403")  # type: ignore[attr-defined]
    assert v.exhausted
    tiles = {
        k.id: k
        for b in doc.blocks()
        if hasattr(b, "figures") and isinstance(b.figures, tuple)
        for k in b.figures
        if hasattr(k, "id")
    }  # type: ignore[union-attr]
    assert tiles["rate_15"].value == "förbrukad"
    assert "100,0" not in tiles["rate_15"].value


def test_report_english_subsectors_are_translated(ctx: object) -> None:
    doc = _doc(ctx, "0380", "en")
    subs = [b for b in doc.blocks() if isinstance(b, Table) and b.id.startswith("subsectors-")]
    assert subs
    names = {row[0] for t in subs for row in t.rows}
    assert "Cars" in names and "Personbilar" not in names
    sv = _doc(ctx, "0380")
    sv_names = {
        row[0]
        for t in sv.blocks()
        if isinstance(t, Table) and t.id.startswith("subsectors-")
        for row in t.rows
    }
    assert "Mopeder och motorcyklar" in sv_names and "Mopeder och Motorcyklar" not in sv_names


@pytest.mark.parametrize("code", ["0380", "0980", "00"])
def test_report_tonne_columns_use_one_unit(ctx: object, code: str) -> None:
    """Not "135 kt" above "7 002 t", nor "1,96 Mt" above "539 kt": in the subsector, delay,
    milestone and ledger tables the column's largest value decides its unit."""
    doc = _doc(ctx, code)
    tables = [
        b
        for b in doc.blocks()
        if isinstance(b, Table)
        and (
            b.id.startswith("subsectors-")
            or b.id in {"delay-table", "sector-milestone", "ledger-table"}
        )
    ]
    assert {t.id for t in tables} >= {"delay-table", "sector-milestone"}
    unit = re.compile(r"\u00a0(t|kt|Mt)$")
    for t in tables:
        for j in range(len(t.header)):
            units = {m.group(1) for row in t.rows if (m := unit.search(row[j]))}
            assert len(units) <= 1, (code, t.id, t.header[j], [row[j] for row in t.rows])


def test_every_subsector_in_the_edition_has_words(ctx: object) -> None:
    from koldioxidbudget.areas import slug
    from koldioxidbudget.story.i18n import catalogue

    names = set(ctx.tables.subsectors["subsector"].unique())  # type: ignore[attr-defined]
    for lang in ("sv", "en"):
        missing = [n for n in names if f"report.subsector.{slug(n)}" not in catalogue(lang)]
        assert missing == [], (lang, missing)


def test_report_of_an_aggregate_shows_its_members_overspending(ctx: object) -> None:
    """Sweden at 1,5 °C / 50 %: some municipalities have spent their budgets, so the net remaining
    budget is said to be net, with both parts from the engine; a municipality has no such line."""
    from koldioxidbudget.render import ReportJob, report_document
    from koldioxidbudget.service.inputs import named as preset
    from koldioxidbudget.service.scenario import scenario

    job = ReportJob(params=preset("uppsala-2024-1.5"), editions_dir=ctx.editions_dir)  # type: ignore[attr-defined]
    r = scenario(job.spec).run.area("00")
    assert r.members_overspent_t and r.members_overspent_t > 0
    doc = report_document("00", job)
    text = "\n".join(doc.texts())
    assert fmt.tonnes(r.members_overspent_t) in text
    # the tables of counties and municipalities: a spent member reads "förbrukad", not "100,0 %"
    members = [b for b in doc.blocks() if isinstance(b, Table) and b.id.startswith("members-")]
    cuts = [row[4] for t in members for row in t.rows]
    assert "förbrukad" in cuts and "100,0 %" not in cuts
    assert fmt.tonnes(r.members_available_t) in text  # type: ignore[arg-type]
    assert "är ett netto" in text
    assert "återstår för hela området, −" not in text  # a spent total is said to be exceeded
    assert "är ett netto" not in "\n".join(report_document("0380", job).texts())


def test_report_member_table_has_official_names_in_swedish_order(ctx: object) -> None:
    """Sweden's table of municipalities: the official names (Falu kommun, Kalmar kommun, Kalix
    kommun, Region Gotland; not the source file's "Faluns kommun", "Kalixs kommun") in the order
    of a Swedish index (å, ä, ö after z: Vårgårda before Växjö)."""
    doc = _doc(ctx, "00")
    table = next(
        b
        for s in doc.walk()
        for b in s.blocks
        if isinstance(b, Table) and b.id == "members-municipalities"
    )
    names = [row[0] for row in table.rows]
    assert {"Falu kommun", "Kalmar kommun", "Kalix kommun", "Region Gotland"} <= set(names)
    assert not {"Faluns kommun", "Kalmars kommun", "Kalixs kommun", "Överkalixs kommun"} & set(
        names
    )
    assert names.index("Vårgårda kommun") < names.index("Växjö kommun")
    assert names.index("Ydre kommun") < names.index("Åmåls kommun") < names.index("Örebro kommun")
    assert names.index("Älmhults kommun") < names.index("Örebro kommun")
    assert names.index("Åmåls kommun") < names.index("Älmhults kommun")


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_region_gotland_is_addressed_as_a_region(ctx: object, lang: str) -> None:
    """Gotland is a municipality with a region's tasks, Region Gotland: its decisions are made
    in regionfullmäktige and reported to regionstyrelsen, not in 'fullmäktige' or to
    'kommunstyrelsen' (Uppsala keeps those)."""
    gotland = "\n".join(_doc(ctx, "0980", lang).texts())
    uppsala = "\n".join(_doc(ctx, "0380", lang).texts())
    if lang == "sv":
        assert "regionfullmäktige" in gotland and "regionstyrelsen" in gotland
        assert not re.search(r"(?<!region)fullmäktige|kommunstyrelsen", gotland)
        assert "kommunstyrelsen" in uppsala
    else:
        assert "regional council" in gotland and "regional executive committee" in gotland
        assert "regional council" not in uppsala
