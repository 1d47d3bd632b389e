"""Typed settings in one place, with a version and a migration (Orange3's habit, not scattered QSettings).

Stored as JSON in the config folder. Unknown or damaged content falls back to defaults
instead of stopping the app.

Page setup (version 2): one paper size (A4 or A3) and one set of margins in millimetres for
every printout, and an orientation per printout kind (`PRINT_KINDS`: the weekly board, the
approval form, the duty roster, the calendar month). The print previews start from it and
save it when the user changes it (desktop.ui.printing).
"""

from __future__ import annotations

import dataclasses
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from desktop.paths import config_dir

SETTINGS_VERSION = 2

#: Printout kind -> its label and default orientation.
PRINT_KINDS: dict[str, tuple[str, str]] = {
    "weekly": ("一周领导在岗情况表", "landscape"),
    "approval": ("外出报备/请假审批表", "portrait"),
    "roster": ("值班安排表", "portrait"),
    "month": ("月历", "landscape"),
}
PAGE_SIZES = ("A4", "A3")
ORIENTATIONS = ("portrait", "landscape")
#: Left, top, right, bottom, as the printouts had them before page setup was remembered.
DEFAULT_MARGINS_MM = (12.0, 10.0, 12.0, 10.0)
MAX_MARGIN_MM = 60.0


def _default_orientation() -> dict[str, str]:
    return {kind: orientation for kind, (_label, orientation) in PRINT_KINDS.items()}


@dataclass
class Settings:
    version: int = SETTINGS_VERSION
    window_geometry: str = ""  # base64 of QMainWindow.saveGeometry()
    window_state: str = ""  # base64 of QMainWindow.saveState()
    last_section: str = "people"
    recent_dbs: list[str] = field(default_factory=list)
    #: The server database of 文件 → 连接服务器数据库… (host, port, database, user, sslmode; "auto": open it
    #: at start). Never a password: that is asked, or kept in the system's credential store.
    server: dict = field(default_factory=dict)
    # page setup (version 2)
    page_size: str = "A4"  # one of PAGE_SIZES
    orientation: dict[str, str] = field(default_factory=_default_orientation)  # kind -> portrait | landscape
    margins_mm: list[float] = field(default_factory=lambda: list(DEFAULT_MARGINS_MM))  # left, top, right, bottom

    @classmethod
    def path(cls) -> Path:
        return config_dir() / "settings.json"

    @classmethod
    def load(cls, path: Path | None = None) -> Settings:
        path = path or cls.path()
        try:
            raw = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        raw = migrate(raw)
        known = {f.name for f in dataclasses.fields(cls)}
        values = {}
        defaults = cls()
        for key, value in raw.items():
            if key in known and isinstance(value, type(getattr(defaults, key))):
                values[key] = value
        return cls(**values).checked()

    def save(self, path: Path | None = None) -> None:
        path = path or self.path()
        from desktop.store.private import open_private, private_folder  # here: ctypes is not needed to read

        private_folder(path.parent)
        tmp = path.with_suffix(".tmp")
        # Readable by the user only (desktop.store.private), like the database: the settings name recent
        # files and folders, and the server.
        fd = open_private(tmp, os.O_TRUNC | os.O_WRONLY)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(dataclasses.asdict(self), ensure_ascii=False, indent=2))
        os.replace(tmp, path)

    # -- page setup
    def checked(self) -> Settings:
        """The page setup reduced to what the printouts accept (a hand-edited file may hold anything)."""
        if self.page_size not in PAGE_SIZES:
            self.page_size = "A4"
        orientation = _default_orientation()
        for kind, value in self.orientation.items():
            if kind in orientation and value in ORIENTATIONS:
                orientation[kind] = value
        self.orientation = orientation
        margins = self.margins_mm
        ok = len(margins) == 4 and all(
            isinstance(m, int | float) and not isinstance(m, bool) and math.isfinite(m) and 0 <= m <= MAX_MARGIN_MM
            for m in margins
        )
        self.margins_mm = [float(m) for m in margins] if ok else list(DEFAULT_MARGINS_MM)
        return self

    def landscape(self, kind: str) -> bool:
        """The remembered orientation of a printout kind (`PRINT_KINDS`)."""
        if kind not in PRINT_KINDS:
            raise KeyError(kind)
        return self.orientation.get(kind, PRINT_KINDS[kind][1]) == "landscape"

    def set_page_setup(self, kind: str | None, *, page_size: str | None = None, landscape: bool | None = None,
                       margins_mm: tuple[float, float, float, float] | list[float] | None = None) -> bool:
        """Remember a page setup (``kind`` for the orientation); return True if anything changed.
        Values the printouts do not accept (a Letter page, a 100 mm margin) are left as they were."""
        before = (self.page_size, dict(self.orientation), list(self.margins_mm))
        if page_size in PAGE_SIZES:
            self.page_size = page_size
        if kind is not None and landscape is not None:
            if kind not in PRINT_KINDS:
                raise KeyError(kind)
            self.orientation = {**self.orientation, kind: "landscape" if landscape else "portrait"}
        if margins_mm is not None:
            margins = [round(float(m), 1) for m in margins_mm]
            if len(margins) == 4 and all(0 <= m <= MAX_MARGIN_MM for m in margins):
                self.margins_mm = margins
        return (self.page_size, self.orientation, self.margins_mm) != before


def migrate(raw: dict) -> dict:
    """Bring settings written by an older version up to SETTINGS_VERSION.

    0 (no version): only the window's geometry and state are kept. 1 → 2: the page setup is
    new; everything else (window, last section, recent databases) is kept, and page-setup keys
    a version 1 file cannot have written are dropped.
    """
    version = raw.get("version", 0)
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raw = {k: v for k, v in raw.items() if k in ("window_geometry", "window_state")}
        version = 1
    if version == 1:
        raw = {k: v for k, v in raw.items() if k not in ("page_size", "orientation", "margins_mm")}
        version = 2
    raw["version"] = SETTINGS_VERSION
    return raw
