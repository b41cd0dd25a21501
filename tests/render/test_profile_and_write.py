"""Customer profiles (validated with clear errors; images fitted and compressed) and writing
reports as files: stable names, atomic writes, the CLI command, --all in parallel."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from koldioxidbudget.errors import ParameterError
from koldioxidbudget.profile import COVER_SIZE, fit_image, load_profile
from koldioxidbudget.render import ReportJob, output_name, write_report, write_reports_all
from tests.conftest import make_tables, write_tiny_edition


def _image(path: Path, size: tuple[int, int], fmt: str, mode: str = "RGB") -> Path:
    from PIL import Image

    im = Image.effect_noise(size, 60).convert(mode)
    im.save(path, fmt)
    return path


def _profile(tmp: Path, body: str) -> Path:
    p = tmp / "kund.toml"
    p.write_text(body, "utf-8")
    return p


FULL = """
[customer]
name = "Alfa kommun"
contact = { name = "Klimatstrateg", email = "klimat@alfa.example" }
visualiser = "https://www.alfa.example/klimat/budget/"

[cover]
image = "omslag.jpg"
alt = "Utsikt över Alfa en vårdag"
credit = "Foto: Namn Namnsson"
logo = "vapen.png"
logo_alt = "Alfa kommuns vapen"

[foreword]
text = "Vi har **beslutat** att följa *budgeten*.\\n\\nÅrlig uppföljning sker i fullmäktige."
authors = ["Anna Andersson, kommunstyrelsens ordförande"]

