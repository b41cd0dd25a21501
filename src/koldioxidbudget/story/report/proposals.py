"""Chapter 6: proposals, sector by sector.

For each sector that has a section in chapter 4, what the budget asks of it (its part of the
pathway now, at the milestone year and five years later, and what waiting costs), where its
emissions come from (its largest subsectors), and proposals grouped by when they need to start:
the next two years, until the milestone year, after it. Then the ways of working that make a
budget steer decisions.

A proposal is written once in the catalogue (``proposals.<sector>.<id>``) and declared here with
its horizon and the SMHI subsectors it addresses. Where the area's statistics break the sector
down, a proposal whose subsectors emit nothing in the area is left out (no airport advice for a
municipality without flights), the rest are ordered by the emissions they address, and each says
how large a part of the sector's emissions that is. The figures are the engine's: the sector's
base-year share of the pathway (``Insights.sector_level``) and the subsector breakdown.
"""

from __future__ import annotations

from dataclasses import dataclass

from ...areas import slug
from ...method.figures import deduction_in
from ..document import Block, BulletList, Section
from ..insights import Insights, SectorInsight
from .context import _Ctx, _p, lower_first
from .sectors import chosen_sectors

#: Years after the milestone the opening paragraph names (2030 → 2035).
LATER_YEARS = 5
#: The subsectors the "where the emissions come from" sentence names: at most this many ...
SUBSECTORS_NAMED = 3
#: ... each with at least this share of the sector.
SUBSECTOR_NAMED_SHARE = 0.05
#: A proposal whose subsectors are below this share of the sector is left out (ferries where
#: boats emit 2 t).
MIN_ADDRESSED_SHARE = 0.01
#: A municipality with at least this many inhabitants gets the proposals for towns (parking
#: policy, frequent trunk lines), a smaller one those for the countryside (demand-responsive
#: transport); a county and Sweden get both. Sweden's median municipality has about 16 000.
TOWN_POPULATION = 15_000


@dataclass(frozen=True)
class Proposal:
    """One proposal: its catalogue id, when it needs to start (``now``: the next two years;
    ``milestone``: before the milestone year; ``later``: after it), the subsectors (slugs of
    SMHI's labels) it addresses (none: the whole sector) and where it fits (``any``, ``town``,
    ``rural``; see ``TOWN_POPULATION``)."""

    id: str
    horizon: str
    subsectors: tuple[str, ...] = ()
    places: str = "any"


_CARS = "personbilar"
_VANS = "latta-lastbilar"
_LORRIES = "tunga-lastbilar"
_BUSES = "bussar"
_BUILD_MACHINES = "industri-och-byggsektorns-arbetsmaskiner-inkl-vagarbeten"
_PUBLIC_MACHINES = "kommersiella-och-offentliga-verksamheter"
_FARM_MACHINES = "jordbruk-och-skogsbruk"
_HOMES = "bostader"
_PREMISES = "kommersiella-och-offentliga-lokaler"
_FARM_PREMISES = "jordbruks-och-skogsbrukslokaler"
_MANURE = (
    "kogodsel-lagring-anvandning-och-bete",
    "svingodsel-lagring-anvandning-och-bete",
    "honsgodsel-lagring-anvandning-och-bete",
    "hastgodsel-lagring-anvandning-och-bete",
    "fargodsel-m-m-lagring-anvandning-och-bete",
)
_SOLVENTS = (
    "farg-hushall",
    "farg-verksamheter",
    "losningsmedelsanvandning-hushall",
    "losningsmedelsanvandning-verksamheter",
)

