"""What a reader checks in the report: one answer per case, words for the area's level and state,
no maker's notes, no edition id in the body — for every real area, in Swedish and English."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.story import fmt
from koldioxidbudget.story.document import Document, KeyFigures, Paragraph, Section, Table
from koldioxidbudget.story.report.context import DELAYS_SHOWN

#: small counts as the Swedish text writes them ("väntar man fem år")
_SV_WORDS = {2: "två", 3: "tre", 4: "fyra", 5: "fem", 6: "sex", 7: "sju", 8: "åtta", 9: "nio"}

SNAKE = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")
FRACTION = re.compile(r"\b1/\d{3,}\b")  # 1/10 reads; 1/557 does not
LEVEL_WORDS = {
    "sv": re.compile(
        r"\b(kommunen|Kommunen|fullmäktige|kommunstyrelsen|enskild kommuns|detaljplaner"
        r"|förvaltningar|Lokal del|Den lokala delen|lokala delen om)\b"
    ),
    "en": re.compile(
        r"\b(the municipality|The municipality|the council|single municipality's"
        r"|detailed plans|department|Local part|The local part|local part about)\b"
    ),
}
#: ... and none of a municipality's or a county's in Sweden's: the state, not "municipalities and
#: regions", controls the sectors; Sweden's targets apply to Sweden, not "locally"
NATIONAL_WORDS = {
    "sv": re.compile(
        r"tillämpade lokalt|tillämpade på länet|Lokala mål|Vad kommuner|Regional del"
        r"|länets kommuner"
    ),
    "en": re.compile(
        r"applied locally|applied to the county|Local targets|What municipalities"
        r"|Regional part|the county's municipalities"
    ),
}
#: what the local chapter is called, by level
PART_TITLE = {
    "sv": {"kommun": "Lokal del: ", "lan": "Regional del: ", "riket": "Nationell del: "},
    "en": {"kommun": "Local part: ", "lan": "Regional part: ", "riket": "National part: "},
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


def _sector_mid_sentence(lang: str) -> re.Pattern[str]:
    """A sector's capitalised name after a lower-case word, a comma or a colon: "den största
    sektorn, Transporter, …", "Utsläpp från Egen uppvärmning …" (a heading, a table cell and a
    sentence's first word keep the capital)."""
    from koldioxidbudget.schema import SECTORS
    from koldioxidbudget.story.i18n import t

    names = sorted((t(f"report.sector.{s}", lang) for s in SECTORS), key=len, reverse=True)
    return re.compile(r"(?<=[a-zåäö,:] )(" + "|".join(re.escape(n) for n in names) + r")\b")


#: a change with its sign ("+75,9 %", "−5,8 %"), no change ("0,0 %", "0 %"), none ("–"), or
#: the range of a series whose changes swing ("varierar, 173–987 t": no mean change to sign)
SIGNED = re.compile(r"^([+\u2212]\d|0([.,]0+)?(\u00a0%|%)$|–$|(varierar|swings), \d)")


