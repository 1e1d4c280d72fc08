"""/tickets: create (routed on the way in), list, read and delete tickets."""

from typing import Annotated

from fastapi import APIRouter, Body, HTTPException, Path, Query, Request, Response, status

from api import crud
from api.deps import RouterDep, SessionDep
from api.models import Ticket
from api.schemas import (
    MAX_ID,
    TICKET_EXAMPLES,
    Message,
    TicketCreate,
    TicketPublic,
    TicketQuery,
    TicketsPublic,
)

router = APIRouter(prefix="/tickets", tags=["tickets"])

TicketId = Annotated[int, Path(ge=1, le=MAX_ID, description="The ticket's id", examples=[1])]
NOT_FOUND = {404: {"model": Message, "description": "No ticket with this id"}}


@router.post("", status_code=status.HTTP_201_CREATED, response_model=TicketPublic)
def create_ticket(
    ticket_in: Annotated[TicketCreate, Body(openapi_examples=TICKET_EXAMPLES)],
    session: SessionDep,
    ticket_router: RouterDep,
    request: Request,
    response: Response,
) -> Ticket:
    """Route a new ticket (rules, then the model, else Triage) and store it."""
    text = "\n".join(part for part in (ticket_in.title, ticket_in.description) if part)
    decision = ticket_router.route(text)
    ticket = crud.create_ticket(session=session, ticket_in=ticket_in, decision=decision)
    response.headers["Location"] = str(request.url_for("read_ticket", ticket_id=ticket.id))
    return ticket


@router.get("", response_model=TicketsPublic)
def read_tickets(session: SessionDep, query: Annotated[TicketQuery, Query()]) -> TicketsPublic:
    """Tickets newest first, a page at a time, filtered by department and words."""
    items, total = crud.list_tickets(session=session, query=query)
    return TicketsPublic(items=[TicketPublic.model_validate(t) for t in items], total=total)


@router.get("/{ticket_id}", response_model=TicketPublic, responses=NOT_FOUND)
def read_ticket(session: SessionDep, ticket_id: TicketId) -> Ticket:
    """One ticket by id."""
    ticket = crud.get_ticket(session=session, ticket_id=ticket_id)
    if ticket is None:
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Ticket {ticket_id} not found")
    return ticket


@router.delete("/{ticket_id}", status_code=status.HTTP_204_NO_CONTENT, responses=NOT_FOUND)
def delete_ticket(session: SessionDep, ticket_id: TicketId) -> None:
    """Delete a ticket; it is gone for good (404 afterwards)."""
    if not crud.delete_ticket(session=session, ticket_id=ticket_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"Ticket {ticket_id} not found")
