"""Errors as JSON: a start-up failure as one line, database outages as 503, bugs as a bare 500."""

import json
import logging
import sys
from typing import Any

from fastapi import FastAPI, Request
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import OperationalError
from starlette.types import ASGIApp, Message, Receive, Scope, Send

logger = logging.getLogger("api")


class StartupError(Exception):
    """The service cannot start; the message is one line saying what to do."""


class OneLineStartupFailure:
    """ASGI middleware: uvicorn prints a StartupError as its message, not as a traceback.

    Starlette reports a failing lifespan with the formatted traceback; uvicorn logs that text.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self.app(scope, receive, send)
            return

        async def send_one_line(message: Message) -> None:
            error = sys.exc_info()[1]  # set: Starlette sends the failure from its except block
            if message["type"] == "lifespan.startup.failed" and isinstance(error, StartupError):
                message = {**message, "message": f"Cannot start: {error}"}
            await send(message)

        await self.app(scope, receive, send_one_line)


async def database_unavailable(request: Request, exc: Exception) -> JSONResponse:
    logger.error(
        "database error on %s %s: %s",
        request.method,
        request.url.path,
        str(exc).splitlines()[0] if str(exc) else type(exc).__name__,
    )
    return JSONResponse(
        {"detail": "The database is unavailable; try again later."},
        status_code=503,
        headers={"Retry-After": "1"},
    )


class EscapedJSONResponse(JSONResponse):
    """JSON in ASCII: an echoed lone surrogate (`"\\ud800"` in a body) stays escaped."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=True, separators=(",", ":")).encode()


async def invalid_request(request: Request, exc: RequestValidationError) -> JSONResponse:
    """FastAPI's usual 422, but never a 500 for input UTF-8 cannot encode."""
    return EscapedJSONResponse({"detail": jsonable_encoder(exc.errors())}, status_code=422)


async def internal_error(request: Request, exc: Exception) -> JSONResponse:
    """No internals in the answer; the server logs the traceback after this handler."""
    logger.error("unhandled %s on %s %s", type(exc).__name__, request.method, request.url.path)
    return JSONResponse({"detail": "Internal server error."}, status_code=500)


def install(app: FastAPI) -> None:
    app.add_exception_handler(OperationalError, database_unavailable)
    app.add_exception_handler(RequestValidationError, invalid_request)
    app.add_exception_handler(Exception, internal_error)
    app.add_middleware(OneLineStartupFailure)
