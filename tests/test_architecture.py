"""The shape of the code (STYLE.md habit 1; DESIGN.md architecture), checked on the source with ast.

* The core stays pure: no Qt, no SQLite. Qt lives in desktop/ui only (and the GUI on top of it).
* Layers point down only: core ← store ← ops ← export ← ui / cli, with desktop/app.py and
  desktop/entry.py on top. ui and cli, side by side, do not import each other.
* No import circles among desktop's modules.

Every import counts: at module level, inside functions, under ``if TYPE_CHECKING``. The checker
takes a folder and a package name, so the tests at the end plant a bad import and a circle in a
tmp package and see it caught.
"""

from __future__ import annotations

import ast
from pathlib import Path

import desktop

ROOT = Path(desktop.__file__).parent
FORBIDDEN_IN_CORE = ("PySide6", "sqlite3", "sqlite_utils", "desktop.store", "desktop.ui", "desktop.export")
FORBIDDEN_OUTSIDE_UI = ("PySide6",)

#: (layer, rank, the modules and packages in it). An import may point to a lower rank, or within its
#: own layer; ui and cli share a rank, so neither imports the other.
LAYERS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("base", 0, ("desktop", "desktop.paths", "desktop.resources")),  # __version__, folders, resources
    ("core", 1, ("desktop.core",)),
    ("store", 2, ("desktop.store",)),
    ("ops", 3, ("desktop.ops",)),
    ("export", 4, ("desktop.export",)),
    ("ui", 5, ("desktop.ui", "desktop.settings", "desktop.single_instance")),
    ("cli", 5, ("desktop.cli",)),
    ("top", 6, ("desktop.app", "desktop.entry", "desktop.__main__")),
)



# --------------------------------------------------------------------------------------------
# The checker
# --------------------------------------------------------------------------------------------


def _imports(path: Path) -> set[str]:
    """The names a file imports (as written, absolute only), at any depth."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def modules(root: Path, package: str) -> dict[str, Path]:
    """Dotted module name -> file, for every .py under ``root`` (the folder of ``package``)."""
    found: dict[str, Path] = {}
    for path in sorted(root.rglob("*.py")):
        parts = [package, *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(name: str, known: dict[str, Path]) -> str | None:
    """The module ``name`` refers to: itself, or the package or module that holds it
    (``from desktop.store.db import Store`` -> desktop.store.db)."""
    while name and name not in known:
        name = name.rpartition(".")[0]
    return name or None


def module_imports(name: str, path: Path, known: dict[str, Path]) -> dict[str, int]:
    """The package's modules that ``name`` imports, anywhere in the file, with the first line.

    ``from a import b`` is the module a.b when there is one, else a (``b`` is a name in it);
    relative imports are resolved; importing a submodule is not counted as importing its
    parent packages' __init__."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: dict[str, int] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, base] if base else parts)
            targets = [f"{base}.{a.name}" if f"{base}.{a.name}" in known else base for a in node.names]
        else:
            continue
        for target in targets:
            module = _resolve(target, known)
            if module is not None and module != name:
                found.setdefault(module, node.lineno)
    return found


def import_graph(root: Path, package: str) -> dict[str, dict[str, int]]:
    """importer -> {imported: line} over the package's modules."""
    known = modules(root, package)
    return {name: module_imports(name, path, known) for name, path in known.items()}


def layer_of(module: str, layers=LAYERS) -> tuple[str, int] | None:
    """The layer holding ``module`` (the longest matching entry), or None."""
    best: tuple[int, str, int] | None = None
    for layer, rank, members in layers:
        for member in members:
            if (module == member or module.startswith(member + ".")) and (best is None or len(member) > best[0]):
                best = (len(member), layer, rank)
    return None if best is None else (best[1], best[2])


def upward_imports(graph: dict[str, dict[str, int]], layers=LAYERS) -> dict[tuple[str, str], str]:
    """(importer, imported) -> why, for every import that does not point down or stay in its layer."""
    bad: dict[tuple[str, str], str] = {}
    for importer, targets in graph.items():
        own = layer_of(importer, layers)
        for imported, line in targets.items():
            other = layer_of(imported, layers)
            if own is None or other is None or other[1] < own[1] or other[0] == own[0]:
                continue
            bad[(importer, imported)] = f"line {line}: {own[0]} imports {other[0]}"
    return bad


def circles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan, iterative), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for nxt in edges:
                if nxt not in graph:
                    continue
                if nxt not in index:
                    index[nxt] = low[nxt] = len(index)
                    stack.append(nxt)
                    on_stack.add(nxt)
                    work.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        found.append(sorted(component))
    return sorted(found)


