"""The layering of DESIGN.md and the documentation rules of STYLE.md, checked."""

from __future__ import annotations

import ast
import dataclasses
import re
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
        # no clock either: as_of is always given (the service layer reads the year at the edge)
        clock = ("date.today", "datetime.now", "time.time(", "time.monotonic(")
        for word in ("open(", "read_csv", "print(", "Path(", "os.environ", *clock):
            assert word not in text, f"{f.name} uses {word}"


def test_method_parses_no_user_strings() -> None:
    """``--set`` and query strings are parsed at the edge (``service/inputs.py``): the method
    takes typed ``Parameters`` only."""
    from koldioxidbudget.method import params

    assert not hasattr(params, "parameters_from") and not hasattr(params, "_parse_value")


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


def test_the_json_contract_is_one_definition() -> None:
    """The engine's result fields are the contract: the API's model, the CSV columns and
    ``to_dict`` all name the same fields (the model is checked against the dataclass, so a field
    added to one and not the other fails here)."""
    from koldioxidbudget.method.budget import _JSON_FIELDS
    from koldioxidbudget.service.budget import CSV_FIELDS
    from koldioxidbudget.web.schemas import AreaBudget

    model = set(AreaBudget.model_fields)
    assert model == set(_JSON_FIELDS), model ^ set(_JSON_FIELDS)
    assert set(CSV_FIELDS) <= set(_JSON_FIELDS)


def test_ids_of_the_contract_are_enums_documented_and_in_the_openapi() -> None:
    """Levels, warnings and path ids are StrEnums: each value is in docs/api.md and the API's
    OpenAPI schema offers exactly those values."""
    from koldioxidbudget.method.budget import ResultWarning
    from koldioxidbudget.method.scenarios import PathId
    from koldioxidbudget.schema import Level
    from koldioxidbudget.web.schemas import AreaBudget

    doc = (ROOT / "docs" / "api.md").read_text("utf-8")
    for enum in (Level, ResultWarning, PathId):
        for member in enum:
            assert f"`{member.value}`" in doc, f"docs/api.md does not name {member.value}"
    schema = AreaBudget.model_json_schema()
    defs = schema["$defs"]
    assert set(defs["ResultWarning"]["enum"]) == {w.value for w in ResultWarning}
    assert set(defs["Level"]["enum"]) == {v.value for v in Level}
    assert set(defs["PathId"]["enum"]) == {p.value for p in PathId}


def test_catalogues_have_the_same_keys() -> None:
    from koldioxidbudget.story.i18n import catalogue

    sv, en = catalogue("sv"), catalogue("en")
    assert set(sv) == set(en), set(sv) ^ set(en)


# ---------------------------------------------------------------------------------------------
# the layers of DESIGN.md: each unit imports only from units below it (never upward, never a
# unit of its own rank), so there is no circle between units either

#: lowest first; a unit is a top-level module or package of koldioxidbudget
LAYERS: tuple[tuple[str, ...], ...] = (
    ("catalogues", "files"),
    ("errors",),
    ("settings",),  # every KOLDIOXIDBUDGET_* variable
    ("fonts",),
    ("schema",),
    ("areas",),
    ("sources", "method"),  # independent of each other
    ("edition_checks",),
    ("edition",),
    ("profile",),
    ("service",),
    ("outputcache",),  # the CLI's answers kept on disk
    ("charts",),
    ("story",),
    ("news",),  # the release notes: what changed, in words, kept per edition
    ("render",),
    ("web",),
    ("updating",),  # update and deliver: every output, in order
    ("cli", "__main__"),
)
RANK = {unit: i for i, layer in enumerate(LAYERS) for unit in layer}


def _unit_imports(path: Path) -> set[str]:
    """The koldioxidbudget units ``path`` imports, wherever the import statement is (a lazy
    import inside a function counts as much as one at the top)."""
    parts = list(path.relative_to(SRC).parent.parts)
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = parts[: len(parts) - node.level + 1]
                mod = base + (node.module.split(".") if node.module else [])
                out |= {mod[0]} if mod else {a.name for a in node.names}
            elif (node.module or "").startswith("koldioxidbudget."):
                out.add(node.module.split(".")[1])  # type: ignore[union-attr]
        elif isinstance(node, ast.Import):
            out |= {
                a.name.split(".")[1] for a in node.names if a.name.startswith("koldioxidbudget.")
            }
    return out


def test_every_unit_has_a_layer() -> None:
    units = {p.name.removesuffix(".py") for p in SRC.iterdir() if p.suffix == ".py" or p.is_dir()}
    units -= {"__init__", "__pycache__"}
    assert units <= set(RANK), f"add {sorted(units - set(RANK))} to LAYERS"


def test_layers_import_only_downward() -> None:
    bad = []
    for f in sorted(SRC.rglob("*.py")):
        rel = f.relative_to(SRC)
        unit = rel.parts[0].removesuffix(".py")
        if unit == "__init__":
            continue
        for dep in sorted(_unit_imports(f) - {unit}):
            if dep not in RANK:
                continue  # the package's own __init__ (version)
            if RANK[dep] >= RANK[unit]:
                bad.append(f"{rel} ({unit}) imports {dep}")
    assert not bad, "imports that run up or sideways:\n" + "\n".join(bad)


# ---------------------------------------------------------------------------------------------
# settings: every KOLDIOXIDBUDGET_* variable is a field of settings.Environment, documented in
# docs/settings.md, and read through it (no second reader of the environment)


def test_every_variable_is_a_documented_setting() -> None:
    from koldioxidbudget.settings import Environment, reference, variable

    known = {variable(f.name) for f in dataclasses.fields(Environment)}
    unknown = set()
    for path in [*SRC.rglob("*.py"), *(ROOT / "docs").glob("*.md"), ROOT / "README.md"]:
        for m in re.finditer(r"(KOLDIOXIDBUDGET_[A-Z_]*[A-Z])(_\*)?", path.read_text("utf-8")):
            name, family = m.groups()  # KOLDIOXIDBUDGET_FETCH_BASE_* names a family
            if not (name in known or (family and any(k.startswith(name) for k in known))):
                unknown.add(f"{path.name}: {m.group()}")
    assert not unknown, f"variables that are no setting: {unknown}"
    assert (ROOT / "docs" / "settings.md").read_text("utf-8") == reference(), (
        "docs/settings.md is stale: python -m koldioxidbudget.settings > docs/settings.md"
    )


def test_only_settings_reads_the_environment() -> None:
    readers = {"os.environ.get", "os.getenv", "os.environ["}
    # the BLAS thread default, the PDF's reproducible date (SOURCE_DATE_EPOCH, a build standard)
    allowed = {"settings.py", "__init__.py", "render/pdf.py"}
    bad = [
        str(f.relative_to(SRC))
        for f in SRC.rglob("*.py")
        if str(f.relative_to(SRC)) not in allowed
        and any(r in f.read_text("utf-8") for r in readers)
    ]
    assert not bad, f"read the environment through koldioxidbudget.settings: {bad}"
