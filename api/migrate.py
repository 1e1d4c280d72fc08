"""Alembic migrations, applied at start-up or by hand: `python -m api.migrate`.

Alembic is imported only when there is something to apply: a database already at HEAD
costs the start-up one query.
"""

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, inspect, text
from sqlalchemy.exc import SQLAlchemyError

from api.config import get_settings
from api.db import make_engine, safe_url

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS = Path(__file__).with_name("migrations")


class MigrationError(Exception):
    """Alembic could not bring the database to HEAD (e.g. it is at a revision we do not know)."""


HEAD = "0002"  # the newest revision under migrations/versions; a test keeps the two in step


def alembic_config() -> "Config":
    """The same configuration as api/alembic.ini, without reading a file."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


def current_revision(connection: Connection) -> str | None:
    """The revision the database is at; None before the first migration."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Bring the database to `revision` in one transaction."""
    from alembic import command
    from alembic.util.exc import CommandError

    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        try:
            command.upgrade(config, revision)
        except CommandError as exc:
            raise MigrationError(f"migrations: {exc}") from None


def ensure_current(engine: Engine) -> None:
    """Upgrade to HEAD unless the database is there already."""
    with engine.connect() as connection:
        if current_revision(connection) == HEAD:
            return
    upgrade(engine)


def main() -> int:
    engine = make_engine(get_settings().database_url)
    try:
        upgrade(engine)
    except (SQLAlchemyError, MigrationError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        print(
            f"api.migrate: {safe_url(engine)}: {reason}; check TRIAGE_DATABASE_URL", file=sys.stderr
        )
        return 1
    finally:
        engine.dispose()
    print(f"api.migrate: {safe_url(engine)} is at revision {HEAD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
