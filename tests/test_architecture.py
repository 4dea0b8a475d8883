"""Rules of the architecture that a test can check."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import anticipe.method

METHOD = Path(anticipe.method.__file__).parent
STANDARD_LIBRARY = set(sys.stdlib_module_names)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_method_core_imports_numpy_and_the_standard_library_only() -> None:
    sources = sorted(METHOD.rglob("*.py"))
    assert len(sources) > 5
    for source in sources:
        foreign = imported_modules(source) - STANDARD_LIBRARY - {"numpy", "anticipe"}
        assert not foreign, f"{source.name} imports {sorted(foreign)}"
        own = {
            node.module
            for node in ast.walk(ast.parse(source.read_text("utf-8")))
            if isinstance(node, ast.ImportFrom)
            and node.module
            and node.module.startswith("anticipe")
        }
        assert all(module.startswith("anticipe.method") for module in own), (source.name, own)


def test_importing_the_method_core_loads_no_web_code() -> None:
    code = (
        "import sys, pkgutil, importlib, anticipe.method as m\n"
        "for info in pkgutil.iter_modules(m.__path__):\n"
        "    importlib.import_module('anticipe.method.' + info.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "{'django', 'jinja2', 'weasyprint', 'openpyxl', 'rich'})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == ""