[targets]
local = [ { year = 2030, reduction = 0.7 }, { year = 2045, reduction = 1.0 } ]
"""


def _pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages)


def test_profile_loads_and_fits_images(tmp_path: Path) -> None:
    _image(tmp_path / "omslag.jpg", (4000, 3000), "JPEG")
    _image(tmp_path / "vapen.png", (1200, 1500), "PNG", "RGBA")
    prof = load_profile(_profile(tmp_path, FULL))
    assert prof.customer_name == "Alfa kommun"
    assert prof.cover is not None and (prof.cover.width, prof.cover.height) == COVER_SIZE
    assert prof.cover.mime == "image/jpeg" and len(prof.cover.data) < 1_500_000
    assert prof.logo is not None and max(prof.logo.width, prof.logo.height) <= 480
    assert prof.local_targets == ((2030, 0.7, 1990), (2045, 1.0, 1990))
    assert prof.foreword_authors == ("Anna Andersson, kommunstyrelsens ordförande",)


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ('[customer]\nname = "A"\ncolour = "red"\n', r"customer\.colour = 'red': unknown key"),
        ("[cover]\nimage = 'x.jpg'\n", r"the key customer is required but missing"),
        (
            '[customer]\nname = "A"\n[targets]\nlocal = [{ year = 2030, reduction = 70 }]\n',
            r"targets\.local\.0\.reduction = 70",
        ),
        (
            '[customer]\nname = "A"\n[cover]\nimage = "saknas.jpg"\nalt = "x"\n',
            r"cover\.image = 'saknas\.jpg': file not found",
        ),
        ('[customer]\nname = "A"\n[cover]\nimage = "omslag.jpg"\n', r"cover\.alt = None"),
        ('[customer\nname = "A"\n', r"not valid TOML"),
        (
            '[customer]\nname = "A"\n[context]\nlarge_emitters = [{ name = "Verket", '
            'sector = "energi", tonnes = 1000, year = 2023 }]\n',
            r"context\.large_emitters\.0\.sector = 'energi': .*el-och-fjarrvarme",
        ),
        (
            '[customer]\nname = "A"\n[context]\nenergy_company = "Alfa Energi"\n'
            'energy_company_owner = "kommunen"\n',
            r"context\.energy_company_owner = 'kommunen': .*'municipality', 'partly' or 'other'",
        ),
        (
            '[customer]\nname = "A"\nvisualiser = "javascript:alert(1)"\n',
            r"customer\.visualiser = 'javascript:alert\(1\)': .*starting with https://",
        ),
    ],
)
def test_profile_errors_name_file_key_and_value(tmp_path: Path, body: str, match: str) -> None:
    p = _profile(tmp_path, body)
    _image(tmp_path / "omslag.jpg", (100, 100), "JPEG")
    with pytest.raises(ParameterError, match=match) as e:
        load_profile(p)
    assert str(p) in str(e.value)


def test_profile_refuses_a_non_image(tmp_path: Path) -> None:
    (tmp_path / "omslag.jpg").write_bytes(b"GIF89a not really")
    p = _profile(tmp_path, '[customer]\nname = "A"\n[cover]\nimage = "omslag.jpg"\nalt = "x"\n')
    with pytest.raises(ParameterError, match="not a readable JPEG or PNG image"):
        load_profile(p)


def test_profile_missing_file() -> None:
    with pytest.raises(ParameterError, match="no such file"):
        load_profile("/nonexistent/kund.toml")


def test_fit_image_any_size_and_orientation() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (300, 900), "green").save(buf, "PNG")
    img = fit_image(buf.getvalue(), alt="x")
    assert (img.width, img.height) == COVER_SIZE and img.mime == "image/jpeg"


def test_output_names_are_stable() -> None:
    assert output_name("uppsala", 2024, "sv", "pdf") == "koldioxidbudget-uppsala-2024.pdf"
    assert output_name("stockholms-lan", 2024, "en", "html") == (
        "koldioxidbudget-stockholms-lan-2024-en.html"
    )


def test_job_refuses_unknown_format() -> None:
    with pytest.raises(ParameterError, match="Unknown report format docx"):
        ReportJob(formats=("pdf", "docx"))


@pytest.fixture
def tiny_root(tmp_path: Path) -> Path:
    base = {
        "0101": [100.0, 80.0, 78.0, 76.0, 74.0, 72.0, 70.0, 68.0, 66.0],
        "0102": [50.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0, 40.0],
        "0201": [200.0, 150.0, 145.0, 140.0, 135.0, 130.0, 125.0, 120.0, 115.0],
    }
    t = make_tables(levels={k: [v * 1e5 for v in vs] for k, vs in base.items()})
    root = tmp_path / "editions"
    write_tiny_edition(root, t)
    return root


def test_write_report_with_profile(tiny_root: Path, tmp_path: Path) -> None:
    _image(tmp_path / "omslag.jpg", (2400, 1600), "JPEG")
    _image(tmp_path / "vapen.png", (600, 600), "PNG", "RGBA")
    prof = _profile(tmp_path, FULL)
    job = ReportJob(profile=str(prof), editions_dir=str(tiny_root))
    out = tmp_path / "out"
    # what a report killed (or stopped by a full disk) mid-write left, and a live writer's file
    out.mkdir()
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        check=True,
        capture_output=True,
        text=True,
    )
    stale = out / f".koldioxidbudget-alfa-2024.pdf.{dead.stdout.strip()}.tmp"
    stale.write_bytes(b"%PDF-1.7 half")
    live = out / f".koldioxidbudget-alfa-2024.html.{os.getppid()}.tmp"
    live.write_bytes(b"<html>")
    paths = write_report("alfa", job, out_dir=out)
    assert not stale.exists() and live.exists()
    live.unlink()
    names = sorted(p.name for p in paths)
    assert names == ["koldioxidbudget-alfa-2024.html", "koldioxidbudget-alfa-2024.pdf"]
    pdf = (out / "koldioxidbudget-alfa-2024.pdf").read_bytes()
    assert len(pdf) < 3 * 1024 * 1024 + 1_500_000  # the photo is the only large part
    html = (out / "koldioxidbudget-alfa-2024.html").read_text("utf-8")
    assert "Utsikt över Alfa en vårdag" in html and "<strong>beslutat</strong>" in html
    assert '<p class="publisher">Utgiven av Alfa kommun</p>' in html  # the cover says who
    assert "data:image/jpeg;base64," in html
    # the colophon: customer, contact, foreword author, and the visualiser as link and QR code
    from koldioxidbudget.render.qr import qr_svg

    url = "https://www.alfa.example/klimat/budget/"
    colophon = html[html.index('id="colophon"') :]
    for said in ("Alfa kommun", "klimat@alfa.example", "Anna Andersson", "CC BY 4.0"):
        assert said in colophon, said
    assert f'<a href="{url}">{url}</a>' in colophon
    assert qr_svg(url).split(">", 1)[1] in colophon  # the code's squares, hidden from AT
    text = _pdf_text(pdf)
    assert "Om rapporten" in text and url in text.replace(" ", "")
    assert "Utgiven av Alfa kommun" in text.split("Innehåll")[0]  # on the cover
    assert url.encode() in pdf  # a link annotation, not only the text
    assert (out / "assets" / "fonts" / "SourceSans3-Regular.ttf").is_file()
    assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]


def test_write_reports_all_in_parallel(tiny_root: Path, tmp_path: Path) -> None:
    seen: list[tuple[int, int, str]] = []
    job = ReportJob(formats=("html",), editions_dir=str(tiny_root), self_contained=True)
    paths = write_reports_all(
        job, out_dir=tmp_path, workers=2, progress=lambda d, n, c: seen.append((d, n, c))
    )
    assert len(paths) == 6
    assert [d for d, _, _ in seen] == [1, 2, 3, 4, 5, 6]
    assert {p.name for p in paths} >= {
        "koldioxidbudget-sverige-2024.html",
        "koldioxidbudget-ettans-lan-2024.html",
        "koldioxidbudget-alfa-2024.html",
    }


def test_cli_report_writes_files_and_explains_errors(tiny_root: Path, tmp_path: Path) -> None:
    env = dict(os.environ, KOLDIOXIDBUDGET_EDITIONS=str(tiny_root))
    res = subprocess.run(
        [
            sys.executable,
            "-m",
            "koldioxidbudget.cli",
            "report",
            "alfa",
            "--format",
            "pdf",
            "--out",
            str(tmp_path),
            "--lang",
            "en",
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "koldioxidbudget-alfa-2024-en.pdf").is_file()
    res = subprocess.run(
        [sys.executable, "-m", "koldioxidbudget.cli", "report", "alfa", "--format", "docx"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert res.returncode == 2
    assert "Okänt rapportformat docx" in res.stderr  # in Swedish, the default language


@pytest.mark.parametrize(
    ("focus", "colour"), [((0.5, 0.0), (255, 0, 0)), ((0.5, 1.0), (0, 0, 255))]
)
def test_cover_is_cropped_around_its_focus_point(
    focus: tuple[float, float], colour: tuple[int, int, int]
) -> None:
    """A portrait photo cropped to 16:10 keeps the part the profile's ``cover.focus`` points at:
    the top half is red and the bottom half blue, so the focus decides the cover's colour."""
    from PIL import Image

    im = Image.new("RGB", (1000, 2000), (255, 0, 0))
    im.paste((0, 0, 255), (0, 1000, 1000, 2000))
    buf = io.BytesIO()
    im.save(buf, "PNG")
    fitted = fit_image(buf.getvalue(), alt="x", focus=focus)
    cover = Image.open(io.BytesIO(fitted.data)).convert("RGB")
    assert (cover.width, cover.height) == COVER_SIZE
    got = cover.getpixel((cover.width // 2, cover.height // 2))
    assert all(abs(a - b) < 40 for a, b in zip(got, colour, strict=True)), got


def test_profile_refuses_a_focus_outside_the_image(tmp_path: Path) -> None:
    _image(tmp_path / "omslag.jpg", (100, 100), "JPEG")
    p = _profile(
        tmp_path,
        '[customer]\nname = "A"\n[cover]\nimage = "omslag.jpg"\nalt = "x"\nfocus = [0.5, 1.5]\n',
    )
    with pytest.raises(ParameterError, match=r"cover\.focus = \[0\.5, 1\.5\]: .*between 0 and 1"):
        load_profile(p)
