"""Rules of the architecture that a test can check: the layers' imports.

The layers: ``method`` (numpy and the standard library only) -> ``study`` -> ``report``,
``cli``, ``workshop``; ``i18n`` and ``presentation`` are used by every layer. Only the site
(``anticipe.site``, ``anticipe.workshop``) uses Django; the command line reaches it only in
``anticipe manage`` and ``anticipe demo``.

The import graph is read from the source files (with ``ast``, imports inside functions
included), so an import that only runs in one code path is caught too; a subprocess then
checks what importing a layer really loads.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from collections import deque
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

import anticipe

SOURCE = Path(anticipe.__file__).parent
STANDARD_LIBRARY = set(sys.stdlib_module_names)
WEB = {"django", "django_htmx", "csp", "whitenoise", "dj_database_url"}
NO_DJANGO = ["anticipe.study", "anticipe.report", "anticipe.presentation", "anticipe.i18n"]
# cli functions that may reach Django: `anticipe demo` and `anticipe manage`
CLI_DJANGO_ENTRY_POINTS = {
    ("anticipe.cli.commands", name) for name in ("demo", "manage", "backup", "restore")
}


@dataclass(frozen=True)
class Import:
    """One import statement's target, seen from `module` (in `function`, or None at the
    module's top level)."""

    module: str
    target: str
    function: str | None


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SOURCE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


@cache
def modules() -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    return {module_name(path): path for path in sorted(SOURCE.rglob("*.py"))}


def is_package(name: str) -> bool:
    return modules()[name].name == "__init__.py"


def absolute(module: str, node: ast.ImportFrom) -> str:
    """The module a ``from ... import`` names, relative imports resolved."""
    if node.level == 0:
        return node.module or ""
    base = module.split(".")
    if not is_package(module):
        base.pop()
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


class _Imports(ast.NodeVisitor):
    def __init__(self, module: str) -> None:
        self.module = module
        self.found: list[Import] = []
        self.function: list[str] = []

    def _add(self, target: str) -> None:
        outer = self.function[0] if self.function else None
        self.found.append(Import(self.module, target, outer))

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.function.append(node.name)
        self.generic_visit(node)
        self.function.pop()

    visit_AsyncFunctionDef = visit_FunctionDef  # noqa: N815

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._add(alias.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        base = absolute(self.module, node)
        for alias in node.names:
            submodule = f"{base}.{alias.name}"
            self._add(submodule if submodule in modules() else base)


@cache
def imports_of(module: str) -> tuple[Import, ...]:
    """What `module` imports, anywhere in its file; an anticipe module also brings in the
    packages above it (their ``__init__`` runs first)."""
    visitor = _Imports(module)
    visitor.visit(ast.parse(modules()[module].read_text("utf-8")))
    found: list[Import] = []
    for item in visitor.found:
        if item.target.split(".")[0] == "anticipe":
            parts = item.target.split(".")
            for end in range(1, len(parts)):
                found.append(Import(module, ".".join(parts[:end]), item.function))
        found.append(item)
    return tuple(found)


def path_to(
    start: str, wanted: set[str], allowed: frozenset[tuple[str, str]] = frozenset()
) -> list[str] | None:
    """The shortest chain of imports from `start` to a top-level package in `wanted`
    (through anticipe modules only), or None. Imports inside the functions `allowed`
    ((module, function) pairs) are not followed."""
    seen = {start}
    queue: deque[list[str]] = deque([[start]])
    while queue:
        chain = queue.popleft()
        for item in imports_of(chain[-1]):
            if (item.module, item.function) in allowed:
                continue
            top = item.target.split(".")[0]
            if top in wanted:
                return [*chain, item.target]
            if item.target in modules() and item.target not in seen:
                seen.add(item.target)
                queue.append([*chain, item.target])
    return None


def layer(name: str) -> list[str]:
    """The modules of a package or the one module `name` ([] when it does not exist)."""
    return [m for m in modules() if m == name or m.startswith(name + ".")]


# -- the graph reader itself ------------------------------------------------------------------


def test_the_graph_reader_sees_imports_inside_functions_and_relative_ones() -> None:
    demo = {(i.target, i.function) for i in imports_of("anticipe.cli.commands")}
    assert ("anticipe.site.demo", "demo") in demo
    assert ("anticipe.site", "demo") in demo  # the package above it
    assert ("anticipe.cli.render", "analyse_votes") in demo
    chain = path_to("anticipe.cli.commands", {"django"})
    assert chain is not None
    assert chain[0] == "anticipe.cli.commands"
    assert chain[-1].split(".")[0] == "django"
    assert path_to("anticipe.method.concordance", {"django"}) is None


def test_every_layer_named_here_exists() -> None:
    for name in ("anticipe.method", "anticipe.study", "anticipe.report", "anticipe.i18n"):
        assert layer(name), name
    assert {"anticipe.cli.commands", "anticipe.site.demo"} <= set(modules())


# -- the rules ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", NO_DJANGO)
def test_layers_without_django(name: str) -> None:
    """study, report, presentation and i18n never import Django, directly or through
    another anticipe module, even inside a function. (presentation is checked once it
    exists.)"""
    for module in layer(name):
        chain = path_to(module, WEB)
        assert chain is None, " imports ".join(chain or [])


# The one exception: the compiled inner loop of the CIB search (numba), which only
# scenario_search imports, inside a function, with a numpy fallback when numba is missing.
COMPILED = "anticipe.method._compiled_search"


def test_method_core_imports_numpy_and_the_standard_library_only() -> None:
    sources = layer("anticipe.method")
    assert len(sources) > 5
    for module in sources:
        allowed = STANDARD_LIBRARY | {"numpy"} | ({"numba"} if module == COMPILED else set())
        for item in imports_of(module):
            top = item.target.split(".")[0]
            if top == "anticipe":
                assert item.target in ("anticipe", "anticipe.method") or item.target.startswith(
                    "anticipe.method."
                ), f"{module} imports {item.target}"
                if item.target == COMPILED:
                    assert module == "anticipe.method.scenario_search", module
                    assert item.function is not None, "imported at module level"
            else:
                assert top in allowed, f"{module} imports {item.target}"


def test_the_command_line_reaches_django_only_in_its_site_commands() -> None:
    """manage, demo, backup and restore import the site inside their function only."""
    entry_points = frozenset(CLI_DJANGO_ENTRY_POINTS)
    for module in layer("anticipe.cli"):
        chain = path_to(module, WEB, allowed=entry_points)
        assert chain is None, " imports ".join(chain or [])
    # and those functions do reach it (so the rule above checks something)
    for module, function in entry_points:
        targets = [i.target for i in imports_of(module) if i.function == function]
        assert any(path_to(target, WEB) for target in targets if target in modules())


def loaded_after_importing(packages: list[str]) -> set[str]:
    """Top-level names in sys.modules after importing every module of `packages`, in a
    fresh interpreter."""
    names = [m for package in packages for m in layer(package)]
    code = (
        "import importlib, sys\n"
        f"for name in {names!r}:\n"
        "    importlib.import_module(name)\n"
        "print(','.join(sorted({n.split('.')[0] for n in sys.modules})))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.strip().split(","))


def test_importing_the_method_core_loads_no_web_code() -> None:
    loaded = loaded_after_importing(["anticipe.method"])
    assert "numpy" in loaded
    assert not loaded & (WEB | {"jinja2", "typst", "openpyxl", "rich"})


def test_importing_the_layers_without_django_loads_no_django() -> None:
    loaded = loaded_after_importing(NO_DJANGO)
    assert "anticipe" in loaded
    assert not loaded & WEB
