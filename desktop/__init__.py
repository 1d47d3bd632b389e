"""DutyDesk 值班报备台 — leaders' whereabouts, AB roles, leave approvals and holiday duty."""

__version__ = "0.1.0"
