"""/classify: the routing decision for a text, nothing stored (the chatbot previews with it)."""

from typing import Annotated

from fastapi import APIRouter, Body

from api.auth import AUTH_RESPONSES
from api.deps import RequesterDep, RouterDep
from api.limits import BODY_REFUSALS
from api.schemas import CLASSIFY_EXAMPLES, ClassifyRequest, RoutingDecision

router = APIRouter(tags=["classify"], responses={**AUTH_RESPONSES, **BODY_REFUSALS})


@router.post("/classify", response_model=RoutingDecision)
async def classify(
    body: Annotated[ClassifyRequest, Body(openapi_examples=CLASSIFY_EXAMPLES)],
    _: RequesterDep,
    ticket_router: RouterDep,
) -> RoutingDecision:
    """Where this text would go and why, without creating a ticket."""
    return RoutingDecision.from_decision(ticket_router.route(body.text))
