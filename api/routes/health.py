"""/health: whether the database answers, and which model is serving."""

from fastapi import APIRouter, Response, status
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from api.deps import RouterDep, SessionDep
from api.schemas import Health, ModelInfo

router = APIRouter(tags=["health"])


@router.get(
    "/health",
    response_model=Health,
    responses={503: {"model": Health, "description": "The database does not answer"}},
)
def health(session: SessionDep, ticket_router: RouterDep, response: Response) -> Health:
    """Service status, database reachability and the loaded model's name, version and sha256."""
    try:
        session.execute(text("SELECT 1"))
        database = True
    except SQLAlchemyError:
        database = False
        response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    model = ticket_router.model
    return Health(
        status="ok" if database else "degraded",
        database=database,
        model=ModelInfo(
            name=model.name,
            version=model.version,
            sha256=model.sha256,
            threshold=ticket_router.threshold,
        ),
    )
