"""The accessible HTML: lang, skip link, landmarks, headings in order, tables with caption and
scope, every figure with caption, text alternative and data table; the engine's key figures;
å ä ö intact; a self-contained single-file option."""

from __future__ import annotations

import itertools
from html.parser import HTMLParser
from pathlib import Path

from tests.render.conftest import Rendered

VOID = {"meta", "br", "img", "link", "input", "hr", "col", "source", "wbr", "area", "base"}
SVG_VOID_OK = True


class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node] = []
        self.text: list[str] = []

    def iter(self) -> list[Node]:
        out = [self]
        for c in self.children:
            out += c.iter()
        return out

    def find_all(self, tag: str) -> list[Node]:
        return [n for n in self.iter() if n.tag == tag]

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)


class Tree(HTMLParser):
    """A tolerant DOM from the standard library's parser (self-closing SVG tags handled)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root", {}, None)
        self.cur = self.root
        self.errors: list[str] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.cur)
        self.cur.children.append(node)
        if tag not in VOID:
            self.cur = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.cur.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.cur))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        n: Node | None = self.cur
        while n is not None and n.tag != tag:
            n = n.parent
        if n is None:
            self.errors.append(f"stray </{tag}>")
            return
        if n is not self.cur:
            self.errors.append(f"unclosed inside </{tag}>: <{self.cur.tag}>")
        self.cur = n.parent or self.root

    def handle_data(self, data: str) -> None:
        self.cur.text.append(data)


def test_html_is_well_formed(uppsala: Rendered) -> None:
    tree = Tree(uppsala.html)
    assert tree.errors == []
    assert uppsala.html.startswith("<!doctype html>")


def test_html_ids_are_unique_and_links_resolve(uppsala: Rendered) -> None:
    tree = Tree(uppsala.html)
    ids = [n.attrs["id"] for n in tree.root.iter() if "id" in n.attrs]
    dupes = {i for i in ids if ids.count(i) > 1}
    assert dupes == set()
    for a in tree.root.find_all("a"):
        href = a.attrs.get("href", "")
        if href.startswith("#"):
            assert href[1:] in ids, href


def test_html_lang_title_and_skip_link(uppsala: Rendered) -> None:
    tree = Tree(uppsala.html)
    html = tree.root.find_all("html")[0]
    assert html.attrs["lang"] == "sv"
    assert tree.root.find_all("title")[0].all_text() == uppsala.doc.title
    first_link = tree.root.find_all("a")[0]
    assert first_link.attrs["href"] == "#main"
    assert "skip" in first_link.attrs["class"]
    main = tree.root.find_all("main")
    assert len(main) == 1 and main[0].attrs["id"] == "main"


def test_html_landmarks(uppsala: Rendered) -> None:
    tree = Tree(uppsala.html)
    for tag in ("header", "nav", "main", "footer"):
        assert tree.root.find_all(tag), tag


def test_html_headings_in_order(uppsala: Rendered) -> None:
    tree = Tree(uppsala.html)
    levels = [int(n.tag[1]) for n in tree.root.iter() if n.tag in {"h1", "h2", "h3", "h4", "h5"}]
    assert levels[0] == 1 and levels.count(1) == 1
    for a, b in itertools.pairwise(levels):
        assert b <= a + 1, (a, b)


def test_html_callout_titles_are_headings(uppsala: Rendered) -> None:
    """A callout's title ("Vad kommunen kan påverka …") is a heading one level below its
    section's, not a bold paragraph, so a screen reader can jump to it."""
    tree = Tree(uppsala.html)
    asides = [n for n in tree.root.find_all("aside") if "callout" in n.attrs.get("class", "")]
    assert asides
    for a in asides:
        first = a.children[0]
        assert first.tag in {"h3", "h4", "h5", "h6"}, first.tag
        assert first.all_text() == a.attrs["aria-label"]
        section = a.parent
        while section is not None and section.tag != "section":
            section = section.parent
        assert section is not None
        own = next(c for c in section.children if c.tag in {"h2", "h3", "h4", "h5"})
        assert int(first.tag[1]) == int(own.tag[1]) + 1


def test_html_tables_have_caption_and_scope(uppsala: Rendered) -> None:
    tree = Tree(uppsala.html)
    tables = tree.root.find_all("table")
    assert len(tables) > 20
    for t in tables:
        assert t.find_all("caption") and t.find_all("caption")[0].all_text().strip()
        ths = t.find_all("th")
        assert ths and all(th.attrs.get("scope") in ("col", "row") for th in ths)


def test_html_figures_have_caption_alternative_and_table(uppsala: Rendered) -> None:
    tree = Tree(uppsala.html)
    figures = tree.root.find_all("figure")
    assert len(figures) == len(uppsala.doc.figures())
    for f in figures:
        assert f.find_all("figcaption")
        img = [n for n in f.iter() if n.attrs.get("role") == "img"]
        assert img and img[0].attrs["aria-label"].strip()
        svg = f.find_all("svg")
        assert svg and svg[0].attrs.get("aria-hidden") == "true"
        alt = [n for n in f.iter() if n.attrs.get("class") == "alt"]
        assert alt and alt[0].all_text().strip()
        assert f.find_all("table")


def test_html_holds_the_engines_key_figures(uppsala: Rendered) -> None:
    for key in ("budget", "remaining", "rate", "rate_15", "delay_rate_1"):
        assert uppsala.doc.key_figures[key] in uppsala.html, key


def test_html_keeps_swedish_letters(uppsala: Rendered) -> None:
    assert "Sammanfattning för beslutsfattare" in uppsala.html
    assert "Utsläppen" in uppsala.html and "Uppsala län" in uppsala.html
    assert "Ã" not in uppsala.html  # no mojibake
    assert '<meta charset="utf-8">' in uppsala.html


def test_html_print_css_and_linked_fonts(uppsala: Rendered) -> None:
    assert "@media print" in uppsala.html
    assert 'url("assets/fonts/SourceSans3-Regular.ttf")' in uppsala.html
    assert 'font-family: "Source Sans 3"' in uppsala.html


def test_html_single_file_embeds_fonts(uppsala: Rendered) -> None:
    from koldioxidbudget.render.html import render_html

    single = render_html(uppsala.doc, uppsala.svgs, self_contained=True)
    assert "assets/" not in single
    assert single.count("data:font/ttf;base64,") == 5


def test_html_english(uppsala_en: Rendered) -> None:
    tree = Tree(uppsala_en.html)
    assert tree.root.find_all("html")[0].attrs["lang"] == "en"
    assert "Summary for decision makers" in uppsala_en.html


def test_html_assets_written_once(tmp_path: Path) -> None:
    from koldioxidbudget.render.html import ASSETS_DIR, write_assets

    write_assets(tmp_path)
    write_assets(tmp_path)
    files = sorted(p.name for p in (tmp_path / ASSETS_DIR).iterdir())
    assert files == sorted(
        [
            "SourceSans3-Bold.ttf",
            "SourceSans3-BoldIt.ttf",
            "SourceSans3-It.ttf",
            "SourceSans3-Regular.ttf",
            "SourceSans3-Semibold.ttf",
        ]
    )
