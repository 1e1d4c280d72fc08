"""Alembic environment: the service passes its connection; the CLI connects from settings."""

from alembic import context
from sqlalchemy import Connection

from api.config import get_settings
from api.db import make_engine
from api.models import Base


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


def main() -> None:
    if context.is_offline_mode():
        context.configure(
            url=get_settings().database_url, target_metadata=Base.metadata, literal_binds=True
        )
        with context.begin_transaction():
            context.run_migrations()
        return
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run(connection)
        return
    engine = make_engine(get_settings().database_url)
    try:
        with engine.begin() as connection:
            run(connection)
    finally:
        engine.dispose()


main()