def _form_faults(doc: Document, r: object, lang: str) -> list[tuple[str, str, str]]:
    """What a careful editor marks in the report of ``r``: the local chapter's title for the
    level, a changes' missing sign (sector key figures, the sector table, the emissions table's
    change since the first year, appendix C), the tiles' unit and the spent 1,5 °C tile."""
    from koldioxidbudget.story.i18n import t

    code, level = r.code, r.level  # type: ignore[attr-defined]
    bad: list[tuple[str, str, str]] = []
    local = next(s for s in doc.sections if s.id == "local")
    if not local.title.startswith(PART_TITLE[lang][level]):
        bad.append((code, "part-title", local.title))
    tables = {b.id: b for b in doc.blocks() if isinstance(b, Table)}
    change = t("report.sectors.kf_change", lang)
    cells = [
        row[1]
        for k, tb in tables.items()
        if k.endswith("-figures")
        for row in tb.rows
        if row[0] == change
    ]
    if "sectors-table" in tables:
        cells += [row[3] for row in tables["sectors-table"].rows]
    if "emissions-selected" in tables:
        cells += [row[-1] for row in tables["emissions-selected"].rows]
    names = {t(f"report.figure_name.{k}", lang): k for k in ("recent_change", "trend_slope_t")}
    cells += [row[1] for row in tables["all-figures"].rows if row[0] in names]
    bad += [(code, "sign", x) for x in cells if not SIGNED.match(x)]
    tiles = {k.id: k for b in doc.blocks() if isinstance(b, KeyFigures) for k in b.figures}
    unit = t("report.kf.years_value", lang, years="")
    if "years_left" in tiles and not tiles["years_left"].value.endswith(unit):
        bad.append((code, "years-unit", tiles["years_left"].value))
    # a spent tile is not labelled as a cut per year ("Minskning per år …: förbrukad")
    for tid, key in (("rate_15", "kf.rate_15_spent"), ("delay_rate_1", "kf.delay_spent")):
        tile = tiles.get(tid)
        if tile is None or tile.value != t("report.exhausted_short", lang):
            continue
        year = re.search(r"\b\d{4}\b", tile.label)  # the delay's label names its year
        label = t(f"report.{key}", lang, year=year.group(0) if year else "")
        if tile.label != label:
            bad.append((code, f"{tid}-label", tile.label))
    return bad


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_every_real_area_reads_as_written_for_it(ctx: object, lang: str) -> None:
    """For all 312 areas: no level words of a municipality in a county's or Sweden's report (nor
    of a county in Sweden's), the local chapter named for the level, no sector name capitalised
    mid-sentence, changes with their sign, the tiles' units, no spent budget in a percentage
    slot, no snake_case, no 1/N fractions, the edition id only in the method and data appendices
    and the colophon, every subsector name from the catalogue."""
    run = ctx.run  # type: ignore[attr-defined]
    bad: list[tuple[str, str, str]] = []
    capital = _sector_mid_sentence(lang)
    for code in run.codes:
        doc = _doc(ctx, code, lang)
        r = run.area(code)
        body = _section_texts(doc, skip=("method", "data", "colophon"))
        text = "\n".join(body)
        if r.level != "kommun":
            bad += [(code, "level", m.group(0)) for m in LEVEL_WORDS[lang].finditer(text)]
        if r.level == "riket":
            bad += [(code, "national", m.group(0)) for m in NATIONAL_WORDS[lang].finditer(text)]
        bad += [(code, "capital", m.group(0)) for m in capital.finditer("\n".join(doc.texts()))]
        bad += _form_faults(doc, r, lang)
        bad += [(code, "spent", m.group(0)) for m in SPENT_IN_SLOT[lang].finditer(text)]
        bad += [(code, "fraction", m.group(0)) for m in FRACTION.finditer(text)]
        if r.edition in text:
            bad.append((code, "edition", r.edition))
        if lang == "en":  # a county by its English name ("Uppsala County"), never "Uppsala län"
            bad += [(code, "county", m.group(0)) for m in EN_COUNTY.finditer(text)]
        # the summary's "after N years of waiting the budget is spent" is the delay table's
        # first spent start, not the last row shown
        shown = r.cost_of_delay[1 : DELAYS_SHOWN + 1]
        spent = next((d for d in shown if d.exhausted), None)
        if lang == "sv" and spent is not None and not shown[0].exhausted and not r.exhausted:
            years = _SV_WORDS.get(spent.delay_years, str(spent.delay_years))
            said = f"väntar man {years} år, till {spent.start_year}, är budgeten förbrukad"
            if said not in text:
                bad.append((code, "delay", said))
        bad += [(code, "units", t) for t in _mixed_unit_columns(doc)]
        bad += [(code, "sentence-units", t) for t in _mixed_unit_sentences(doc)]
        appendix = "\n".join(_section_texts(doc)[len(body) :]) + text
        bad += [
            (code, "snake", m.group(0))
            for m in SNAKE.finditer(appendix.replace(r.edition, ""))
            if m.group(0) not in {"co2_", "ghg_"} and "/" not in m.group(0)
        ]
    # file names in the data appendix are paths, not words: exclude the sources table
    bad = [b for b in bad if not (b[1] == "snake" and b[2].endswith(("_csv", "_xlsx")))]
    assert bad == [], bad[:20]


