"""The Qt binding must not leak or drop references to None.

PySide6-Essentials 6.12.0 decrements None's reference count on every call of a Qt method that
returns nothing (QWidget.update, QTimer.start …). On Python 3.11, where None is not immortal, a
long session (the idle-lock timer, repaints) then aborts with "deallocating None". pyproject caps
the version; this test says so if a newer wheel is installed with the same defect.
"""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget


@pytest.mark.skipif(sys.version_info >= (3, 12), reason="None is immortal from Python 3.12")
def test_无返回值的Qt方法不改变None的引用计数(qapp):
    widget = QWidget()
    timer = QTimer()
    before = sys.getrefcount(None)
    for _ in range(200):
        widget.update()
        timer.start(1000)
        timer.stop()
    after = sys.getrefcount(None)
    # A little slack for unrelated objects created meanwhile; the defect drops 600 here.
    assert abs(after - before) < 50
