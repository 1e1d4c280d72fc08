"""/classify: the routing decision for a text, nothing stored (the chatbot previews with it)."""

from typing import Annotated

from fastapi import APIRouter, Body

from api.deps import RouterDep
from api.schemas import CLASSIFY_EXAMPLES, ClassifyRequest, RoutingDecision

router = APIRouter(tags=["classify"])


@router.post("/classify", response_model=RoutingDecision)
def classify(
    body: Annotated[ClassifyRequest, Body(openapi_examples=CLASSIFY_EXAMPLES)],
    ticket_router: RouterDep,
) -> RoutingDecision:
    """Where this text would go and why, without creating a ticket."""
    return RoutingDecision.from_decision(ticket_router.route(body.text))
