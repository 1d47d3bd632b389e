"""Windows that fit the screen they open on (issue 13: a 1366×768 laptop with a taskbar is common in offices).

* `fit_window(widget)` shrinks a top-level window to the available geometry of its screen (the screen
  minus the taskbar) and moves it inside; a dialog's buttons can then never fall off the bottom.
* `FittedDialog`, the base of every dialog of ours, does that as it is shown; `watch(dialog)` does it for
  a Qt dialog made as it is (the print previews). tests/test_week_gui.py fails when a dialog class in
  desktop/ui derives from QDialog directly, so a dialog added later fits too.
  (Not an application-wide event filter, as first built: every event of every object then passes through
  Python, and the first event of a Qt-internal object — QGestureManager — costs ~80 ms of PySide6 type
  loading before the first paint; bench/RESULTS.md, "Start-up".)
* `geometry_fits(rect)` tells whether a saved window geometry lies on one of the screens as they are
  now (a laptop taken off its docking station, a monitor unplugged) and is big enough to work in.

`available_geometries()` is the one place that asks Qt about the screens: tests replace it with a
1366×768 screen minus a 40-pixel taskbar.
"""

from __future__ import annotations

import struct
from typing import NamedTuple

from PySide6.QtCore import QEvent, QObject, QRect, QSize
from PySide6.QtGui import QGuiApplication, QShowEvent
from PySide6.QtWidgets import QDialog, QWidget

#: The smallest main window worth restoring: below this a restored geometry is a mistake (a window
#: shrunk to 781×327 once) and the default size is used instead.
MIN_MAIN = QSize(900, 560)
#: Room left around a window that had to be shrunk, for its frame and title bar.
FRAME = QSize(16, 40)


def available_geometries() -> list[QRect]:
    """Each screen's geometry minus its taskbar and docks."""
    return [s.availableGeometry() for s in QGuiApplication.screens()]


def available_for(widget: QWidget | None) -> QRect:
    """The available geometry of the screen the widget is (mostly) on, else of the first screen."""
    screens = available_geometries()
    if not screens:
        return QRect(0, 0, 1366, 728)
    if widget is not None:
        centre = widget.frameGeometry().center()
        parent = widget.parentWidget()
        if parent is not None and not widget.isVisible():
            centre = parent.window().frameGeometry().center()
        for rect in screens:
            if rect.contains(centre):
                return rect
    return screens[0]


def fit_window(widget: QWidget) -> None:
    """Shrink ``widget`` (a top-level window) to its screen's available geometry and move it inside."""
    area = available_for(widget)
    room = QSize(max(area.width() - FRAME.width(), 200), max(area.height() - FRAME.height(), 200))
    size = widget.size().boundedTo(room)
    if widget.maximumWidth() > room.width() or widget.maximumHeight() > room.height():
        widget.setMaximumSize(widget.maximumSize().boundedTo(room))
    if widget.minimumWidth() > room.width() or widget.minimumHeight() > room.height():
        widget.setMinimumSize(widget.minimumSize().boundedTo(room))
    if size != widget.size():
        widget.resize(size)
    frame = widget.frameGeometry()
    extra = QSize(frame.width() - widget.width(), frame.height() - widget.height())
    outer = QRect(frame.topLeft(), widget.size() + extra)
    if not area.contains(outer):
        x = min(max(outer.left(), area.left()), area.right() - outer.width() + 1)
        y = min(max(outer.top(), area.top()), area.bottom() - outer.height() + 1)
        widget.move(max(x, area.left()), max(y, area.top()))


def geometry_fits(rect: QRect) -> bool:
    """A saved window geometry (the frame) worth restoring: on one screen as it is now, and big enough
    (at least `MIN_MAIN`, or nearly the whole screen on a smaller one)."""
    for area in available_geometries():
        if area.contains(rect):
            want_w = min(MIN_MAIN.width(), area.width() - FRAME.width())
            want_h = min(MIN_MAIN.height(), area.height() - FRAME.height())
            return rect.width() >= want_w and rect.height() >= want_h
    return False


class SavedGeometry(NamedTuple):
    normal: QRect  # the window's geometry when not maximized (client area)
    maximized: bool


_HEAD = struct.Struct(">IHH")
_RECT = struct.Struct(">iiii")
_MAGIC = 0x1D9D0CB


def saved_geometry(data: bytes) -> SavedGeometry | None:
    """Read QWidget.saveGeometry()'s bytes (format 2 or 3, QDataStream big-endian) without applying
    them: Qt's own restoreGeometry squeezes a window onto whatever screen there is, and the question is
    whether the saved window still fits at all. None for bytes that are not such a record."""
    try:
        magic, major, _minor = _HEAD.unpack_from(data, 0)
        if magic != _MAGIC or major < 2:
            return None
        at = _HEAD.size + _RECT.size  # skip the frame geometry
        left, top, right, bottom = _RECT.unpack_from(data, at)
        at += _RECT.size + 4  # the normal geometry, then the screen number
        maximized, _full = data[at], data[at + 1]
        at += 2 + 4  # the screen width
        if major >= 3 and not maximized:
            left, top, right, bottom = _RECT.unpack_from(data, at)  # the geometry as it was
    except (struct.error, IndexError):
        return None
    rect = QRect(left, top, right - left + 1, bottom - top + 1)
    return SavedGeometry(rect, bool(maximized)) if rect.isValid() else None


class FittedDialog(QDialog):
    """A dialog that fits the screen it opens on (the base of every dialog in desktop/ui)."""

    def showEvent(self, event: QShowEvent) -> None:
        if self.isWindow():
            fit_window(self)
        super().showEvent(event)


class _ShowFitter(QObject):
    """Fits the dialogs it watches (an event filter on those dialogs only) as they are shown."""

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Show and isinstance(obj, QWidget) and obj.isWindow():
            fit_window(obj)
        return False


def watch(dialog: QWidget) -> QWidget:
    """Fit a Qt dialog made as it is (QPrintPreviewDialog…) to its screen whenever it is shown; the
    filter is the dialog's child and goes with it."""
    dialog.installEventFilter(_ShowFitter(dialog))
    return dialog
