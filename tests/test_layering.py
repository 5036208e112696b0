"""parsers/ is a Qt-free library: nothing under it may import Qt or the app."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PARSERS = Path(__file__).resolve().parents[1] / "parsers"
FORBIDDEN = ("PySide6", "PyQt5", "PyQt6", "PySide2", "app", "matplotlib.backends")


def test_no_module_under_parsers_imports_qt_or_app():
    offenders = []
    for path in PARSERS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] in FORBIDDEN or n.startswith(FORBIDDEN)]
    assert offenders == []


def test_importing_the_whole_library_loads_no_qt():
    code = ("import sys, pkgutil, importlib, parsers\n"
            "for m in pkgutil.walk_packages(parsers.__path__, 'parsers.'): importlib.import_module(m.name)\n"
            "print(sorted(k for k in sys.modules if k.startswith(('PySide', 'PyQt'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=PARSERS.parent).stdout.strip()
    assert out == "[]"
