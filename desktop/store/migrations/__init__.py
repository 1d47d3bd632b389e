"""Alembic's scripts for server databases (desktop.store.server_schema runs them; no alembic.ini needed)."""
