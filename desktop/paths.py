"""Where DutyDesk keeps its files (platform conventions; overridable for tests and portable use).

Windows: %LOCALAPPDATA%\\DutyDesk (data) and %APPDATA%\\DutyDesk (settings);
Linux: ~/.local/share/DutyDesk and ~/.config/DutyDesk; macOS: ~/Library/Application Support/DutyDesk.
DUTYDESK_DATA_DIR / DUTYDESK_CONFIG_DIR override them.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP = "DutyDesk"
DB_NAME = "dutydesk.db"


def data_dir() -> Path:
    override = os.environ.get("DUTYDESK_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP, appauthor=False))


def config_dir() -> Path:
    override = os.environ.get("DUTYDESK_CONFIG_DIR")
    return Path(override) if override else Path(platformdirs.user_config_dir(APP, appauthor=False, roaming=True))


def default_db_path() -> Path:
    return data_dir() / DB_NAME