EN_COUNTY = re.compile(r"\w+ län\b")

#: tables whose rows are different quantities (a key figure per row): each row has its own unit
MIXED_BY_ROW = ("-figures", "chain", "area-profile")
UNIT = re.compile(r"\u00a0(t|kt|Mt)$")


def _mixed_unit_sentences(doc: Document) -> list[str]:
    """Sentences that name tonnes in both t and kt ("34 kt år 1990 och 9 620 t år 2022"): the
    values one sentence compares are written in one unit."""
    out = []
    texts = ["".join(r.text for r in b.runs) for b in doc.blocks() if isinstance(b, Paragraph)]
    texts += [k.note for b in doc.blocks() if isinstance(b, KeyFigures) for k in b.figures]
    for text in texts:  # the tiles' notes too ("budget 30 kt …, exceeded by 8,8 kt")
        for sentence in re.split(r"(?<=[.:;])\s+", text):
            units = {m.group(1) for m in SENTENCE_UNIT.finditer(sentence)}
            if {"t", "kt"} <= units:
                out.append(sentence)
    return out


SENTENCE_UNIT = re.compile(r"\d\u00a0(t|kt|Mt)\b")


def _mixed_unit_columns(doc: Document) -> list[str]:
    """Tables with a column of tonnes in more than one unit ("135 kt" above "7 002 t")."""
    out = []
    for t in doc.blocks():
        if not isinstance(t, Table) or t.id.endswith(MIXED_BY_ROW):
            continue
        for j, head in enumerate(t.header):
            units = {m.group(1) for row in t.rows if (m := UNIT.search(row[j]))}
            if len(units) > 1:
                out.append(f"{t.id}/{head}")
    return out


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
    unit = fmt.column_unit(run.area("0380").budget_t for run in ctx.cells.values())  # type: ignore[attr-defined]
    assert row[col] == fmt.tonnes_in(engine.budget_t, unit)
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
    mt = fmt.column_unit([1e7])  # the reported total is above 1 Mt: all three parts in Mt
    assert (
        f"Enligt SMHI:s statistik släpptes {fmt.tonnes_in(counted + deducted, mt)} ut i Region "
        f"Gotland år {r.last_data_year}. Av dem är {fmt.tonnes_in(deducted, mt)} processutsläpp "
        "från cementtillverkning"
    ) in text
    assert f"de återstående {fmt.tonnes_in(counted, mt)}." in text
    assert f"efter att {fmt.tonnes(deducted)} processutsläpp från cementtillverkning" in text
    assert "Enligt SMHI:s statistik släpptes" not in " ".join(_doc(ctx, "0380").texts())


def test_report_sector_chapter_describes_what_it_promises(ctx: object) -> None:
    for code in ("0380", "2403", "0980"):
        doc = _doc(ctx, code)
        sectors = next(s for s in doc.sections if s.id == "sectors")
        intro = sectors.blocks[0].text  # type: ignore[union-attr]
        for sub in sectors.subsections:
            # the heading "Transporter" is "transporter" inside the sentence
            assert sub.title[:1].lower() + sub.title[1:] in intro, (code, sub.title)


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
        # its emissions, borders and targets are the region's (general words such as
        # "värdkommunens" and "kommunerna" describe the method and stay)
        assert not re.search(r"\bkommunens (utsläpp|hela|gränser|egna)", gotland)
        assert "regionens hela utsläpp" in gotland
    else:
        assert "regional council" in gotland and "regional executive committee" in gotland
        assert "regional council" not in uppsala
        assert not re.search(r"\bthe municipality's (emissions|total|borders|own)", gotland)
        assert "the region's total emissions" in gotland


