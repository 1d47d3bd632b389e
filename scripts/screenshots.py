"""Render the main screens offscreen to PNG files, to look at what users see.

    QT_QPA_PLATFORM=offscreen python scripts/screenshots.py shots/
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main(out: Path) -> None:
    from PySide6.QtWidgets import QApplication

    from desktop.app import configure_app, open_session
    from desktop.core.clock import FixedClock
    from desktop.settings import Settings
    from desktop.ui.mainwindow import MainWindow

    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    configure_app(app)
    session = open_session(None, True, FixedClock(dt.datetime(2026, 11, 21, 9, 30)))
    window = MainWindow(session, Settings())
    window.resize(1280, 760)
    window.show()
    for key in ("people", "rules"):
        window.show_section(key)
        app.processEvents()
        window.grab().save(str(out / f"main-{key}.png"))
        print(out / f"main-{key}.png")
    page = window.pages["people"]
    page.table.selectRow(3)
    dialog = page._dialog(page.model.row_at(3).person)
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(out / "person-dialog.png"))
    print(out / "person-dialog.png")
    window.close()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "shots"))
