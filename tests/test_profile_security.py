"""A customer profile is untrusted input: the files it names stay inside its folder, sizes are
bounded before anything is read, and every character must be one the report can show."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from koldioxidbudget.errors import ParameterError
from koldioxidbudget.profile import MAX_TEXT_BYTES, load_profile

CUSTOMER = '[customer]\nname = "Alfa kommun"\n'
SECRET = "hemligt-innehall-som-aldrig-far-synas"


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the profile's folder with a recognisable content."""
    f = tmp_path / "utanfor" / "hemlig.md"
    f.parent.mkdir()
    f.write_text(SECRET, "utf-8")
    return f


def _profile(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    p = folder / "profil.toml"
    p.write_text(CUSTOMER + text, "utf-8")
    return p


def _refused(p: Path, key: str) -> ParameterError:
    with pytest.raises(ParameterError) as e:
        load_profile(p)
    assert e.value.key == key, str(e.value)
    for lang in ("sv", "en"):
        assert SECRET not in e.value.localized(lang)
    return e.value


@pytest.mark.parametrize("field", ["foreword.file", "cover.image", "cover.logo"])
def test_profile_absolute_path_is_refused(tmp_path: Path, outside: Path, field: str) -> None:
    section, key = field.split(".")
    extra = 'alt = "Bild"\n' if field == "cover.image" else ""
    p = _profile(tmp_path / "kund", f'[{section}]\n{key} = "{outside}"\n{extra}')
    e = _refused(p, "profile_path_outside")
    assert e.localized("sv").startswith(f"Profilen {p}: {field} = '{outside}': sökvägen leder")


def test_profile_dotdot_and_proc_are_refused(tmp_path: Path, outside: Path) -> None:
    p = _profile(tmp_path / "kund", '[foreword]\nfile = "../utanfor/hemlig.md"\n')
    _refused(p, "profile_path_outside")
    p = _profile(tmp_path / "kund", '[foreword]\nfile = "/proc/self/environ"\n')
    _refused(p, "profile_path_outside")


def test_profile_symlink_out_of_the_folder_is_refused(tmp_path: Path, outside: Path) -> None:
    folder = tmp_path / "kund"
    p = _profile(folder, '[foreword]\nfile = "forord.md"\n')
    (folder / "forord.md").symlink_to(outside)
    _refused(p, "profile_path_outside")
    # a linked folder that leads out is refused too
    (folder / "bilder").symlink_to(outside.parent, target_is_directory=True)
    p = _profile(folder, '[foreword]\nfile = "bilder/hemlig.md"\n')
    _refused(p, "profile_path_outside")


def test_profile_symlink_inside_the_folder_is_fine(tmp_path: Path) -> None:
    folder = tmp_path / "kund"
    p = _profile(folder, '[foreword]\nfile = "forord.md"\n')
    (folder / "texter").mkdir()
    (folder / "texter" / "forord-2026.md").write_text("Vi har en budget.", "utf-8")
    (folder / "forord.md").symlink_to(folder / "texter" / "forord-2026.md")
    assert load_profile(p).foreword_markdown == "Vi har en budget."


def test_profile_special_files_are_refused(tmp_path: Path) -> None:
    folder = tmp_path / "kund"
    p = _profile(folder, '[foreword]\nfile = "ror"\n')
    os.mkfifo(folder / "ror")  # reading a pipe would wait for ever
    _refused(p, "profile_not_a_file")


def test_profile_sizes_are_checked_before_reading(tmp_path: Path) -> None:
    folder = tmp_path / "kund"
    p = _profile(folder, '[foreword]\nfile = "forord.md"\n')
    with open(folder / "forord.md", "wb") as f:  # 10 MB, sparse: nothing is read
        f.truncate(10 * 1024 * 1024)
    e = _refused(p, "profile_file_too_large")
    assert "större än 64 KB" in e.localized("sv") or "större än 64 kB" in e.localized("sv")
    big = folder / "stor.toml"
    big.write_text(CUSTOMER + "#" * (MAX_TEXT_BYTES + 1), "utf-8")
    _refused(big, "profile_too_large")
    p = _profile(folder, f'[foreword]\ntext = "{"a" * (MAX_TEXT_BYTES + 1)}"\n')
    with pytest.raises(ParameterError):  # the profile itself is then too large
        load_profile(p)


def test_profile_foreword_in_latin_1_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "kund"
    p = _profile(folder, '[foreword]\nfile = "forord.md"\n')
    (folder / "forord.md").write_bytes("Hälsning".encode("latin-1"))
    e = _refused(p, "profile_file_not_utf8")
    assert "Spara den som UTF-8" in e.localized("sv")


def test_profile_foreword_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    folder = tmp_path / "kund"
    p = _profile(folder, '[foreword]\nfile = "forord.md"\n')
    (folder / "forord.md").write_bytes("\ufeffHälsning".encode())
    assert load_profile(p).foreword_markdown == "Hälsning"


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Hej \\u0001", "U+0001"),
        ("Hej \\u001b[31m", "U+001B"),
        ("Hej \\u007f", "U+007F"),
        ("Hej \\u0000", "U+0000"),
        ("Hej\\ufeffdå", "U+FEFF"),
        ("Hej \\uffff", "U+FFFF"),
        ("Hej \\ue000", "U+E000"),
        ("Hej 🌍", "U+1F30D"),
        ("Hej 中文", "U+4E2D"),
        ("مرحبا", "U+0645"),
    ],
)
def test_profile_characters_the_pdf_cannot_show_are_refused(
    tmp_path: Path, text: str, code: str
) -> None:
    p = _profile(tmp_path / "kund", f'[foreword]\ntext = "{text}"\n')
    e = _refused(p, "profile_character_unshowable")
    assert code in e.localized("sv") and code in e.localized("en")


