"""/tickets: create (routed on the way in), list, read and delete tickets.

A requester key creates tickets and sees only its own: someone else's ticket is 404 to it,
exactly like a missing one, so ids reveal nothing. Agent and admin keys see every ticket and
may delete.
"""

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, Query, Request, Response, status

from api import crud
from api.auth import AUTH_RESPONSES, Principal
from api.deps import AgentDep, RequesterDep, RouterDep, SessionDep, WriterDep
from api.limits import BODY_REFUSALS
from api.models import Ticket
from api.schemas import (
    DATABASE_UNAVAILABLE,
    MAX_ID,
    TICKET_EXAMPLES,
    Message,
    TicketCreate,
    TicketPublic,
    TicketQuery,
    TicketsPublic,
)

router = APIRouter(
    prefix="/tickets", tags=["tickets"], responses={**AUTH_RESPONSES, **DATABASE_UNAVAILABLE}
)

TicketId = Annotated[int, Path(ge=1, le=MAX_ID, description="The ticket's id", examples=[1])]
NOT_FOUND = {404: {"model": Message, "description": "No ticket with this id"}}


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=TicketPublic, responses=BODY_REFUSALS
)
async def create_ticket(
    ticket_in: Annotated[TicketCreate, Body(openapi_examples=TICKET_EXAMPLES)],
    holder: RequesterDep,
    session: SessionDep,
    ticket_router: RouterDep,
    writer: WriterDep,
    request: Request,
    response: Response,
) -> Ticket:
    """Route a new ticket (rules, then the model, else Triage) and store it as the key's."""
    text = "\n".join(part for part in (ticket_in.title, ticket_in.description) if part)
    decision = ticket_router.route(text)  # CPU only: on the event loop, no thread hop
    ticket = crud.new_ticket(ticket_in=ticket_in, decision=decision, owner=holder.name)
    await writer.add(session, ticket)  # committed with the other tickets of its batch
    response.headers["Location"] = str(request.url_for("read_ticket", ticket_id=ticket.id))
    return ticket


@router.get("", response_model=TicketsPublic)
def read_tickets(
    holder: RequesterDep, session: SessionDep, query: Annotated[TicketQuery, Query()]
) -> TicketsPublic:
    """Tickets newest first, a page at a time, by department and words; a requester's own only."""
    owner = None if holder.sees_every_ticket else holder.name
    items, total = crud.list_tickets(session=session, query=query, owner=owner)
    return TicketsPublic(items=[TicketPublic.model_validate(t) for t in items], total=total)


@router.get("/{ticket_id}", response_model=TicketPublic, responses=NOT_FOUND)
def read_ticket(holder: RequesterDep, session: SessionDep, ticket_id: TicketId) -> Ticket:
    """One ticket by id (a requester's own only)."""
    ticket = crud.get_ticket(session=session, ticket_id=ticket_id)
    if ticket is None or not _visible(ticket, holder):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Ticket {ticket_id} not found")
    return ticket


@router.delete("/{ticket_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def delete_ticket(_: AgentDep, session: SessionDep, ticket_id: TicketId) -> None:
    """Delete a ticket (agent or admin key); it is gone for good (404 afterwards)."""
    if not crud.delete_ticket(session=session, ticket_id=ticket_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Ticket {ticket_id} not found")


def _visible(ticket: Ticket, holder: Principal) -> bool:
    return holder.sees_every_ticket or ticket.owner == holder.name
