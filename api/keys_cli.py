"""`triage-keys`: make, list and revoke API keys in the database TRIAGE_DATABASE_URL names.

    triage-keys create --role admin --name alice   # prints the key once; only its hash is kept
    triage-keys list
    triage-keys revoke 3

The database is migrated first, so the first admin key can be made before the service runs.
"""

import argparse
import sys
from collections.abc import Sequence

from pydantic import ValidationError
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from api import keys
from api.config import get_settings
from api.db import make_engine, make_sessionmaker, safe_url
from api.migrate import MigrationError, ensure_current
from api.models import ApiKey
from api.schemas import KeyCreate, Role


def parser() -> argparse.ArgumentParser:
    cli = argparse.ArgumentParser(prog="triage-keys", description=__doc__.splitlines()[0])
    commands = cli.add_subparsers(dest="command", required=True)
    create = commands.add_parser("create", help="make a key and print it (once)")
    create.add_argument("--role", required=True, choices=[role.value for role in Role])
    create.add_argument("--name", required=True, help="who holds it, e.g. alice or chatbot")
    commands.add_parser("list", help="every key: id, name, role, created, revoked")
    revoke = commands.add_parser("revoke", help="revoke a key by its id (see list)")
    revoke.add_argument("id", type=int)
    return cli


def run(command: argparse.Namespace) -> int:
    """Carry out one parsed command against the configured database; the exit status."""
    engine = make_engine(get_settings().database_url)
    try:
        ensure_current(engine)
        with make_sessionmaker(engine)() as session:
            return COMMANDS[command.command](session, command)
    except (SQLAlchemyError, MigrationError) as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        fail(f"{safe_url(engine)}: {reason}; check TRIAGE_DATABASE_URL")
        return 1
    finally:
        engine.dispose()


def create(session: Session, command: argparse.Namespace) -> int:
    stored, key = keys.create_key(session=session, name=command.name, role=command.role)
    print(f"Created key {stored.id} for {stored.name} ({stored.role}):")
    print(key)
    print("Store it now: only its sha256 is kept. Send it as the X-API-Key header.")
    return 0


def list_(session: Session, _: argparse.Namespace) -> int:
    print_keys(keys.list_keys(session=session))
    return 0


def revoke(session: Session, command: argparse.Namespace) -> int:
    if not keys.revoke_key(session=session, key_id=command.id):
        fail(f"no valid key {command.id} (see `triage-keys list`)")
        return 1
    print(f"Revoked key {command.id}; every worker refuses it within the cache period.")
    return 0


COMMANDS = {"create": create, "list": list_, "revoke": revoke}


def fail(message: str) -> None:
    print(f"triage-keys: {message}", file=sys.stderr)


def print_keys(stored: Sequence[ApiKey]) -> None:
    print(f"{'id':>4}  {'name':<24} {'role':<10} {'created':<20} revoked")
    for key in stored:
        revoked = f"{key.revoked_at:%Y-%m-%d %H:%M:%S}" if key.revoked_at else "-"
        print(
            f"{key.id:>4}  {key.name:<24} {key.role:<10} {key.created_at:%Y-%m-%d %H:%M:%S}  "
            f"{revoked}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    cli = parser()
    command = cli.parse_args(argv)
    if command.command == "create":
        try:  # the same rules as POST /keys
            command.name = KeyCreate(name=command.name, role=command.role).name
        except ValidationError as exc:
            cli.error(f"--name {command.name!r}: {exc.errors()[0]['msg']}")
    return run(command)


if __name__ == "__main__":
    sys.exit(main())
