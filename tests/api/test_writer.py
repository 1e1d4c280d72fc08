"""The ticket writer: tickets queued while a write runs are stored together, errors reach
exactly the requests they concern, and the thread survives them."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from api import crud
from api.db import WRITE_LOCK, make_engine, make_sessionmaker
from api.migrate import upgrade
from api.models import Ticket
from api.writer import TicketWriter


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'triage.db'}")
    upgrade(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


def ticket(description: str) -> Ticket:
    return Ticket(
        description=description,
        language="en",
        department="IT",
        confidence=1.0,
        routed_by="rule",
        model_version=1,
        explanation=[],
        search_text=description,
    )


class Recorder:
    """crud.add_tickets, noting each batch's size; fails batches holding `poison`."""

    def __init__(self, poison: str | None = None, error: Exception | None = None) -> None:
        self.batches: list[int] = []
        self.poison, self.error = poison, error

    def __call__(self, *, session: Session, tickets: list[Ticket]) -> None:
        self.batches.append(len(tickets))
        if self.error is not None:
            raise self.error
        if any(t.description == self.poison for t in tickets):
            raise ValueError("this row cannot be stored")
        crud.add_tickets(session=session, tickets=tickets)


async def add_while_writer_is_busy(
    writer: TicketWriter, sessions: sessionmaker[Session], descriptions: list[str]
) -> list[Ticket | BaseException]:
    """The first ticket's write waits on the write lock while the others queue up."""
    lock = sessions.kw["info"][WRITE_LOCK]
    with lock:
        first = asyncio.create_task(writer.add(sessions(), ticket(descriptions[0])))
        await asyncio.sleep(0.2)  # the writer has taken it and waits for the lock
        rest = [asyncio.create_task(writer.add(sessions(), ticket(d))) for d in descriptions[1:]]
        await asyncio.sleep(0.05)
    return await asyncio.gather(first, *rest, return_exceptions=True)


def stored(sessions: sessionmaker[Session]) -> int:
    with sessions() as session:
        return session.scalar(select(func.count(Ticket.id)))


def test_a_ticket_alone_is_stored_at_once(sessions: sessionmaker[Session]) -> None:
    writer = TicketWriter(crud.add_tickets)
    try:
        created = asyncio.run(writer.add(sessions(), ticket("My screen is black")))
    finally:
        writer.close()

    assert created.id == 1
    assert created.created_at is not None
    assert stored(sessions) == 1


def test_tickets_queued_during_a_write_share_the_next_transaction(
    sessions: sessionmaker[Session],
) -> None:
    recorder = Recorder()
    writer = TicketWriter(recorder)
    try:
        results = asyncio.run(add_while_writer_is_busy(writer, sessions, ["a", "b", "c", "d"]))
    finally:
        writer.close()

    assert recorder.batches == [1, 3]
    assert sorted(t.id for t in results) == [1, 2, 3, 4]
    assert [t.description for t in results] == ["a", "b", "c", "d"]
    assert stored(sessions) == 4


def test_a_row_that_fails_fails_alone(sessions: sessionmaker[Session]) -> None:
    recorder = Recorder(poison="bad")
    writer = TicketWriter(recorder)
    try:
        results = asyncio.run(add_while_writer_is_busy(writer, sessions, ["a", "b", "bad", "d"]))
    finally:
        writer.close()

    assert isinstance(results[2], ValueError)
    assert [t.description for t in (results[0], results[1], results[3])] == ["a", "b", "d"]
    assert recorder.batches == [1, 3, 1, 1, 1]  # the batch, then each of its tickets alone
    assert stored(sessions) == 3


def test_an_unavailable_database_fails_the_batch_without_retries(
    sessions: sessionmaker[Session],
) -> None:
    down = OperationalError("INSERT", {}, Exception("database is locked"))
    recorder = Recorder(error=down)
    writer = TicketWriter(recorder)
    try:
        results = asyncio.run(add_while_writer_is_busy(writer, sessions, ["a", "b", "c"]))
    finally:
        writer.close()

    assert all(result is down for result in results)
    assert recorder.batches == [1, 2]


def test_the_writer_outlives_an_unexpected_error(sessions: sessionmaker[Session]) -> None:
    class NoBind(Session):
        def get_bind(self, *args: object, **kwargs: object) -> Engine:
            raise RuntimeError("no engine")

    writer = TicketWriter(crud.add_tickets)

    async def both() -> tuple[BaseException | Ticket, Ticket]:
        broken = await asyncio.gather(writer.add(NoBind(), ticket("x")), return_exceptions=True)
        return broken[0], await writer.add(sessions(), ticket("y"))

    try:
        failed, created = asyncio.run(both())
    finally:
        writer.close()

    assert isinstance(failed, RuntimeError)
    assert created.description == "y" and stored(sessions) == 1


def test_close_stores_what_is_queued(sessions: sessionmaker[Session]) -> None:
    writer = TicketWriter(crud.add_tickets)
    lock = sessions.kw["info"][WRITE_LOCK]

    async def queue_then_close() -> None:
        with lock:
            for description in "abc":
                asyncio.ensure_future(writer.add(sessions(), ticket(description)))
            await asyncio.sleep(0.1)
            closing = asyncio.get_running_loop().run_in_executor(None, writer.close)
            await asyncio.sleep(0.1)
        await closing

    asyncio.run(queue_then_close())

    assert stored(sessions) == 3
