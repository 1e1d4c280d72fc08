"""What routes depend on, as Annotated aliases; tests swap them with dependency_overrides."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from api.auth import Principal, require
from api.config import Settings, get_settings
from api.db import close_session
from api.routing import TicketRouter
from api.schemas import Role
from api.writer import TicketWriter


async def get_session(request: Request) -> AsyncIterator[Session]:
    """A session for one request (async: making and closing it costs no thread hop)."""
    session = request.app.state.sessionmaker()
    try:
        yield session
    finally:
        await close_session(session)


async def get_router(request: Request) -> TicketRouter:
    """The rules + model router the lifespan loaded (async: no thread hop for an attribute)."""
    return request.app.state.router


async def get_writer(request: Request) -> TicketWriter:
    """The thread that stores new tickets in batches (see api/writer.py)."""
    return request.app.state.writer


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RouterDep = Annotated[TicketRouter, Depends(get_router)]
WriterDep = Annotated[TicketWriter, Depends(get_writer)]
# The caller, once their key is known to allow at least this role (401 / 403 otherwise).
RequesterDep = Annotated[Principal, Depends(require(Role.REQUESTER))]
AgentDep = Annotated[Principal, Depends(require(Role.AGENT))]
AdminDep = Annotated[Principal, Depends(require(Role.ADMIN))]
