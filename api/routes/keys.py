"""/keys: admins make, list and revoke API keys (the same as the `triage-keys` command)."""

from typing import Annotated

from fastapi import APIRouter, HTTPException, Path, Request, status

from api import keys
from api.auth import AUTH_RESPONSES, KeyRing
from api.deps import AdminDep, SessionDep
from api.limits import BODY_REFUSALS
from api.schemas import (
    DATABASE_UNAVAILABLE,
    MAX_KEY_ID,
    KeyCreate,
    KeyCreated,
    KeyPublic,
    KeysPublic,
    Message,
)

router = APIRouter(
    prefix="/keys", tags=["keys"], responses={**AUTH_RESPONSES, **DATABASE_UNAVAILABLE}
)

KeyId = Annotated[int, Path(ge=1, le=MAX_KEY_ID, description="The key's id", examples=[1])]


@router.post(
    "", status_code=status.HTTP_201_CREATED, response_model=KeyCreated, responses=BODY_REFUSALS
)
def create_key(key_in: KeyCreate, _: AdminDep, session: SessionDep) -> KeyCreated:
    """Make a key for someone; the answer is the only time the key itself is shown."""
    stored, key = keys.create_key(session=session, name=key_in.name, role=key_in.role)
    return KeyCreated(**KeyPublic.model_validate(stored).model_dump(), key=key)


@router.get("", response_model=KeysPublic)
def read_keys(_: AdminDep, session: SessionDep) -> KeysPublic:
    """Every key made so far, revoked ones included, without the keys themselves."""
    items = [KeyPublic.model_validate(k) for k in keys.list_keys(session=session)]
    return KeysPublic(items=items, total=len(items))


@router.delete(
    "/{key_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    responses={404: {"model": Message, "description": "No valid key with this id"}},
)
def revoke_key(_: AdminDep, session: SessionDep, key_id: KeyId, request: Request) -> None:
    """Revoke a key: refused at once by this worker, by the others within the cache period."""
    if not keys.revoke_key(session=session, key_id=key_id):
        raise HTTPException(status.HTTP_404_NOT_FOUND, f"No valid key {key_id}")
    ring: KeyRing = request.app.state.keys
    ring.forget(key_id)
