"""The tables, as SQLAlchemy 2 declarative models; Alembic migrations create them."""

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    DateTime,
    Float,
    Integer,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

TITLE_MAX = 200
REQUESTER_MAX = 200
KEY_NAME_MAX = 100


class UTCDateTime(TypeDecorator):
    """Aware UTC datetimes in and out, also on SQLite, which stores them naive."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and dialect.name == "sqlite":
            return value.astimezone(UTC).replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utc_now() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    pass


class Ticket(Base):
    """A helpdesk ticket and the routing decision taken when it was created."""

    __tablename__ = "tickets"
    # AUTOINCREMENT on SQLite: a deleted ticket's id is never handed out again.
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    title: Mapped[str | None] = mapped_column(String(TITLE_MAX))
    description: Mapped[str] = mapped_column(Text)
    requester: Mapped[str | None] = mapped_column(String(REQUESTER_MAX))
    language: Mapped[str] = mapped_column(String(2))
    department: Mapped[str] = mapped_column(String(32), index=True)
    confidence: Mapped[float] = mapped_column(Float)
    routed_by: Mapped[str] = mapped_column(String(16))
    model_version: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    # Folded title + description (lower-case, no accents): what `q` searches.
    search_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now, index=True)
    # The name of the API key that created it: requesters see only their own tickets.
    owner: Mapped[str | None] = mapped_column(String(KEY_NAME_MAX), index=True)


class ApiKey(Base):
    """An API key: only its sha256 is stored, next to who holds it and what it may do."""

    __tablename__ = "api_keys"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(KEY_NAME_MAX))
    role: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utc_now)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