def test_report_says_a_swinging_sector_swings(ctx: object) -> None:
    """Vännäs, el och fjärrvärme 2017–2022: 242, 676, 987, 173, 660, 364 t. The mean of the
    yearly changes is +76 %, which describes nothing; the report says the emissions swung
    between the lowest and highest of those years instead (Uppsala's transport, falling every
    year, keeps its average)."""
    from koldioxidbudget.method.figures import recent_variation

    r = ctx.run.area("2460")  # type: ignore[attr-defined]
    hist = r.history_by_sector["el-och-fjarrvarme"]
    swing = recent_variation(hist)
    assert swing is not None and swing.erratic
    assert round(swing.low_t) == 173 and round(swing.high_t) == 987
    text = "\n".join(_doc(ctx, "2460").texts())
    assert "ökade sektorns utsläpp med i genomsnitt 75,9" not in text
    assert (
        f"har sektorns utsläpp varierat kraftigt från år till år, mellan "
        f"{fmt.tonnes(swing.low_t)} och {fmt.tonnes(swing.high_t)}"
    ) in text
    uppsala = "\n".join(_doc(ctx, "0380").texts())
    assert "minskade sektorns utsläpp med i genomsnitt" in uppsala


def test_report_explains_the_largest_estimated_change(ctx: object) -> None:
    """Uppsala 2024: SMHI's newer statistics put emissions 16 % above 2023, mostly transport;
    the report says so with the sector's tonnes, and the table gives each year's change."""
    r = ctx.run.area("0380")  # type: ignore[attr-defined]
    level = {y: v for y, v, _ in r.history}
    change = level[2024] / level[2023] - 1
    assert 0.10 < change < 0.25
    transport = (
        dict(r.estimated_by_sector["transporter"])[2024]
        - dict(r.estimated_by_sector["transporter"])[2023]
    )
    doc = _doc(ctx, "0380")
    text = "\n".join(doc.texts())
    assert (
        f"uppskattas utsläppen ha ökat med {fmt.percent(change)} från 2023, främst inom "
        f"transporter ({fmt.signed_tonnes(transport)})"
    ) in text
    # the national context is said with the national estimate it rests on
    sweden = ctx.run.area("00")  # type: ignore[attr-defined]
    both = [
        dict(sweden.history_by_sector[s]) | dict(sweden.estimated_by_sector[s])
        for s in ("transporter", "arbetsmaskiner")
    ]
    national = sum(b[2024] for b in both) / sum(b[2023] for b in both) - 1
    assert (
        "I hela landet uppskattas utsläppen från transporter och arbetsmaskiner ha ökat med "
        f"{fmt.percent(national)} år 2024, då reduktionsplikten"
    ) in text
    table = next(b for b in doc.blocks() if isinstance(b, Table) and b.id == "nowcast")
    assert table.rows[1][0] == "2024" and table.rows[1][2] == fmt.signed_percent(change)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_method_and_data_appendices_speak_to_readers(ctx: object, lang: str) -> None:
    """The parameter table gives choices in words and fractions as percentages (no
    "AR6_WG1_SPM2", "last-3", "pro-rata", "0,1172"); the data appendix names publishers, not
    file paths, and no command line."""
    doc = _doc(ctx, "0980", lang)
    params = next(b for b in doc.blocks() if isinstance(b, Table) and b.id == "parameters")
    values = [row[1] for row in params.rows]
    raw = {"AR6_WG1_SPM2", "preset", "grandfathering", "last-3", "industri-only", "overhead"}
    assert not raw & set(values), raw & set(values)
    assert ("11,72\u00a0%" if lang == "sv" else "11.72%") in values
    assert ("63\u00a0%" if lang == "sv" else "63%") in values
    sources = next(b for b in doc.blocks() if isinstance(b, Table) and b.id == "sources")
    cells = " ".join(" ".join(row) for row in sources.rows)
    assert ".csv" not in cells and ".xlsx" not in cells and "/" not in cells
    assert "SCB" in cells and "SMHI" in cells
    text = "\n".join(doc.texts())
    assert "koldioxidbudget report" not in text
    # the Carbon Law halves emissions per decade (about 6,7 % a year); the report's 11,72 %
    # fixed-rate path is not called by its name
    if lang == "sv":
        assert "Koldioxidlagen: fast" not in text
        assert (
            "halveras varje decennium (Rockström m.fl. 2017), vilket motsvarar omkring 6,7" in text
        )


