"""Alembic environment: uses the connection handed over by office_core.db."""

from alembic import context
from sqlalchemy import create_engine

from office_core.config import database_url
from office_core.models import Base

config = context.config


def run_migrations() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_engine(database_url())
    with engine.begin() as fresh:
        _run(fresh)


def _run(connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