#: The proposals per sector, in the order they are listed when the data cannot rank them.
PROPOSALS: dict[str, tuple[Proposal, ...]] = {
    "transporter": (
        Proposal("fleet", "now", (_CARS, _VANS, _BUSES)),
        Proposal("charging", "now", (_CARS, _VANS)),
        Proposal("cycling", "now", (_CARS,)),
        Proposal("planning", "now", (_CARS,)),
        Proposal("flights", "now", ("inrikes-flygtrafik",)),
        Proposal("transit", "milestone", (_CARS, _BUSES), "town"),
        Proposal("rural_transit", "milestone", (_CARS, _BUSES), "rural"),
        Proposal("parking", "milestone", (_CARS,), "town"),
        Proposal("freight", "milestone", (_VANS, _LORRIES)),
        Proposal("boats", "milestone", ("inrikes-civil-sjofart-inkl-privata-fritidsbatar",)),
        Proposal("heavy", "later", (_LORRIES,)),
    ),
    "el-och-fjarrvarme": (
        Proposal("plan", "now"),
        Proposal("plastic", "now"),
        Proposal("peak", "now"),
        Proposal("demand", "milestone"),
        Proposal("renewables", "milestone"),
        Proposal("capture", "later"),
    ),
    "arbetsmaskiner": (
        Proposal("procurement", "now", (_BUILD_MACHINES, _PUBLIC_MACHINES)),
        Proposal("own", "now", (_PUBLIC_MACHINES,)),
        Proposal("fuel", "now", (_BUILD_MACHINES, _FARM_MACHINES)),
        Proposal("sites", "milestone", (_BUILD_MACHINES,)),
        Proposal("farms", "milestone", (_FARM_MACHINES,)),
        Proposal("ports", "milestone", ("ovrigt-flygplatser-hamnar-m-m",)),
        Proposal("households", "later", ("hushallens-arbetsmaskiner", "skotrar-och-fyrhjulingar")),
    ),
    "egen-uppvarmning": (
        Proposal("oil", "now", (_PREMISES, _HOMES)),
        Proposal("advice", "now", (_HOMES, _FARM_PREMISES)),
        Proposal("heat", "milestone", (_HOMES, _PREMISES)),
        Proposal("farms", "milestone", (_FARM_PREMISES,)),
    ),
    "industri": (
        Proposal("dialog", "now"),
        Proposal("grid", "milestone"),
        Proposal("materials", "milestone"),
        Proposal("capture", "later"),
    ),
    "jordbruk": (
        Proposal(
            "advice",
            "now",
            ("anvandning-av-konstgodsel", "kalkning-av-akermark", "ovrigt-godselmedel-m-m"),
        ),
        Proposal("meals", "now", ("djurs-matsmaltning",)),
        Proposal("biogas", "milestone", _MANURE),
        Proposal("peat", "milestone", ("odling-av-organogena-jordar",)),
    ),
    "avfall": (
        Proposal("sorting", "now"),
        Proposal("less", "now"),
        Proposal("landfill", "milestone", ("avfallsdeponier",)),
        Proposal("sewage", "milestone", ("behandling-av-avloppsvatten",)),
    ),
    "produktanvandning": (
        Proposal("solvents", "milestone", _SOLVENTS),
        Proposal("fgas", "milestone", ("anvandning-av-fluorerade-gaser",)),
        Proposal("inform", "later"),
    ),
}

_HORIZONS = ("now", "milestone", "later")


def _proposals(c: _Ctx, ins: Insights, measures: Section) -> Section:
    """The proposals chapter, closed by ``measures`` (the ways of working); a sector none of
    whose proposals fits the area has no section."""
    subs = [s for s in (_sector(c, ins, x) for x in chosen_sectors(ins)) if s is not None]
    y0 = c.r.remaining_as_of
    intro = c.t(
        "proposals.intro_spent" if c.r.exhausted else "proposals.intro",
        area=c.area,
        year=c.r.last_data_year,
    )
    return Section(
        "proposals",
        c.t("proposals.title"),
        1,
        (_p(intro), _p(c.t("proposals.horizons", y0=y0, y1=y0 + 1, milestone=ins.milestone_year))),
        (*subs, measures),
    )


def _sector(c: _Ctx, ins: Insights, s: SectorInsight) -> Section | None:
    listed = _ranked(c, s)
    if not listed:
        return None
    blocks: list[Block] = [_p(_opening(c, ins, s))]
    where = _where(c, s.sector)
    if where:
        blocks.append(_p(where))
    y0 = c.r.remaining_as_of
    groups: list[Section] = []
    for horizon in _HORIZONS:
        items = [(p, addressed) for p, addressed in listed if _horizon(p, y0, ins) == horizon]
        if not items:
            continue
        bullets = tuple(_p(_item(c, ins, s, p, addressed)) for p, addressed in items)
        groups.append(
            Section(
                f"proposals-{s.sector}-{horizon}",
                c.t(f"proposals.{horizon}_title", y0=y0, y1=y0 + 1, milestone=ins.milestone_year),
                3,
                (BulletList(bullets),),
                numbered=False,
            )
        )
    return Section(f"proposals-{s.sector}", c.sector(s.sector), 2, tuple(blocks), tuple(groups))


def _horizon(p: Proposal, y0: int, ins: Insights) -> str:
    """A proposal's group: "before the milestone" joins "now" when the next two years reach it."""
    if p.horizon == "milestone" and y0 + 1 >= ins.milestone_year:
        return "now"
    return p.horizon


