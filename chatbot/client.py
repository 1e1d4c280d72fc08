"""The ticket API over HTTP. Every call has a timeout; every failure is one ApiError."""

from __future__ import annotations

import os
from typing import Any

import requests

DEFAULT_URL = "http://127.0.0.1:8000"
DEFAULT_TIMEOUT = 5.0
URL_ENV = "TRIAGE_API_URL"
KEY_ENV = "TRIAGE_API_KEY"


class ApiError(Exception):
    """The API did not give a usable answer.

    `kind` is 'unreachable', 'timeout', 'http' (see `status` and `detail`) or 'invalid'.
    """

    def __init__(
        self, kind: str, message: str, status: int | None = None, detail: str = ""
    ) -> None:
        super().__init__(message)
        self.kind, self.status, self.detail = kind, status, detail

    @property
    def not_found(self) -> bool:
        return self.status == 404


class TicketClient:
    """Calls the ticket service at `base_url`; sends X-API-Key when a key is set."""

    def __init__(
        self,
        base_url: str = DEFAULT_URL,
        timeout: float = DEFAULT_TIMEOUT,
        api_key: str | None = None,
        session: requests.Session | None = None,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        self.timeout = timeout
        self.session = session or requests.Session()
        if api_key:
            self.session.headers["X-API-Key"] = api_key

    @classmethod
    def from_env(
        cls,
        base_url: str | None = None,
        timeout: float = DEFAULT_TIMEOUT,
    ) -> TicketClient:
        """URL from the argument, else $TRIAGE_API_URL, else the local default; key from env."""
        url = base_url or os.environ.get(URL_ENV) or DEFAULT_URL
        return cls(url, timeout=timeout, api_key=os.environ.get(KEY_ENV) or None)

    def health(self) -> dict[str, Any]:
        return self._json("GET", "/health")

    def classify(self, text: str) -> dict[str, Any]:
        """Where the service would route `text`, nothing stored."""
        return self._json("POST", "/classify", json={"text": text})

    def create_ticket(self, description: str, title: str | None = None) -> dict[str, Any]:
        body = {"description": description} | ({"title": title} if title else {})
        return self._json("POST", "/tickets", json=body)

    def list_tickets(
        self, department: str | None = None, limit: int = 20, offset: int = 0
    ) -> dict[str, Any]:
        """One page, newest first: {"items": [...], "total": N}."""
        params: dict[str, Any] = {"limit": limit, "offset": offset}
        if department:
            params["department"] = department
        return self._json("GET", "/tickets", params=params)

    def get_ticket(self, ticket_id: int) -> dict[str, Any]:
        return self._json("GET", f"/tickets/{int(ticket_id)}")

    def delete_ticket(self, ticket_id: int) -> None:
        self._send("DELETE", f"/tickets/{int(ticket_id)}")

    def _json(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        response = self._send(method, path, **kwargs)
        try:
            return response.json()
        except ValueError:
            raise ApiError("invalid", f"{method} {path}: the answer is not JSON") from None

    def _send(self, method: str, path: str, **kwargs: Any) -> requests.Response:
        url = self.base_url + path
        try:
            response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        except requests.Timeout:
            raise ApiError("timeout", f"{method} {url}: no answer in {self.timeout} s") from None
        except requests.RequestException as exc:
            raise ApiError("unreachable", f"{method} {url}: {type(exc).__name__}") from None
        if response.status_code >= 400:
            detail = _detail(response)
            raise ApiError(
                "http",
                f"{method} {url}: {response.status_code} {detail}",
                status=response.status_code,
                detail=detail,
            )
        return response


def _detail(response: requests.Response) -> str:
    """The error's {"detail": ...} as one line (FastAPI's 422 gives a list of problems)."""
    try:
        detail = response.json().get("detail", "")
    except (ValueError, AttributeError):
        return response.reason or ""
    if isinstance(detail, list):
        detail = "; ".join(
            str(item.get("msg", item)) if isinstance(item, dict) else str(item) for item in detail
        )
    return str(detail) or response.reason or ""
