"""Alembic environment: always run with the connection desktop.store.server_schema passes in."""

from alembic import context

from desktop.store.tables import METADATA

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=METADATA, transaction_per_migration=True)
with context.begin_transaction():
    context.run_migrations()
