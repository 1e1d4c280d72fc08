"""What routes depend on, as Annotated aliases; tests swap them with dependency_overrides."""

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from api.config import Settings, get_settings
from api.routing import TicketRouter


def get_session(request: Request) -> Iterator[Session]:
    """A session for one request, from the factory the lifespan built."""
    with request.app.state.sessionmaker() as session:
        yield session


async def get_router(request: Request) -> TicketRouter:
    """The rules + model router the lifespan loaded (async: no thread hop for an attribute)."""
    return request.app.state.router


SessionDep = Annotated[Session, Depends(get_session)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
RouterDep = Annotated[TicketRouter, Depends(get_router)]