def test_signed_percent_reads_as_a_change() -> None:
    """An increase "+75,9 %", a decrease "−5,8 %" (U+2212), no change "0,0 %" (never "+0,0 %"
    or "−0,0 %"), in both languages."""
    assert fmt.signed_percent(0.759) == "+75,9\u00a0%"
    assert fmt.signed_percent(-0.058) == "\u22125,8\u00a0%"
    assert fmt.signed_percent(0.0) == fmt.signed_percent(-0.00001) == "0,0\u00a0%"
    assert fmt.signed_percent(0.00001) == "0,0\u00a0%"
    assert fmt.signed_percent(0.759, "en") == "+75.9%"
    assert fmt.signed_percent(-0.058, "en") == "\u22125.8%"
    assert (
        fmt.signed_tonnes(1.1e6) == "+1,10\u00a0Mt"
        and fmt.signed_tonnes(-1.1e6) == "\u22121,10\u00a0Mt"
    )


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_report_faq_asks_the_levels_own_question(ctx: object, lang: str) -> None:
    """Appendix D asks a county whether a county's emissions matter and Sweden whether Sweden's
    do, with Sweden's share of the world's fossil CO₂ from the edition's global table; a
    municipality keeps its own question."""
    from koldioxidbudget.story.i18n import t

    def small(code: str) -> Section:
        doc = _doc(ctx, code, lang)
        return next(s for s in doc.walk() if s.id == "faq-small")

    assert small("0380").title == t("report.appendix.faq.small_q", lang)
    assert small("01").title == t("report.appendix.faq.small_q__lan", lang)
    sweden = small("00")
    assert sweden.title == t("report.appendix.faq.small_q__riket", lang)
    ge = ctx.tables.global_emissions.sort_values("year").iloc[-1]  # type: ignore[attr-defined]
    share = fmt.percent(
        float(ge["sweden_fossil_mt"]) / float(ge["world_fossil_mt"]), lang, decimals=2
    )
    said = t("report.appendix.faq.small_share", lang, share=share, year=int(ge["year"]))
    assert said in sweden.blocks[0].text  # type: ignore[union-attr]


def test_report_follow_up_and_sectors_speak_to_the_level(ctx: object) -> None:
    """A county tests regional plans, Sweden the state's decisions, a municipality its detailed
    plans; Sweden's sector callouts say what the state can influence."""

    def governance(code: str) -> str:
        doc = _doc(ctx, code)
        sec = next(s for s in doc.walk() if s.id == "governance")
        return "\n".join(_texts_of(doc, sec))

    assert "detaljplaner" in governance("0380")
    assert "länsplanen för transportinfrastruktur" in governance("01")
    assert "nationella planen för transportinfrastruktur" in governance("00")
    doc = _doc(ctx, "00")
    sectors = next(s for s in doc.sections if s.id == "sectors")
    callouts = "\n".join(x for sub in sectors.subsections for x in _texts_of(doc, sub))
    assert "Vad staten kan påverka" in callouts and "Vad kommuner" not in callouts


LOCAL_PROFILE = """
[customer]
name = "Uppsala kommun"

[targets]
local = [ { year = 2030, reduction = 0.70, base_year = 1990 }, { year = 2045, reduction = 1.0 } ]

[context]
notes = "Uppsala växer med omkring 3 000 invånare per år."
energy_company = "Vattenfall AB"
energy_company_owner = "other"
large_emitters = [
  { name = "Fortum Waste Solutions", sector = "avfall", tonnes = 9800, year = 2023 },
  { name = "Uppsalaverket", sector = "el-och-fjarrvarme", tonnes = 152000, year = 2023, source = "Naturvårdsverket" },
]
"""


