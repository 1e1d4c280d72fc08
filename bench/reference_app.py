"""The yardstick for `make bench-api`: a bare FastAPI + SQLAlchemy ticket insert, nothing else.

Same kind of database as the service (a SQLite file with the same PRAGMAs and pool), the same
columns as its tickets table, one row inserted per POST and returned; no routing, no
validation beyond the body model. Written the plain way a small service would be: a sync
route, a Session per request from a dependency, `add` + `commit`. It accepts the service's
X-API-Key header and ignores it. Run it with `uvicorn bench.reference_app:app`; the database
is BENCH_REFERENCE_DB (default var/bench-reference.db).
"""

import os
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, HTTPException, Request
from pydantic import BaseModel, ConfigDict
from sqlalchemy import JSON, DateTime, Float, Integer, String, Text, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker


class Base(DeclarativeBase):
    pass


class Ticket(Base):
    """The service's tickets table, column for column."""

    __tablename__ = "tickets"
    __table_args__ = {"sqlite_autoincrement": True}

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    title: Mapped[str | None] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    requester: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(2))
    department: Mapped[str] = mapped_column(String(32), index=True)
    confidence: Mapped[float] = mapped_column(Float)
    routed_by: Mapped[str] = mapped_column(String(16))
    model_version: Mapped[int] = mapped_column(Integer)
    explanation: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    search_text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)


class TicketIn(BaseModel):
    title: str | None = None
    description: str
    requester: str | None = None


class TicketOut(TicketIn):
    model_config = ConfigDict(from_attributes=True)

    id: int
    language: str
    department: str
    confidence: float
    routed_by: str
    model_version: int
    explanation: list[dict[str, Any]]
    created_at: datetime


def _pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in (
        "journal_mode=WAL",
        "busy_timeout=5000",
        "foreign_keys=ON",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    path = Path(os.environ.get("BENCH_REFERENCE_DB", "var/bench-reference.db"))
    path.parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False},
        pool_size=10,
        max_overflow=20,
    )
    event.listen(engine, "connect", _pragmas)
    Base.metadata.create_all(engine)
    app.state.sessionmaker = sessionmaker(engine, expire_on_commit=False)
    yield
    engine.dispose()


app = FastAPI(lifespan=lifespan)


def get_session(request: Request) -> Iterator[Session]:
    with request.app.state.sessionmaker() as session:
        yield session


SessionDep = Annotated[Session, Depends(get_session)]


@app.post("/tickets", status_code=201, response_model=TicketOut)
def create_ticket(ticket_in: TicketIn, session: SessionDep) -> Ticket:
    ticket = Ticket(
        **ticket_in.model_dump(),
        language="en",
        department="IT",
        confidence=1.0,
        routed_by="rule",
        model_version=1,
        explanation=[],
        search_text=ticket_in.description.lower(),
        created_at=datetime.now(UTC),
    )
    session.add(ticket)
    session.commit()
    return ticket


@app.get("/tickets/{ticket_id}", response_model=TicketOut)
def read_ticket(ticket_id: int, session: SessionDep) -> Ticket:
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise HTTPException(404, f"Ticket {ticket_id} not found")
    return ticket


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
