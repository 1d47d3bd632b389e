"""Fixtures that never touch real state: tmp data/config folders, an injected clock, tmp databases."""

from __future__ import annotations

import datetime as dt
import os

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop import ops
from desktop.core.clock import FixedClock
from desktop.resources import available_profiles
from desktop.store.opening import open_store

NOW = dt.datetime(2026, 11, 21, 9, 30)


def pytest_collection_modifyitems(items):
    """Mark GUI tests automatically (qutebrowser's conftest habit)."""
    for item in items:
        if {"qapp", "qtbot", "qtmodeltester"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("DUTYDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DUTYDESK_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path, clock):
    s = open_store(db_path, clock, operator="测试员")
    ops.org.init_org(s, "panzhihua", "攀枝花市人民政府办公室", available_profiles())
    yield s
    s.close()


@pytest.fixture
def demo_store(db_path, clock):
    """The sample government of `dutydesk --demo` (desktop/store/demo.py, panzhihua rules) in a tmp database."""
    s = open_store(db_path, clock, operator="测试员")
    ops.org.populate(s, available_profiles())
    yield s
    s.close()


@pytest.fixture
def session(qapp, demo_store):
    """The GUI's session over the demo government (a test file may define its own `session`)."""
    from desktop.app import configure_app
    from desktop.ui.session import Session

    configure_app(qapp)
    return Session(demo_store, demo=True)