def _ranked(c: _Ctx, s: SectorInsight) -> list[tuple[Proposal, float | None]]:
    """The sector's proposals with the emissions (t, last data year) each addresses, largest
    first; None where the statistics do not break the sector down (then in declared order).
    A proposal that does not fit the area's size, or whose subsectors emit less than
    ``MIN_ADDRESSED_SHARE`` of the sector, is left out."""
    subs = {slug(x.subsector): x.emissions_t for x in c.subsectors().get(s.sector, ())}
    total = sum(subs.values())
    out: list[tuple[Proposal, float | None]] = []
    for p in PROPOSALS.get(s.sector, ()):
        if p.places not in _places(c):
            continue
        if not subs:
            out.append((p, None))
            continue
        addressed = total if not p.subsectors else sum(subs.get(x, 0.0) for x in p.subsectors)
        if addressed > 0 and addressed >= MIN_ADDRESSED_SHARE * total:
            out.append((p, addressed))
    if subs:
        out.sort(key=lambda x: -(x[1] or 0.0))  # stable: equal tonnes keep the declared order
    return out


def _places(c: _Ctx) -> tuple[str, ...]:
    """Which proposals fit the area: a county and Sweden have towns and countryside."""
    if c.r.level != "kommun":
        return ("any", "town", "rural")
    return ("any", "town") if c.r.population >= TOWN_POPULATION else ("any", "rural")


def _item(c: _Ctx, ins: Insights, s: SectorInsight, p: Proposal, addressed: float | None) -> str:
    """The proposal, and where the statistics break the sector down, the subsectors it is about
    with their share of the sector ("Gäller personbilar och bussar, som stod för 68 % …")."""
    text = c.t(f"proposals.{s.sector}.{p.id}", milestone=ins.milestone_year)
    subs = c.subsectors().get(s.sector, ())
    total = sum(x.emissions_t for x in subs)
    if addressed is None or not p.subsectors or total <= 0:
        return text
    named = [x for x in subs if slug(x.subsector) in p.subsectors]  # largest first
    return (
        text
        + " "
        + c.t(
            "proposals.addresses",
            subsectors=c.join([lower_first(c.subsector(x.subsector)) for x in named]),
            share=c.share(addressed / total),
            tonnes=c.tonnes(addressed),
            year=c.r.last_data_year,
        )
    )


def _opening(c: _Ctx, ins: Insights, s: SectorInsight) -> str:
    """What the budget asks of the sector, and what waiting costs it."""
    r = c.r
    name = c.sector_in_text(s.sector)
    m = ins.milestone_year
    then, later = ins.sector_level(s, m), ins.sector_level(s, m + LATER_YEARS)
    if r.exhausted:
        text = c.t(
            "proposals.open_spent", sector=name, year=s.year, emissions=c.tonnes(s.emissions_t)
        )
    elif then is None or later is None or s.share <= 0:
        text = c.t("proposals.open_share", sector=name, share=c.share(s.share))
    else:
        now = ins.sector_now(s)
        now_t, then_t, later_t, cut_t = c.tonnes_alike(now, then, later, now - then)
        text = c.t(
            "proposals.open_est" if r.e0_estimated else "proposals.open",
            sector=name,
            rate=c.pct(r.rate),
            now=now_t,
            e0_year=r.e0_year,
            then=then_t,
            milestone=m,
            later=later_t,
            later_year=m + LATER_YEARS,
            cut=cut_t,
        )
    cement = deduction_in(r.excluded_t, r.history, s.year) if s.sector == "industri" else None
    if cement is not None:
        text += " " + c.t(
            "proposals.industri_deducted", deducted=c.tonnes(cement.deducted_t), year=cement.year
        )
    if (
        not r.exhausted
        and ins.delay_extra_t is not None
        and ins.delay_extra_t > 0
        and r.remaining_t > 0
    ):
        extra = s.share * ins.delay_extra_t
        text += " " + c.t(
            "proposals.delay",
            years=c.words(ins.delay_years),
            extra=c.tonnes(extra),
            share=c.share(extra / r.remaining_t),
        )
    return text


def _where(c: _Ctx, sector: str) -> str | None:
    """ "Av sektorns utsläpp år 2022 kom 66 % från personbilar, …": its largest subsectors."""
    subs = [x for x in c.subsectors().get(sector, ()) if x.share >= SUBSECTOR_NAMED_SHARE]
    subs = subs[:SUBSECTORS_NAMED]
    if not subs:
        return None
    parts = [
        c.t(
            "proposals.where_part",
            share=c.share(x.share),
            subsector=lower_first(c.subsector(x.subsector)),
        )
        for x in subs
    ]
    return c.t("proposals.where", year=c.r.last_data_year, parts=c.join(parts))
