"""Fixtures that never touch real state: tmp data/config folders, an injected clock, tmp databases."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from desktop.core.clock import FixedClock
from desktop.resources import available_profiles
from desktop.store import demo, org
from desktop.store.db import open_store

NOW = dt.datetime(2026, 11, 21, 9, 30)
_HYPOTHESIS_HOME = pytest.StashKey[Path]()


def pytest_collection_modifyitems(items):
    """Mark GUI tests automatically (qutebrowser's conftest habit)."""
    for item in items:
        if {"qapp", "qtbot", "qtmodeltester"} & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.gui)


def pytest_configure(config):
    # Hypothesis keeps its example database and caches in ./.hypothesis, in the checkout, and starts
    # filling it while the tests are collected. Tests write only into temporary folders: give it one
    # of its own (per process, so per xdist worker), removed at the end.
    from hypothesis.configuration import set_hypothesis_home_dir

    config.stash[_HYPOTHESIS_HOME] = home = Path(tempfile.mkdtemp(prefix="dutydesk-hypothesis-"))
    set_hypothesis_home_dir(home)


def pytest_unconfigure(config):
    home = config.stash.get(_HYPOTHESIS_HOME, None)
    if home is not None:
        from hypothesis.configuration import set_hypothesis_home_dir

        set_hypothesis_home_dir(None)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path, monkeypatch):
    monkeypatch.setenv("DUTYDESK_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("DUTYDESK_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture
def shots(tmp_path):
    """Where a test saves its screenshots: the test's own temporary folder, never the checkout
    (scripts/screenshots*.py make the pictures for people, into shots/)."""
    folder = tmp_path / "shots"
    folder.mkdir()
    return folder


@pytest.fixture
def clock():
    return FixedClock(NOW)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "test.db"


@pytest.fixture
def store(db_path, clock):
    s = open_store(db_path, clock, operator="测试员")
    org.init_org(s, "panzhihua", "攀枝花市人民政府办公室", available_profiles())
    yield s
    s.close()


@pytest.fixture
def demo_store(db_path, clock):
    """The sample government of `dutydesk --demo` (desktop/store/demo.py, panzhihua rules) in a tmp database."""
    s = open_store(db_path, clock, operator="测试员")
    demo.populate(s, available_profiles())
    yield s
    s.close()


@pytest.fixture
def session(qapp, demo_store):
    """The GUI's session over the demo government (a test file may define its own `session`)."""
    from desktop.app import configure_app
    from desktop.ui.session import Session

    configure_app(qapp)
    return Session(demo_store, demo=True)
