"""The package's layers: imports point one way (cli -> linked_data -> claims -> graph -> base, and
importers -> graph), nothing below the command line imports Click, nothing in graph or claims knows
HTTP or a page, and modules stay small enough to read."""

from __future__ import annotations

import ast
from pathlib import Path

import openness

PACKAGE = Path(openness.__file__).resolve().parent
BASE = {"errors", "files", "net", "resources", "text", "__init__"}
# What each layer may import (besides itself and the base modules).
ALLOWED = {
    "base": set(),
    "graph": set(),
    "importers": {"graph"},
    "claims": {"graph"},
    "linked_data": {"claims", "graph"},
    "cli": {"linked_data", "claims", "graph", "importers"},
}
# Third-party or standard modules a layer must not use: the library never reaches into the face.
FORBIDDEN = {
    "base": {"click", "http", "jinja2", "markupsafe", "pyshacl", "pyoxigraph", "rdflib"},
    "graph": {"click", "http", "jinja2", "markupsafe"},
    "importers": {"click", "http", "jinja2", "markupsafe"},
    "claims": {"click", "http", "jinja2", "markupsafe"},
    "linked_data": {"click"},
    "cli": set(),
}
MAX_LINES = 450


def _layer(parts: tuple[str, ...]) -> str:
    """The layer of a module given its dotted parts under openness."""
    if not parts or parts[0] in BASE or parts[0] == "__main__":
        return "base"
    return parts[0]


def _modules() -> list[tuple[Path, tuple[str, ...]]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE).with_suffix("")
        out.append((path, rel.parts))
    return out


def _imports(path: Path, parts: tuple[str, ...]) -> list[tuple[str, int]]:
    """(absolute dotted module, line) of every import in the file, relative ones resolved."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = list(parts[:-1]) if parts[-1] != "__init__" else list(parts[:-1])
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ["openness", *package[: len(package) - (node.level - 1)]] if node.level > 1 else ["openness", *package]
                module = ".".join(base + ([node.module] if node.module else []))
                if node.module is None:  # from . import x, y: each name may be a module or an attribute
                    for alias in node.names:
                        where = PACKAGE.joinpath(*module.split(".")[1:], alias.name)
                        is_module = where.is_dir() or where.with_suffix(".py").is_file()
                        found.append((f"{module}.{alias.name}" if is_module else module, node.lineno))
                    continue
            else:
                module = node.module or ""
            found.append((module, node.lineno))
    return found


def test_imports_point_one_way():
    wrong = []
    for path, parts in _modules():
        own = _layer(parts)
        if parts[0] == "__main__":
            continue  # `python -m openness` starts the command line
        for module, line in _imports(path, parts):
            if module.startswith("openness"):
                target = module.split(".")[1:]
                layer = _layer(tuple(target))
                if layer == "base" and target and target[0] not in BASE and target[0] != "__main__":
                    continue
                if layer != own and layer != "base" and layer not in ALLOWED[own]:
                    wrong.append(f"{path.relative_to(PACKAGE)}:{line} ({own}) imports {module} ({layer})")
                if own == "base" and layer != "base":
                    wrong.append(f"{path.relative_to(PACKAGE)}:{line} (base) imports {module}")
            elif module.split(".")[0] in FORBIDDEN[own]:
                wrong.append(f"{path.relative_to(PACKAGE)}:{line} ({own}) imports {module}")
    assert not wrong, "imports against the layering:\n" + "\n".join(wrong)


def test_the_direction_check_catches_an_upward_import(tmp_path):
    """The check itself: a graph module importing a claim is reported."""
    fake = tmp_path / "bad.py"
    fake.write_text("from ..claims.catalogue import claims\nimport click\n")
    found = _imports(fake, ("graph", "bad"))
    assert ("openness.claims.catalogue", 1) in found and ("click", 2) in found
    assert _layer(("claims", "catalogue")) not in ALLOWED["graph"]


def test_every_package_says_what_it_owns():
    for package in ("graph", "claims", "linked_data", "importers", "cli"):
        doc = ast.get_docstring(ast.parse((PACKAGE / package / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "import" in doc, f"openness.{package} has no docstring saying what it may import"


def test_modules_stay_readable():
    long = [f"{p.relative_to(PACKAGE)}: {n} lines" for p, _ in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES]
    assert not long, "modules over ~400 lines:\n" + "\n".join(long)
