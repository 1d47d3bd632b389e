"""What the window pays before its first paint (bench/RESULTS.md, "The embedded mode pays nothing for the server").

The first paint is measured by bench/bench_startup.py, never here (no test times anything). What is tested is what
the measurements found expensive, so it cannot come back unnoticed: PySide6's `Qt` namespace (naming any of it
builds its 140 enums, 45–70 ms), the operations layer (~80 ms of imports) and the server's libraries are not loaded
when the main window paints for the first time; only after `attach()` (the database open) are they.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import desktop

# A child process: this one has long loaded all of it. It builds the window as desktop/app.py's main() does
# (configure_app, MainWindow(None, settings)), and reports at the first paint.
CHILD = r"""
import json, sys
import PySide6.QtCore as core
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from desktop.app import configure_app
from desktop.settings import Settings
from desktop.ui.mainwindow import MainWindow

app = QApplication([])
configure_app(app)
window = MainWindow(None, Settings.load())
seen = {}

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint and not seen:
            seen["qt_namespace"] = "Qt" in core.__dict__
            seen["modules"] = sorted(m for m in sys.modules if m.startswith(("desktop.ops", "desktop.store.db",
                                                                             "sqlalchemy", "psycopg", "alembic")))
            QTimer.singleShot(0, app.quit)
        return False

spy = FirstPaint()
window.installEventFilter(spy)
window.show()
app.exec()
print(json.dumps(seen))
"""


def test_nothing_heavy_is_loaded_before_the_first_paint(tmp_path):
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DUTYDESK_DATA_DIR": str(tmp_path / "data"),
           "DUTYDESK_CONFIG_DIR": str(tmp_path / "config"),
           "PYTHONPATH": str(Path(desktop.__file__).resolve().parents[1])}
    done = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["qt_namespace"] is False
    assert seen["modules"] == []
