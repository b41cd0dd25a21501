"""Chapter 6, proposals per sector, and the indicators of the follow-up: built from the real
edition's figures for the areas the issue names (Uppsala, Bjurholm, Gotland, a county, Sweden)."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path
from typing import Any

import pytest

from koldioxidbudget.areas import slug
from koldioxidbudget.method.budget import compute_budgets
from koldioxidbudget.service.inputs import parameters_from
from koldioxidbudget.story.document import BulletList, Document, Paragraph, Section, Table
from koldioxidbudget.story.i18n import t
from koldioxidbudget.story.insights import insights_for
from koldioxidbudget.story.report import build_report
from koldioxidbudget.story.report.proposals import PROPOSALS, TOWN_POPULATION

_UNITS = {"t": 1.0, "kt": 1e3, "Mt": 1e6}
_TONNES = re.compile(r"(\d[\d\u00a0 ]*(?:,\d+)?)\u00a0(t|kt|Mt)\b")


def tonnes_in(text: str) -> list[float]:
    """Every "1 234 t", "78 kt", "2,98 Mt" in ``text``, in tonnes."""
    return [
        float(n.replace("\u00a0", "").replace(" ", "").replace(",", ".")) * _UNITS[u]
        for n, u in _TONNES.findall(text)
    ]


@pytest.fixture(scope="module")
def real_context(editions_root: Path) -> Any:
    from koldioxidbudget.render import ReportJob
    from koldioxidbudget.service.scenario import scenario

    return scenario(ReportJob(editions_dir=str(editions_root)).spec)


def report(ctx: Any, code: str, lang: str = "sv", run: Any = None) -> Document:
    return build_report(
        run or ctx.run,
        code,
        lang=lang,
        variant_run=ctx.variant,
        tables=ctx.tables,
        manifest=ctx.edition.manifest,
    )


def section(doc: Document, id: str) -> Section:
    return next(s for s in doc.walk() if s.id == id)


def bullets(s: Section) -> list[str]:
    return [
        p.text for x in s.walk() for b in x.blocks if isinstance(b, BulletList) for p in b.items
    ]


def paragraphs(s: Section) -> list[str]:
    return [b.text for b in s.blocks if isinstance(b, Paragraph)]


def test_proposals_follow_the_insights_and_cover_every_sector_section(real_context: Any) -> None:
    for code in ("0380", "2403", "0980", "01", "00"):
        doc = report(real_context, code)
        ids = [s.id for s in doc.sections]
        assert ids.index("sectors") < ids.index("insights") < ids.index("proposals")
        assert ids.index("proposals") + 1 == ids.index("follow-up")
        in_sectors = [s.id.removeprefix("sector-") for s in section(doc, "sectors").subsections]
        chapter = section(doc, "proposals")
        in_proposals = [s.id.removeprefix("proposals-") for s in chapter.subsections]
        # every sector with a section of its own gets proposals, in the same order, and the
        # ways of working close the chapter
        assert in_proposals == [*(s for s in in_sectors if s in PROPOSALS), "measures"]
        for sub in chapter.subsections[:-1]:
            groups = [g.id.rsplit("-", 1)[1] for g in sub.subsections]
            assert groups and groups == sorted(groups, key=("now", "milestone", "later").index)
            assert all(g.level == 3 and bullets(g) for g in sub.subsections)


def test_a_sectors_levels_are_its_part_of_the_budgets_pathway(real_context: Any) -> None:
    """Uppsala, transport: "from 230 kt in 2025 to 78 kt in 2030 and 26 kt in 2035; a cut of
    152 kt" is the sector's base-year share of the pathway, as in the 2030 table."""
    ctx = real_context
    r = ctx.run.area("0380")
    ins = insights_for(r)
    s = next(x for x in ins.sectors if x.sector == "transporter")
    path = dict(r.pathway)
    doc = report(ctx, "0380")
    opening = paragraphs(section(doc, "proposals-transporter"))[0]
    now, then, later, cut, *_ = tonnes_in(opening)
    expected = (
        s.share * r.e0_t,
        s.share * path[2030],
        s.share * path[2035],
        s.share * (r.e0_t - path[2030]),
    )
    for got, want in zip((now, then, later, cut), expected, strict=True):
        assert got == pytest.approx(want, rel=0.01, abs=600)
    # the same figures as the table of the cut to 2030 (chapter 5)
    table = next(b for b in section(doc, "insights-next").blocks if isinstance(b, Table))
    row = next(x for x in table.rows if x[0] == "Transporter")
    assert tonnes_in(" ".join(row[1:])) == pytest.approx([now, then, cut], rel=0.02)
    # what five years of waiting cost the sector: its share of the area's cost of delay
    d = r.cost_of_delay[5]
    assert "dröjer fem år" in opening
    assert tonnes_in(opening)[4] == pytest.approx(s.share * d.extra_t, rel=0.01)


def test_a_proposal_names_its_subsectors_with_the_shares_of_the_subsector_table(
    real_context: Any,
) -> None:
    doc = report(real_context, "0380")
    flights = next(b for b in bullets(section(doc, "proposals-transporter")) if "tåget" in b)
    table = next(
        b for b in doc.blocks() if isinstance(b, Table) and b.id == "subsectors-transporter"
    )
    row = next(x for x in table.rows if x[0] == "Inrikes flyg")
    assert f"Det gäller inrikes flyg, som stod för {row[2]} av sektorns utsläpp år 2022" in flights


