"""API keys at rest: made here, stored as a sha256, listed, looked up and revoked.

Keys are 32 random bytes from `secrets`, so a plain sha256 is enough: a slow password hash
(bcrypt, argon2) protects guessable secrets from brute force, and 256 bits are not guessable.
A fast hash keeps the check off the hot path: one dict or index lookup per request.
"""

import hashlib
import re
import secrets
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from api.db import writing
from api.models import ApiKey, utc_now

PREFIX = "tt_"  # tells a ticket-triage key apart in a config file or a leaked log
_GENERATED = re.compile(r"^tt_[A-Za-z0-9_-]{43}$")


def generate_key() -> str:
    """A new key: the prefix and 32 random bytes, URL-safe base64 (46 characters in all)."""
    return PREFIX + secrets.token_urlsafe(32)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def looks_generated(key: str) -> bool:
    """Whether `key` has the shape of a generated key; other strings need no database look-up."""
    return _GENERATED.match(key) is not None


def create_key(*, session: Session, name: str, role: str) -> tuple[ApiKey, str]:
    """Store a new key's hash; the key itself is returned once and never stored."""
    key = generate_key()
    api_key = ApiKey(name=name, role=role, key_hash=hash_key(key))
    with writing(session):
        session.add(api_key)
        session.commit()
    return api_key, key


def list_keys(*, session: Session) -> Sequence[ApiKey]:
    """Every key ever made, oldest first, revoked ones included."""
    return session.scalars(select(ApiKey).order_by(ApiKey.id)).all()


def find_active_key(*, session: Session, key_hash: str) -> ApiKey | None:
    return session.scalar(
        select(ApiKey).where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
    )


def revoke_key(*, session: Session, key_id: int) -> bool:
    """Revoke in one statement; False when there is no such key or it was revoked already."""
    with writing(session):
        result = session.execute(
            update(ApiKey)
            .where(ApiKey.id == key_id, ApiKey.revoked_at.is_(None))
            .values(revoked_at=utc_now())
        )
        session.commit()
    return result.rowcount > 0