def test_profile_characters_in_every_text_key(tmp_path: Path) -> None:
    p = tmp_path / "kund" / "profil.toml"
    p.parent.mkdir()
    p.write_text('[customer]\nname = "Alfa 🌍 kommun"\n', "utf-8")
    e = _refused(p, "profile_character_unshowable")
    assert "customer.name" in str(e)


def test_profile_swedish_text_and_typography_are_fine(tmp_path: Path) -> None:
    text = "Å, ä och ö – “citat” … 1 234,5 t CO₂ −5 % ≥ 2030 é ü ø æ"
    p = _profile(tmp_path / "kund", f'[foreword]\ntext = """{text}\n\nStycke två."""\n')
    assert load_profile(p).foreword_markdown == text + "\n\nStycke två."


def _png(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    idat = zlib.compress(b"\x00" * 64)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def test_profile_decompression_bomb_is_refused_from_its_header(tmp_path: Path) -> None:
    folder = tmp_path / "kund"
    p = _profile(folder, '[cover]\nimage = "omslag.png"\nalt = "Ån"\n')
    (folder / "omslag.png").write_bytes(_png(40000, 40000))
    e = _refused(p, "profile_image_too_many_pixels")
    assert "bilden har 1600 miljoner bildpunkter, fler än 64 miljoner" in e.localized("sv")
    (folder / "omslag.png").write_bytes(_png(9000, 9000))  # below Pillow's own limit
    e = _refused(p, "profile_image_too_many_pixels")
    assert "81 million pixels, more than 64 million" in str(e)


def test_profile_ordinary_images_still_load(tmp_path: Path) -> None:
    from PIL import Image

    folder = tmp_path / "kund"
    p = _profile(folder, '[cover]\nimage = "bilder/omslag.png"\nalt = "Ån"\n')
    (folder / "bilder").mkdir()
    buf = io.BytesIO()
    Image.new("RGB", (320, 200), "green").save(buf, "PNG")
    (folder / "bilder" / "omslag.png").write_bytes(buf.getvalue())
    assert load_profile(p).cover is not None


def test_report_with_a_leaking_profile_exits_2_without_the_file(
    tmp_path: Path, outside: Path
) -> None:
    """The command a customer's profile reaches: one line, exit 2, nothing of the file."""
    p = _profile(tmp_path / "kund", f'[foreword]\nfile = "{outside}"\n')
    res = subprocess.run(
        [
            *(sys.executable, "-m", "koldioxidbudget.cli", "report", "0380"),
            *("--profile", str(p), "--out", str(tmp_path / "ut"), "--format", "html"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "KOLDIOXIDBUDGET_EDITIONS": str(tmp_path / "inga")},
    )
    assert res.returncode == 2, res.stderr
    assert res.stderr.startswith(f"koldioxidbudget: Profilen {p}: foreword.file")
    assert res.stderr.count("\n") == 1
    assert SECRET not in res.stderr + res.stdout
    assert not (tmp_path / "ut").exists() or not any((tmp_path / "ut").iterdir())
