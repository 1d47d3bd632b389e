"""只有“操作”(desktop/ops)能改数据:界面和命令行调用的每个函数都不写数据库,除非它是一个操作。

No write happens outside an operation (DESIGN.md, desktop/ops): this test lists every function of
desktop/store that writes (SQL INSERT/UPDATE/DELETE/REPLACE, an audit row, a transaction, a
backup copy, or a call of another writing store function) and fails when the UI, the CLI or the
app entry reaches one directly, or runs writing SQL of its own. The ops reach them; nobody else.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import desktop

ROOT = Path(desktop.__file__).parent
WRITE_SQL = re.compile(r"\b(INSERT|UPDATE|DELETE|REPLACE)\b\s", re.IGNORECASE)
WRITE_CALLS = {"atomic", "record", "executescript", "backup", "ensure_autocommit_on"}
#: Store functions that write only bookkeeping nobody sees as a change and that run outside an
#: operation by design: opening the file (migrations, the daily backup) and closing it.
OPENING = {"open_store", "close", "apply", "daily_backup", "check_version"}


def _callers() -> list[Path]:
    files = [ROOT / "app.py", *sorted((ROOT / "ui").rglob("*.py")), *sorted(ROOT.glob("cli*.py"))]
    files += sorted((ROOT / "cli").rglob("*.py")) if (ROOT / "cli").is_dir() else []
    return [f for f in files if f.exists()]


def _functions(path: Path) -> dict[str, ast.FunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}


def _direct_writes(fn: ast.FunctionDef) -> bool:
    for node in ast.walk(fn):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and WRITE_SQL.match(node.value.lstrip()):
            return True
        if isinstance(node, ast.JoinedStr):
            head = "".join(v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str))
            if WRITE_SQL.match(head.lstrip()):
                return True
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in WRITE_CALLS:
            return True
    return False


def store_writers() -> dict[str, set[str]]:
    """module name (desktop.store.x) -> the names of its functions that write, directly or through
    another function of the same module."""
    out: dict[str, set[str]] = {}
    for path in sorted((ROOT / "store").glob("*.py")):
        fns = _functions(path)
        writes = {name for name, fn in fns.items() if _direct_writes(fn)}
        grew = True
        while grew:  # a function calling a writer of its own module writes too
            grew = False
            for name, fn in fns.items():
                if name in writes:
                    continue
                called = {n.func.id for n in ast.walk(fn) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
                if called & writes:
                    writes.add(name)
                    grew = True
        out[f"desktop.store.{path.stem}"] = writes - OPENING
    return out


def reached_writers(path: Path, writers: dict[str, set[str]]) -> list[str]:
    """The writing store functions `path` names (module.attr or a from-import), and writing SQL it runs."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    aliases: dict[str, str] = {}
    bad: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "desktop.store":
            for a in node.names:
                aliases[a.asname or a.name] = f"desktop.store.{a.name}"
        elif isinstance(node, ast.ImportFrom) and node.module in writers:
            bad += [f"{node.module}.{a.name}" for a in node.names if a.name in writers[node.module]]
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name in writers and a.asname:
                    aliases[a.asname] = a.name
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in aliases:
            module = aliases[node.value.id]
            if node.attr in writers.get(module, ()):
                bad.append(f"{module}.{node.attr} (line {node.lineno})")
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and WRITE_SQL.match(node.value.lstrip()) \
                and re.search(r"\b(INTO|SET|FROM)\b", node.value, re.IGNORECASE):
            bad.append(f"SQL {node.value[:40]!r} (line {node.lineno})")
    return bad


def test_the_store_has_writers_to_guard():
    writers = store_writers()
    assert "update_absence" in writers["desktop.store.absences"]  # the detector sees SQL writes
    assert "get_absence" not in writers["desktop.store.absences"]


def test_the_ui_the_cli_and_the_app_write_only_through_operations():
    writers = store_writers()
    found = {str(p.relative_to(ROOT)): reached_writers(p, writers) for p in _callers()}
    assert {k: v for k, v in found.items() if v} == {}


def test_the_checker_catches_a_direct_write(tmp_path):
    bad = tmp_path / "page.py"
    bad.write_text("from desktop.store import absences\n"
                   "def save(store, r):\n    absences.update_absence(store, r, 1)\n"
                   "def raw(store):\n    store.conn.execute('DELETE FROM person WHERE id = 1')\n", encoding="utf-8")
    found = reached_writers(bad, store_writers())
    assert found == ["desktop.store.absences.update_absence (line 3)", "SQL 'DELETE FROM person WHERE id = 1' (line 5)"]
