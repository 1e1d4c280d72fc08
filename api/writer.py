"""New tickets from concurrent requests, stored together: one thread, one transaction a batch.

Each POST /tickets used to take a worker thread and a transaction of its own, and its writes
waited on SQLite's single write lock, stretched by the GIL (the routing code on the event
loop holds it while a writer wants it back after every SQLite call). Here the event loop
queues the ticket and awaits it; one thread takes everything queued so far, inserts it in one
transaction and answers all those requests at once. Under load a batch holds about as many
tickets as there are requests in flight, so commits, thread hops and GIL hand-overs are paid
once a batch instead of once a ticket. Alone, a ticket is a batch of one: no waiting.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from api.models import Ticket

logger = logging.getLogger("api")
MAX_BATCH = 64
Store = Callable[..., None]  # store(*, session, tickets): one transaction


@dataclass
class _Job:
    session: Session
    ticket: Ticket
    loop: asyncio.AbstractEventLoop
    done: asyncio.Future[Ticket]


class TicketWriter:
    """Stores tickets handed over by `add` from a thread of its own, in batches."""

    def __init__(self, store: Store, max_batch: int = MAX_BATCH) -> None:
        self._store, self._max_batch = store, max_batch
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._thread = threading.Thread(target=self._run, name="ticket-writer", daemon=True)
        self._thread.start()

    async def add(self, session: Session, ticket: Ticket) -> Ticket:
        """The ticket once committed (through `session` or a batch-mate's on the same
        database), or the error that stopped its transaction."""
        loop = asyncio.get_running_loop()
        done: asyncio.Future[Ticket] = loop.create_future()
        self._jobs.put(_Job(session, ticket, loop, done))
        return await done

    def close(self) -> None:
        """Store what is queued, then stop the thread."""
        self._jobs.put(None)
        self._thread.join(timeout=30)

    def _run(self) -> None:
        while True:
            batch, stop = self._take()
            try:
                for group in _by_database(batch):
                    _answer(group, self._write(group))
            except Exception as exc:  # the thread must live on: these requests get the error
                logger.exception("ticket writer: a batch of %d failed", len(batch))
                _answer(batch, [exc] * len(batch))
            if stop:
                return

    def _take(self) -> tuple[list[_Job], bool]:
        """The next job (waiting for it) and whatever else is queued, up to the batch size."""
        first = self._jobs.get()
        if first is None:
            return [], True
        batch = [first]
        while len(batch) < self._max_batch:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                break
            if job is None:
                return batch, True
            batch.append(job)
        return batch, False

    def _write(self, group: list[_Job]) -> list[BaseException | None]:
        """One transaction for the group; if a row was at fault, each ticket on its own."""
        try:
            self._store(session=group[0].session, tickets=[job.ticket for job in group])
            return [None] * len(group)
        except OperationalError as exc:  # the database is unavailable: the same for every row
            group[0].session.rollback()
            return [exc] * len(group)
        except Exception as exc:
            group[0].session.rollback()
            if len(group) == 1:
                return [exc]
        return [self._write_one(job) for job in group]

    def _write_one(self, job: _Job) -> BaseException | None:
        try:
            self._store(session=job.session, tickets=[job.ticket])
            return None
        except Exception as exc:
            job.session.rollback()
            return exc


def _by_database(batch: Sequence[_Job]) -> list[list[_Job]]:
    """Jobs grouped by the engine their session writes to (in production: one group)."""
    groups: dict[int, list[_Job]] = {}
    for job in batch:
        groups.setdefault(id(job.session.get_bind()), []).append(job)
    return list(groups.values())


def _answer(group: list[_Job], errors: list[BaseException | None]) -> None:
    """Settle every job's future on its own event loop."""
    by_loop: dict[asyncio.AbstractEventLoop, list[tuple[_Job, BaseException | None]]] = {}
    for job, error in zip(group, errors, strict=True):
        by_loop.setdefault(job.loop, []).append((job, error))
    for loop, outcomes in by_loop.items():
        try:
            loop.call_soon_threadsafe(_settle, outcomes)
        except RuntimeError:  # that loop has closed: nobody waits for these any more
            logger.warning("ticket writer: %d answers for a closed event loop", len(outcomes))


def _settle(outcomes: list[tuple[_Job, BaseException | None]]) -> None:
    for job, error in outcomes:
        if job.done.done():  # the request was cancelled meanwhile
            continue
        if error is None:
            job.done.set_result(job.ticket)
        else:
            job.done.set_exception(error)
