"""Ticket storage: keyword-only functions over a Session, one short transaction each."""

from collections.abc import Sequence

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from api.db import writing
from api.models import Ticket
from api.routing import Decision
from api.schemas import TicketCreate, TicketQuery
from textclf import fold


def new_ticket(*, ticket_in: TicketCreate, decision: Decision, owner: str | None = None) -> Ticket:
    """The row for a routed ticket, not stored yet (api.writer stores it)."""
    return Ticket(
        owner=owner,
        title=ticket_in.title,
        description=ticket_in.description,
        requester=ticket_in.requester,
        language=decision.language,
        department=decision.department,
        confidence=decision.confidence,
        routed_by=decision.routed_by,
        model_version=decision.model_version,
        explanation=[{"term": t, "weight": w} for t, w in decision.explanation],
        search_text=fold(f"{ticket_in.title or ''} {ticket_in.description}"),
    )


def add_tickets(*, session: Session, tickets: Sequence[Ticket]) -> None:
    """Insert the tickets in one transaction; their values (ids too) stay loaded after commit."""
    with writing(session):
        session.add_all(tickets)
        session.commit()


def get_ticket(*, session: Session, ticket_id: int) -> Ticket | None:
    return session.get(Ticket, ticket_id)


def list_tickets(
    *, session: Session, query: TicketQuery, owner: str | None = None
) -> tuple[Sequence[Ticket], int]:
    """One page of matching tickets (only `owner`'s if given), newest first, and the count."""
    matching = _filtered(select(Ticket), query, owner)
    page = matching.order_by(Ticket.created_at.desc(), Ticket.id.desc())
    items = session.scalars(page.limit(query.limit).offset(query.offset)).all()
    total = session.scalar(_filtered(select(func.count(Ticket.id)), query, owner))
    return items, total or 0


def delete_ticket(*, session: Session, ticket_id: int) -> bool:
    """Delete in one statement; False when there was no such ticket."""
    with writing(session):
        result = session.execute(delete(Ticket).where(Ticket.id == ticket_id))
        session.commit()
    return result.rowcount > 0


def _filtered(statement: Select, query: TicketQuery, owner: str | None) -> Select:
    if owner is not None:
        statement = statement.where(Ticket.owner == owner)
    if query.department is not None:
        statement = statement.where(Ticket.department == query.department.value)
    if query.q:
        for word in fold(query.q).split():
            statement = statement.where(Ticket.search_text.contains(word, autoescape=True))
    return statement
