"""Who is calling: the X-API-Key header, its role, and what that role may do.

Keys come from two places: TRIAGE_API_KEYS (`key=role` pairs, for development and tests),
held in a dict, and the api_keys table (`triage-keys`, `POST /keys`), read through a
per-worker cache whose entries live `api_key_cache_seconds`. A request with a known key
costs a sha256 and a dict look-up; the database is asked once per key and cache period.
"""

import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import HTTPException, Request, Security, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader
from sqlalchemy.orm import Session, sessionmaker

from api import keys
from api.config import Settings
from api.errors import StartupError
from api.schemas import Message, Role

HEADER = "X-API-Key"
CACHE_MAX_ENTRIES = 10_000  # wrong keys are cached too; a flood of them only empties the cache
_RANK = {Role.REQUESTER: 0, Role.AGENT: 1, Role.ADMIN: 2}
_ROLE_NAMES = {role.value for role in Role}

api_key_header = APIKeyHeader(
    name=HEADER,
    auto_error=False,
    description="An API key: `triage-keys create --role ... --name ...` makes one",
)

AUTH_RESPONSES: dict[int | str, dict[str, Any]] = {
    401: {"model": Message, "description": f"No {HEADER} header, or an unknown or revoked key"},
    403: {"model": Message, "description": "The key's role may not do this"},
}


@dataclass(frozen=True)
class Principal:
    """The holder of a valid key: tickets are owned by `name`."""

    name: str
    role: Role
    key_id: int | None = None  # None for a TRIAGE_API_KEYS key

    def may(self, role: Role) -> bool:
        """Whether this key may do what `role` may (roles are cumulative)."""
        return _RANK[self.role] >= _RANK[role]

    @property
    def sees_every_ticket(self) -> bool:
        return self.may(Role.AGENT)


def parse_env_keys(text: str) -> dict[str, Principal]:
    """`key=role,key=role` as {sha256 of key: holder}; ValueError says which pair is wrong."""
    holders: dict[str, Principal] = {}
    for position, pair in enumerate(text.split(","), start=1):
        if not pair.strip():
            continue
        key, _, role = pair.strip().rpartition("=")
        if not key.strip() or role.strip() not in _ROLE_NAMES:
            roles = ", ".join(Role)
            raise ValueError(f"pair {position} is not `key=role` with a role among {roles}")
        digest = keys.hash_key(key.strip())
        holders[digest] = Principal(name=f"env-{digest[:8]}", role=Role(role.strip()))
    return holders


class KeyRing:
    """Every key this worker accepts: env keys for good, stored keys for a short while."""

    def __init__(
        self,
        env_keys: dict[str, Principal],
        ttl: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.env_keys, self.ttl, self.clock = env_keys, ttl, clock
        self._cache: dict[str, tuple[Principal | None, float]] = {}

    def cached(self, digest: str) -> tuple[bool, Principal | None]:
        """(known, holder) without I/O; known is False when the database must be asked."""
        if digest in self.env_keys:
            return True, self.env_keys[digest]
        entry = self._cache.get(digest)
        if entry is None or entry[1] <= self.clock():
            return False, None
        return True, entry[0]

    def load(self, sessions: sessionmaker[Session], digest: str) -> Principal | None:
        """Ask the database about a stored key, and remember the answer for `ttl` seconds."""
        with sessions() as session:
            stored = keys.find_active_key(session=session, key_hash=digest)
            holder = None
            if stored is not None:
                holder = Principal(name=stored.name, role=Role(stored.role), key_id=stored.id)
        if self.ttl > 0:
            if len(self._cache) >= CACHE_MAX_ENTRIES:
                self._cache.clear()
            self._cache[digest] = (holder, self.clock() + self.ttl)
        return holder

    def forget(self, key_id: int) -> None:
        """Drop a revoked key at once in this worker (other workers: within `ttl`)."""
        for digest, (holder, _) in list(self._cache.items()):
            if holder is not None and holder.key_id == key_id:
                self._cache.pop(digest, None)


def build_keyring(settings: Settings) -> KeyRing:
    """The lifespan's key ring; a malformed TRIAGE_API_KEYS stops the start."""
    text = settings.api_keys.get_secret_value() if settings.api_keys else ""
    try:
        env_keys = parse_env_keys(text)
    except ValueError as exc:
        raise StartupError(
            f"TRIAGE_API_KEYS: {exc}; e.g. `dev-key-1=admin,dev-key-2=requester`"
        ) from None
    return KeyRing(env_keys, settings.api_key_cache_seconds)


async def authenticate(
    request: Request, key: Annotated[str | None, Security(api_key_header)]
) -> Principal:
    """The caller, or 401 (async: a cached key needs no thread hop)."""
    if not key:
        raise _unauthorized(f"Missing {HEADER} header: every endpoint but /health needs a key")
    ring: KeyRing = request.app.state.keys
    digest = keys.hash_key(key)
    known, holder = ring.cached(digest)
    if not known and keys.looks_generated(key):
        holder = await run_in_threadpool(ring.load, request.app.state.sessionmaker, digest)
    if holder is None:
        raise _unauthorized("Unknown or revoked API key")
    return holder


def require(role: Role) -> Callable[..., Coroutine[Any, Any, Principal]]:
    """A dependency: the caller, if their key may do what `role` may; else 403."""

    async def allowed(holder: Annotated[Principal, Security(authenticate)]) -> Principal:
        if not holder.may(role):
            raise HTTPException(
                status.HTTP_403_FORBIDDEN,
                f"This needs a {role} key or above; yours is a {holder.role} key",
            )
        return holder

    return allowed


def _unauthorized(detail: str) -> HTTPException:
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail, headers={"WWW-Authenticate": "ApiKey"}
    )
