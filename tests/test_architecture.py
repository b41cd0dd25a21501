"""The layering of DESIGN.md and the documentation rules of STYLE.md, checked."""

from __future__ import annotations

import ast
import dataclasses
from pathlib import Path

from koldioxidbudget.method.params import FIELD_DOCS, PRESETS, Parameters

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "koldioxidbudget"
FORBIDDEN_FOR_METHOD = {"story", "render", "web", "cli", "service", "edition", "sources", "charts"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    out: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            if node.level >= 2:  # from ..x import y  (relative to the package root)
                out.add(mod.split(".")[0])
            elif mod.startswith("koldioxidbudget."):
                out.add(mod.split(".")[1])
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("koldioxidbudget."):
                    out.add(a.name.split(".")[1])
    return out


def test_method_imports_no_presentation_or_io_layer() -> None:
    for f in (SRC / "method").glob("*.py"):
        bad = _imports(f) & FORBIDDEN_FOR_METHOD
        assert not bad, f"{f.name} imports {bad}"


def test_method_does_no_io() -> None:
    for f in (SRC / "method").glob("*.py"):
        text = f.read_text("utf-8")
        for word in ("open(", "read_csv", "print(", "Path(", "os.environ", "date.today"):
            if word == "date.today" and f.name == "params.py":
                continue  # the default of as_of is the current year, read once when a preset is made
            assert word not in text, f"{f.name} uses {word}"


def test_every_parameter_is_documented() -> None:
    method_doc = (ROOT / "docs" / "method.md").read_text("utf-8")
    for f in dataclasses.fields(Parameters):
        assert f.name in FIELD_DOCS, f"Parameters.{f.name} has no FIELD_DOCS entry"
        assert f"`{f.name}`" in method_doc, f"docs/method.md does not document {f.name}"


def test_every_preset_is_documented() -> None:
    docs = (ROOT / "docs" / "method.md").read_text("utf-8") + (ROOT / "docs" / "cli.md").read_text(
        "utf-8"
    )
    for name in PRESETS:
        assert f"`{name}`" in docs, f"preset {name} is not documented"


def test_every_cli_command_is_documented() -> None:
    from typer.main import get_command

    from koldioxidbudget.cli import app

    doc = (ROOT / "docs" / "cli.md").read_text("utf-8")
    group = get_command(app)
    for name, cmd in group.commands.items():  # type: ignore[attr-defined]
        sub = getattr(cmd, "commands", None)
        names = [f"{name} {s}" for s in sub] if sub else [name]
        for n in names:
            assert f"koldioxidbudget {n}" in doc, f"docs/cli.md lacks 'koldioxidbudget {n}'"


def test_every_json_field_is_documented() -> None:
    import sys

    sys.path.insert(0, str(ROOT))
    from koldioxidbudget.method.budget import compute_budgets
    from tests.conftest import make_tables

    t = make_tables()
    r = compute_budgets(
        tables=t, params=dataclasses.replace(PRESETS["uppsala-2024-1.7"], as_of=2026)
    ).area("0101")
    doc = (ROOT / "docs" / "api.md").read_text("utf-8")
    for key in r.to_dict():
        assert f"`{key}`" in doc, f"docs/api.md does not document {key}"


def test_catalogues_have_the_same_keys() -> None:
    from koldioxidbudget.story.i18n import catalogue

    sv, en = catalogue("sv"), catalogue("en")
    assert set(sv) == set(en), set(sv) ^ set(en)
