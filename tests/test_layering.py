"""The rooms of quizapp depend one way: a lower room never imports a higher one.

Read from the source with `ast`, so the rule holds for every import, at the top
of a module or inside a function, and for modules no test happens to load.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "quizapp"

# Lowest first. A module may import modules of its own layer and of any layer below.
LAYERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("question files", ("quizapp.bank.files",)),
    (
        "spine",
        (
            "quizapp.config",
            "quizapp.db",
            "quizapp.models",
            "quizapp.forms",
            "quizapp.formatting",
            "quizapp.errors",
            "quizapp.headers",
            "quizapp.integers",
            "quizapp.schema",
            "quizapp.backup",
        ),
    ),
    ("accounts", ("quizapp.accounts",)),
    ("taking", ("quizapp.taking",)),
    ("bank", ("quizapp.bank",)),
    ("review", ("quizapp.review",)),
    ("disputes", ("quizapp.disputes",)),
    ("live", ("quizapp.live",)),
    ("top", ("quizapp", "quizapp.cli", "quizapp.wsgi")),
)

# Third-party packages the pure question-file reader may not touch: it must load
# and validate a bank from a terminal or another program without a web app.
WEB_PACKAGES = ("flask", "flask_sqlalchemy", "flask_wtf", "sqlalchemy", "werkzeug", "wtforms", "click")


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int


def all_modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def quizapp_modules() -> set[str]:
    return {module_name(path) for path in all_modules()}


KNOWN = quizapp_modules()


def imports_of(path: Path) -> list[Import]:
    """Every module `path` imports, as absolute dotted names (relative imports resolved)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [Import(name, alias.name, node.lineno) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                # `from quizapp.bank import regrade` imports the module quizapp.bank.regrade;
                # `from quizapp.db import db` imports a name from the module quizapp.db.
                submodule = f"{target}.{alias.name}"
                found.append(Import(name, submodule if submodule in KNOWN else target, node.lineno))
    return found


def layer_of(module: str) -> int:
    """The index of the most specific layer prefix that `module` falls under."""
    best, best_length = -1, -1
    for index, (_name, prefixes) in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > best_length:
                best, best_length = index, len(prefix)
    return best


def upward_imports() -> list[str]:
    problems = []
    for path in all_modules():
        for found in imports_of(path):
            if found.imported not in KNOWN:
                continue  # third-party, the standard library, or a name imported from a module
            if layer_of(found.imported) > layer_of(found.importer):
                problems.append(
                    f"{found.importer}:{found.line} imports {found.imported} "
                    f"({LAYERS[layer_of(found.importer)][0]} -> {LAYERS[layer_of(found.imported)][0]})"
                )
    return problems


def test_every_module_belongs_to_a_layer() -> None:
    assert [m for m in sorted(KNOWN) if layer_of(m) < 0] == []


def test_no_room_imports_a_higher_one() -> None:
    assert upward_imports() == []


def test_nothing_imports_the_entry_points() -> None:
    entry_points = {"quizapp.cli", "quizapp.wsgi"}
    importers = [
        f"{found.importer}:{found.line}"
        for path in all_modules()
        for found in imports_of(path)
        if found.imported in entry_points and found.importer != "quizapp"
    ]
    assert importers == []


def test_question_files_reader_needs_no_web_stack() -> None:
    reader = [path for path in all_modules() if module_name(path).startswith("quizapp.bank.files")]
    assert reader, "the question-file reader moved: update LAYERS"
    offending = [
        f"{found.importer}:{found.line} imports {found.imported}"
        for path in reader
        for found in imports_of(path)
        if found.imported.split(".")[0] in WEB_PACKAGES
        or (found.imported.startswith("quizapp") and not found.imported.startswith("quizapp.bank.files"))
    ]
    assert offending == []


def test_views_are_used_by_nothing_but_the_app_factory() -> None:
    """Views use services, never the other way round; only create_app wires views in."""
    views = {m for m in KNOWN if m.rpartition(".")[2] in {"views", "exports"} or m.endswith("_views")}
    assert "quizapp.accounts.admin_views" in views
    importers = [
        f"{found.importer}:{found.line} imports {found.imported}"
        for path in all_modules()
        for found in imports_of(path)
        if found.imported in views and found.importer != "quizapp"
    ]
    assert importers == []


@pytest.mark.parametrize(
    ("importer", "imported", "upward"),
    [
        ("quizapp.taking.views", "quizapp.review.scores", True),
        ("quizapp.bank.files.loader", "quizapp.db", True),
        ("quizapp.accounts.users", "quizapp.taking.attempts", True),
        ("quizapp.review.views", "quizapp.taking.attempts", False),
        ("quizapp.bank.sync", "quizapp.bank.files.types", False),
    ],
)
def test_the_layer_rule_itself(importer: str, imported: str, upward: bool) -> None:
    """The check would catch a wrong import: the same comparison on planted pairs."""
    assert (layer_of(imported) > layer_of(importer)) is upward
