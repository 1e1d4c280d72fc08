"""A request body limit: pure ASGI middleware answering 413 before a large body is read.

A declared Content-Length over the limit is refused before the first body byte is read; a
chunked body (no Content-Length) is read up to the limit, then refused or handed on whole.
The limit is TRIAGE_MAX_BODY_BYTES, which the lifespan puts on app.state.
"""

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import schemas

DEFAULT_MAX_BODY_BYTES = 65536
# What a POST may answer before its body is validated (422 is FastAPI's own).
BODY_REFUSALS: dict[int | str, dict] = {
    400: {"model": schemas.Message, "description": "Not JSON text: bad UTF-8 or nested too deep"},
    413: {"model": schemas.Message, "description": "The body is larger than TRIAGE_MAX_BODY_BYTES"},
}


class BodySizeLimit:
    """413 JSON for request bodies larger than the app's `max_body_bytes`."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = _limit(scope)
        headers = dict(scope["headers"])
        length = headers.get(b"content-length", b"").strip()
        if length.isdigit():
            if int(length) > limit:
                await too_large(send, limit)
            else:  # the server never hands on more than the declared length
                await self.app(scope, receive, send)
            return
        if b"chunked" not in headers.get(b"transfer-encoding", b"").lower():
            await self.app(scope, receive, send)  # no body, or one the server will refuse
            return
        body = await _read_at_most(receive, limit)
        if body is None:
            await too_large(send, limit)
        else:
            await self.app(scope, _replay(body, receive), send)


async def too_large(send: Send, limit: int) -> None:
    content = json.dumps({"detail": f"Request body larger than {limit} bytes"}).encode()
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(content)).encode()),
                (b"connection", b"close"),  # the rest of the body is not worth reading
            ],
        }
    )
    await send({"type": "http.response.body", "body": content})


def _limit(scope: Scope) -> int:
    app = scope.get("app")
    return getattr(getattr(app, "state", None), "max_body_bytes", DEFAULT_MAX_BODY_BYTES)


async def _read_at_most(receive: Receive, limit: int) -> bytes | None:
    """The whole body, or None as soon as it passes `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] != "http.request":  # the client went away
            return b"".join(chunks)
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A receive channel that gives `body` in one message, then the client's next events."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if sent:
            return await receive()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replayed
