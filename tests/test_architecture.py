"""The core stays pure: no Qt, no SQLite (STYLE.md habit 1; DESIGN.md architecture)."""

from __future__ import annotations

import ast
from pathlib import Path

import desktop

ROOT = Path(desktop.__file__).parent
FORBIDDEN_IN_CORE = ("PySide6", "sqlite3", "sqlite_utils", "desktop.store", "desktop.ui", "desktop.export")
FORBIDDEN_OUTSIDE_UI = ("PySide6",)


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def _offenders(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for path in sorted(folder.rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


def test_core_imports_neither_qt_nor_sqlite():
    assert _offenders(ROOT / "core", FORBIDDEN_IN_CORE) == []


def test_store_and_export_do_not_import_qt():
    assert _offenders(ROOT / "store", FORBIDDEN_OUTSIDE_UI) == []
    assert _offenders(ROOT / "export", FORBIDDEN_OUTSIDE_UI) == []


def test_the_checker_catches_a_forbidden_import(tmp_path):
    (tmp_path / "bad.py").write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    assert _imports(tmp_path / "bad.py") == {"PySide6.QtCore"}