def test_proposals_leave_out_what_the_area_does_not_emit(real_context: Any) -> None:
    """A municipality whose domestic flights are below 1 % of its transport gets no advice on
    flights; Bjurholm, where they are 9,5 %, does."""
    ctx = real_context
    flights = t("report.proposals.transporter.flights", "sv")
    subs = ctx.tables.subsectors
    last = ctx.run.area("0380").last_data_year
    sel = subs[(subs["year"] == last) & (subs["sector"] == "transporter")]
    share = (
        sel.assign(f=sel["subsector"].map(slug) == "inrikes-flygtrafik")
        .groupby("code")
        .apply(lambda g: g.loc[g["f"], "emissions_t"].sum() / g["emissions_t"].sum())
    )
    without = next(c for c in share.index if share[c] < 0.005 and len(c) == 4)
    assert flights not in bullets(section(report(ctx, without), "proposals"))
    assert share["2403"] > 0.05
    assert any(b.startswith(flights) for b in bullets(section(report(ctx, "2403"), "proposals")))


def test_proposals_fit_the_size_of_the_municipality(real_context: Any) -> None:
    ctx = real_context
    parking = t("report.proposals.transporter.parking", "sv")
    rural = t("report.proposals.transporter.rural_transit", "sv")
    assert ctx.run.area("2403").population < TOWN_POPULATION <= ctx.run.area("0380").population
    small = bullets(section(report(ctx, "2403"), "proposals"))
    town = bullets(section(report(ctx, "0380"), "proposals"))
    county = bullets(section(report(ctx, "01"), "proposals"))
    assert any(b.startswith(rural) for b in small) and not any(b.startswith(parking) for b in small)
    assert any(b.startswith(parking) for b in town) and not any(b.startswith(rural) for b in town)
    # a county has both towns and countryside, and its own wording (no "regionen" as partner)
    rural_lan = t("report.proposals.transporter.rural_transit__lan", "sv")
    assert any(b.startswith(rural_lan) for b in county)
    assert any(b.startswith(parking) for b in county)


def test_a_cement_hosts_industry_proposals_say_what_was_deducted(real_context: Any) -> None:
    doc = report(real_context, "0980")
    opening = paragraphs(section(doc, "proposals-industri"))[0]
    assert "processutsläpp från cementtillverkning" in opening


def test_a_spent_budget_gets_proposals_that_limit_the_overshoot(real_context: Any) -> None:
    ctx = real_context
    p = dataclasses.replace(parameters_from("uppsala-2024-1.5"), as_of=ctx.run.params.as_of)
    run = compute_budgets(tables=ctx.tables, params=p)
    assert run.area("2403").exhausted
    doc = report(ctx, "2403", run=run)
    chapter = section(doc, "proposals")
    assert paragraphs(chapter)[0].startswith("Budgeten för Bjurholms kommun är förbrukad.")
    for sub in chapter.subsections[:-1]:
        opening = paragraphs(sub)[0]
        assert opening.startswith("Budgeten är förbrukad")
        assert "%" not in opening and "dröjer" not in opening


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_indicators_follow_the_sectors_with_a_section(real_context: Any, lang: str) -> None:
    for code in ("0380", "00"):
        doc = report(real_context, code, lang)
        table = next(b for b in doc.blocks() if isinstance(b, Table) and b.id == "indicators-table")
        names = [s.title for s in section(doc, "sectors").subsections]
        shown = list(dict.fromkeys(row[0] for row in table.rows))
        assert shown == [n for n in names if n in shown] + [t("report.indicators.all", lang)]
        assert all(all(cell.strip() for cell in row) for row in table.rows)


def test_the_sector_ceilings_share_the_years_ceilings(real_context: Any) -> None:
    """Chapter 7's ceilings per sector: each sector's base-year share of the year's ceiling, and
    the total row the ceilings of the table above it."""
    ctx = real_context
    r = ctx.run.area("0380")
    path = dict(r.pathway)
    doc = report(ctx, "0380")
    tables = {b.id: b for b in doc.blocks() if isinstance(b, Table)}
    sectors, ceilings = tables["sector-ceilings"], tables["ceilings"]
    years = [int(y) for y in sectors.header[1:]]
    assert years[:5] == list(range(r.remaining_as_of, r.remaining_as_of + 5))
    by_year = {int(row[0]): tonnes_in(row[1])[0] for row in ceilings.rows}
    total = dict(zip(years, tonnes_in(" ".join(sectors.rows[-1][1:])), strict=True))
    for y in years:
        assert total[y] == pytest.approx(path[y], rel=0.01, abs=600)
        if y in by_year:
            assert total[y] == pytest.approx(by_year[y], rel=0.01, abs=600)
    shares = {x.sector: x.share for x in insights_for(r).sectors}
    transport = next(row for row in sectors.rows if row[0] == "Transporter")
    for y, v in zip(years, tonnes_in(" ".join(transport[1:])), strict=True):
        assert v == pytest.approx(shares["transporter"] * path[y], rel=0.01, abs=600)