def circle_edges(graph: dict[str, dict[str, int]]) -> set[tuple[str, str]]:
    """Every import between two modules of one circle."""
    return {(a, b) for component in circles(graph) for a in component for b in graph[a] if b in component}


def _offenders(folder: Path, forbidden: tuple[str, ...]) -> list[str]:
    bad = []
    for path in sorted(folder.rglob("*.py")):
        for name in _imports(path):
            if any(name == f or name.startswith(f + ".") for f in forbidden):
                bad.append(f"{path.relative_to(ROOT)} imports {name}")
    return bad


GRAPH = import_graph(ROOT, "desktop")


# --------------------------------------------------------------------------------------------
# The tree
# --------------------------------------------------------------------------------------------


def test_core_imports_neither_qt_nor_sqlite():
    assert _offenders(ROOT / "core", FORBIDDEN_IN_CORE) == []


def test_store_and_export_do_not_import_qt():
    assert _offenders(ROOT / "store", FORBIDDEN_OUTSIDE_UI) == []
    assert _offenders(ROOT / "export", FORBIDDEN_OUTSIDE_UI) == []


def test_the_command_line_does_not_import_qt():
    """Qt's PDF renderer is handed to it (desktop/entry.py), so a command never loads Qt itself."""
    assert _offenders(ROOT / "cli", FORBIDDEN_OUTSIDE_UI) == []


def test_every_module_has_a_layer():
    assert [m for m in GRAPH if layer_of(m) is None] == []


def test_layers_point_down_only():
    assert upward_imports(GRAPH) == {}


def test_no_import_circles():
    assert sorted(circle_edges(GRAPH)) == []
    assert circles(GRAPH) == []


def test_app_and_cli_do_not_import_each_other():
    assert not any(b.startswith("desktop.cli") for b in GRAPH["desktop.app"])
    assert not any(b in ("desktop.app", "desktop.entry") for m in GRAPH if m.startswith("desktop.cli") for b in GRAPH[m])
    assert not any(b.startswith("desktop.ui") for b in GRAPH["desktop.export.exporter"])


# --------------------------------------------------------------------------------------------
# The checker itself
# --------------------------------------------------------------------------------------------


def test_the_checker_catches_a_forbidden_import(tmp_path):
    (tmp_path / "bad.py").write_text("from PySide6.QtCore import QObject\n", encoding="utf-8")
    assert _imports(tmp_path / "bad.py") == {"PySide6.QtCore"}


def _plant(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / "pkg" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root / "pkg"


PLANTED_LAYERS = (("core", 1, ("pkg.core",)), ("ui", 5, ("pkg.ui",)), ("cli", 5, ("pkg.cli",)))


def test_the_checker_catches_an_upward_import_inside_a_function(tmp_path):
    folder = _plant(tmp_path, {
        "__init__.py": "",
        "core/__init__.py": "",
        "core/rules.py": "def f():\n    from pkg.ui import dialogs\n    return dialogs\n",
        "ui/__init__.py": "",
        "ui/dialogs.py": "from pkg.core.rules import f\n",  # down: fine
        "cli/__init__.py": "",
        "cli/main.py": "import pkg.ui.dialogs\n",  # sideways between ui and cli: refused
    })  # fmt: skip
    graph = import_graph(folder, "pkg")
    assert graph["pkg.core.rules"] == {"pkg.ui.dialogs": 2}
    assert set(upward_imports(graph, PLANTED_LAYERS)) == {("pkg.core.rules", "pkg.ui.dialogs"),
                                                          ("pkg.cli.main", "pkg.ui.dialogs")}  # fmt: skip


def test_the_checker_catches_a_circle_through_a_function_level_import(tmp_path):
    folder = _plant(tmp_path, {
        "__init__.py": "",
        "a.py": "from pkg import b\n",
        "b.py": "from . import c\n",  # relative
        "c.py": "def g():\n    from pkg.a import x\n    return x\n",
        "d.py": "import pkg.a\n",  # points into the circle, not part of it
    })  # fmt: skip
    graph = import_graph(folder, "pkg")
    assert circles(graph) == [["pkg.a", "pkg.b", "pkg.c"]]
    assert circle_edges(graph) == {("pkg.a", "pkg.b"), ("pkg.b", "pkg.c"), ("pkg.c", "pkg.a")}


def test_the_checker_finds_no_circle_where_there_is_none(tmp_path):
    folder = _plant(tmp_path, {"__init__.py": "from pkg import a\n", "a.py": "import os\nfrom pkg import b\n",
                               "b.py": "X = 1\n"})  # fmt: skip
    assert circles(import_graph(folder, "pkg")) == []