def test_report_local_part_has_the_customers_context_and_tests_its_targets(
    ctx: object, tmp_path: Path
) -> None:
    """A profile's adopted targets, energy company and large emitters: the local part states
    them (largest emitter first, one unit in the column), the district-heating callout speaks of
    the named company instead of "if the municipality owns it", and the targets are tested
    against the budget with the engine's numbers (its cumulative emissions, share and overshoot);
    without a profile none of it appears."""
    from koldioxidbudget.render import ReportJob, report_document
    from koldioxidbudget.service.scenario import scenario

    path = tmp_path / "profil.toml"
    path.write_text(LOCAL_PROFILE, "utf-8")
    job = ReportJob(editions_dir=ctx.editions_dir, profile=str(path))  # type: ignore[attr-defined]
    r = scenario(job.spec).run.area("0380")
    tc = r.target_check
    assert tc is not None and tc.cumulative_t > r.remaining_t  # Uppsala's targets overshoot
    doc = report_document("0380", job)
    local = next(s for s in doc.sections if s.id == "local")
    assert local.subsections[0].id == "context"
    context = "\n".join(_texts_of(doc, local.subsections[0]))
    assert "Uppsala växer med omkring 3 000 invånare per år." in context
    assert "levereras av Vattenfall AB, som inte ägs av kommunen" in context
    assert (
        "−70\u00a0% till 2030 jämfört med 1990 och −100\u00a0% till 2045 jämfört med 1990"
        in context
    )
    emitters = next(b for b in local.subsections[0].blocks if isinstance(b, Table))
    assert [row[0] for row in emitters.rows] == ["Uppsalaverket", "Fortum Waste Solutions"]
    assert [row[2] for row in emitters.rows] == ["152\u00a0kt", "10\u00a0kt"]
    assert "Naturvårdsverket" in emitters.notes[0]
    text = "\n".join(doc.texts())
    assert (
        f"ger samlade utsläpp på {fmt.tonnes(tc.cumulative_t)} fram till {c_horizon(r)}, "
        f"{fmt.percent(tc.cumulative_t / tc.budget_t, decimals=0)} av den återstående budgeten "
        f"på {fmt.tonnes(tc.budget_t)}. Målbanan överskrider budgeten med "
        f"{fmt.tonnes(tc.overshoot_t)}"
    ) in text
    # the parameters the profile changed are named in words, not as fields
    assert "local_targets" not in text
    assert "Egna antagna mål som prövas mot budgeten: −70\u00a0% till 2030" in text
    heating = next(s for s in doc.walk() if s.id == "sector-el-och-fjarrvarme")
    callout = "\n".join(_texts_of(doc, heating))
    # who supplies the heat is said once (3.1); the callout says what follows from it
    assert "Vattenfall AB ägs inte av kommunen, som i stället påverkar genom dialog" in callout
    assert "rådighet: delvis" in callout
    assert "Om kommunen äger energibolaget" not in callout
    assert text.count("levereras av Vattenfall AB") == 1
    plain = _doc(ctx, "0380")
    assert all(s.id != "context" for s in plain.walk())
    assert "Om kommunen äger energibolaget" in "\n".join(plain.texts())


def c_horizon(r: object) -> int:
    return r.parameters.horizon_year  # type: ignore[attr-defined,no-any-return]


def test_report_sweden_compares_its_counties_per_inhabitant(ctx: object) -> None:
    """Sweden's per-capita figure is not one bar of Sweden beside nothing: it shows Sweden and
    its 21 counties, highest first, and names the highest and lowest with the engine's values."""
    run = ctx.run  # type: ignore[attr-defined]
    doc = _doc(ctx, "00")
    fig = next(b for s in doc.walk() for b in s.blocks if getattr(b, "id", "") == "per-capita")
    rows = fig.table.rows  # type: ignore[attr-defined]
    assert len(rows) == 22 and rows[0][0] == "Sverige"
    counties = [run.area(c) for c, lv in zip(run.codes, run.levels, strict=True) if lv == "lan"]
    top = max(counties, key=lambda a: a.emissions_per_capita_t)
    assert rows[1][1] == fmt.number(top.emissions_per_capita_t, decimals=2)
    text = "\n".join(doc.texts())
    assert f"högst är utsläppen per invånare i {top.name}" in text
