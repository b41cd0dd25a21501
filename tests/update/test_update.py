"""``koldioxidbudget update`` as a user runs it: a first run builds everything, a second says
nothing is new and touches no file, a dry run writes nothing, a new release gives a new current
edition, a release note that names the areas that moved, refreshed site pages and customer
packages, and a broken release changes nothing and exits non-zero."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from typer.testing import CliRunner

from koldioxidbudget.cli import app
from koldioxidbudget.edition import current_editions
from koldioxidbudget.errors import EditionError
from koldioxidbudget.updating import _lock, update

from .conftest import need_sources, revise, source_folder
from .mirror import SMHI_RAW
from .xlsx import smhi_variant

CODES = ["0180", "0380", "01", "03", "00"]  # Stockholm (revised), Uppsala, their counties, Sweden
NEWER = "2025-04-18"
BROKEN = "2026-04-18"


def _files(*roots: Path) -> dict[str, int]:
    """Every file under ``roots`` with its modification time (ns)."""
    out = {}
    for root in roots:
        if root.exists():
            for p in root.rglob("*"):
                if p.is_file():
                    out[str(p)] = p.stat().st_mtime_ns
    return out


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.links: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self.links += [v or "" for k, v in attrs if k == "href"]


def _parse(path: Path) -> _Text:
    p = _Text()
    p.feed(path.read_text("utf-8"))
    p.close()
    return p


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    shared = need_sources()
    base = tmp_path_factory.mktemp("update")
    src = source_folder(base / "src", smhi={Path(SMHI_RAW).name: (shared / SMHI_RAW).read_bytes()})
    customers = base / "kunder"
    customers.mkdir()
    (customers / "uppsala.toml").write_text(
        '[customer]\nname = "Uppsala kommun"\narea = "uppsala"\n\n'
        '[foreword]\ntext = "Uppsalas koldioxidbudget."\n',
        "utf-8",
    )
    return {
        "src": src,
        "editions": base / "editions",
        "site": base / "site",
        "customers": customers,
        "deliveries": base / "leveranser",
    }


def _run(w: dict[str, Path], **kw: object):  # type: ignore[no-untyped-def]
    return update(
        sources=w["src"],
        editions=w["editions"],
        site=w["site"],
        customers=w["customers"],
        deliveries=w["deliveries"],
        site_url="https://kb.example.se",
        site_codes=CODES,
        **kw,  # type: ignore[arg-type]
    )


def test_update_from_first_release_to_a_new_one(world: dict[str, Path]) -> None:
    w = world
    # 1. the first run builds the edition, the site, the package
    first = _run(w)
    assert first.status == "updated" and first.exit_code == 0
    first_id = first.current
    assert current_editions(w["editions"])["CO2"] == first_id
    assert (w["site"] / "sv" / "0380" / "index.html").is_file()
    pkg = w["deliveries"] / "uppsala"
    names = {p.name for p in pkg.iterdir()}
    for name in (
        "koldioxidbudget-uppsala-2024.pdf",
        "koldioxidbudget-uppsala-2024.html",
        "presentation-0380.html",
        "inbaddning.html",
        "vad-har-andrats.html",
        "leverans.json",
    ):
        assert name in names, name
    assert any(n.endswith(".xlsx") for n in names) and any(n.endswith(".csv") for n in names)
    from pypdf import PdfReader

    pdf = PdfReader(str(pkg / "koldioxidbudget-uppsala-2024.pdf"))
    assert len(pdf.pages) > 10 and "Uppsala" in pdf.pages[0].extract_text()
    assert "https://kb.example.se/sv/0380/embed/" in (pkg / "inbaddning.html").read_text("utf-8")
    assert json.loads((pkg / "leverans.json").read_text("utf-8"))["edition"] == first_id

    # 2. the same sources again: nothing new, said with a Babel date, no file touched
    before = _files(w["editions"], w["site"], w["deliveries"])
    again = _run(w)
    assert again.status == "nothing-new" and again.exit_code == 0
    (line,) = again.lines("sv")
    assert re.match(r"Inget nytt sedan \d{1,2} [a-zåäö]+ \d{4}: utgåva ", line), line
    assert again.lines("en")[0].startswith("Nothing new since ")
    assert _files(w["editions"], w["site"], w["deliveries"]) == before

    # 3. a newer release (Stockholm county revised) appears; a dry run writes nothing
    (
        w["src"] / "emissions" / "smhi_rus" / "raw" / f"smhi_lansrapport_co2_{NEWER}.xlsx"
    ).write_bytes(
        smhi_variant(
            need_sources() / SMHI_RAW, release=NEWER, scale=lambda lan, k, y: 1 / revise(lan, k, y)
        )
    )
    dry = _run(w, dry_run=True)
    assert dry.status == "dry-run"
    assert dry.current != first_id and dry.notes is not None
    text = "\n".join(dry.lines("sv"))
    assert "Provkörning" in text and dry.current in text
    assert _files(w["editions"], w["site"], w["deliveries"]) == before

    # 4. the real run: new current edition, release note, site, packages
    new = _run(w)
    assert new.status == "updated" and new.previous == first_id
    assert current_editions(w["editions"])["CO2"] == new.current != first_id
    notes = new.notes
    assert notes is not None and notes["previous"] == first_id
    top = [a["name"] for a in notes["top_municipalities"]]
    stockholm_county = {"01"}
    assert notes["top_counties"][0]["code"] in stockholm_county
    assert notes["revised_years"], notes["revised_years"]
    assert any(p["status"] == "new" or p["status"] == "changed" for p in notes["published"])
    page = w["site"] / "sv" / "nytt" / str(new.current) / "index.html"
    parsed = _parse(page)
    body = " ".join(parsed.parts)
    assert "Nytt i utgåvan" in body and top[0] in body
    assert "reviderade" in body.lower() or "Reviderade" in body
    area = _parse(w["site"] / "sv" / "0180" / "index.html")
    assert any(link.endswith(f"nytt/{new.current}/") for link in area.links)
    assert json.loads((pkg / "leverans.json").read_text("utf-8"))["edition"] == new.current
    changes = _parse(pkg / "vad-har-andrats.html")
    assert "Vad har ändrats sedan er antagna utgåva?" in changes.parts
    assert any("Budgeten" in part for part in changes.parts)
    assert new.notes_path is not None and new.notes_path.is_file()

    # 5. a broken release (data end a year earlier than the last one): nothing changes, exit 1
    pointer = w["editions"] / "current.json"
    pointer_before = (pointer.read_bytes(), pointer.stat().st_mtime_ns)
    site_before = _files(w["site"], w["deliveries"])
    (
        w["src"] / "emissions" / "smhi_rus" / "raw" / f"smhi_lansrapport_co2_{BROKEN}.xlsx"
    ).write_bytes(smhi_variant(need_sources() / SMHI_RAW, release=BROKEN, drop_years=[2022]))
    r = CliRunner().invoke(
        app,
        [
            "update",
            "--sources",
            str(w["src"]),
            "--editions",
            str(w["editions"]),
            "--no-site",
            "--lang",
            "sv",
        ],
    )
    assert r.exit_code == 1, r.output
    assert "klarar inte de hårda datakontrollerna" in r.output
    assert "last" in r.output.lower() or "dataår" in r.output.lower()
    assert (pointer.read_bytes(), pointer.stat().st_mtime_ns) == pointer_before
    assert _files(w["site"], w["deliveries"]) == site_before


def test_update_refuses_a_second_run_at_once(tmp_path: Path) -> None:
    with _lock(tmp_path), pytest.raises(EditionError, match="Another update is running"):
        update(sources=tmp_path / "none", editions=tmp_path)
