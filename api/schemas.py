"""Request and response bodies, named by role; their limits and examples feed /docs."""

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
)

from api.models import KEY_NAME_MAX, REQUESTER_MAX, TITLE_MAX
from api.routing import Decision

DESCRIPTION_MAX = 5000
QUERY_MAX = 200
MAX_ID = 2**63 - 1
MAX_KEY_ID = 2**31 - 1  # api_keys.id is a 32-bit INTEGER


class Department(StrEnum):
    """Where a ticket goes; `Triage` is the human queue for unsure predictions."""

    IT = "IT"
    HR = "HR"
    FINANCE = "Finance"
    FACILITIES = "Facilities"
    LEGAL = "Legal"
    TRIAGE = "Triage"


class Role(StrEnum):
    """What an API key may do; each role may do everything the one before it may.

    `requester`: create tickets, list and read their own, classify. `agent`: also list and read
    every ticket, and delete. `admin`: also manage API keys.
    """

    REQUESTER = "requester"
    AGENT = "agent"
    ADMIN = "admin"


def _storable(value: str) -> str:
    """PostgreSQL text cannot hold NUL; pydantic already refuses lone surrogates."""
    if "\x00" in value:
        raise ValueError("must not contain NUL (\\u0000) characters")
    return value


def _required(value: str) -> str:
    if not value:
        raise ValueError("must not be empty or only whitespace")
    return value


def _optional(value: str | None) -> str | None:
    return value or None  # an empty or blank optional field is the same as none


# What _storable and _required check, said in the schema for clients and fuzzers (the
# validators keep their clearer messages).
NO_NUL = r"^[^\u0000]*$"
SOME_TEXT = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"


def _clean(max_length: int) -> object:
    """A trimmed string of at most `max_length` characters that a database can store."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length),
        AfterValidator(_storable),
        Field(json_schema_extra={"pattern": NO_NUL}),
    ]


Text = Annotated[
    _clean(DESCRIPTION_MAX),
    AfterValidator(_required),
    Field(
        json_schema_extra={"pattern": SOME_TEXT},
        description=f"Free text, 1 to {DESCRIPTION_MAX} characters once trimmed",
    ),
]
Title = Annotated[_clean(TITLE_MAX) | None, AfterValidator(_optional)]
Requester = Annotated[_clean(REQUESTER_MAX) | None, AfterValidator(_optional)]
SearchText = Annotated[_clean(QUERY_MAX) | None, AfterValidator(_optional)]


class TicketCreate(BaseModel):
    """A new ticket: only the description is required."""

    model_config = ConfigDict(extra="forbid")

    title: Title = Field(None, description=f"A short summary, up to {TITLE_MAX} characters")
    description: Text
    requester: Requester = Field(None, description="Who asks (a name or an e-mail address)")


class ClassifyRequest(BaseModel):
    """A text to route without storing anything."""

    model_config = ConfigDict(extra="forbid")

    text: Text


class TermWeight(BaseModel):
    term: str
    weight: float


class RoutingDecision(BaseModel):
    """Where the text goes, which layer decided, and the terms that weighed most."""

    language: Literal["fr", "en"] = Field(description="Detected language")
    department: Department
    confidence: float = Field(
        ge=0.0, le=1.0, description="1.0 for a rule, else the model's probability"
    )
    routed_by: Literal["rule", "model", "fallback"] = Field(
        description="`rule` (a keyword matched), `model`, or `fallback` (the model was "
        "below the confidence threshold: the ticket waits in `Triage`)"
    )
    model_version: int = Field(description="The department model version loaded at the time")
    explanation: list[TermWeight] = Field(
        description="The rule's matched terms (weight 1.0), else the terms that pushed the "
        "model most towards its best guess, with their weights"
    )

    @classmethod
    def from_decision(cls, decision: Decision) -> "RoutingDecision":
        return cls(
            language=decision.language,
            department=decision.department,
            confidence=decision.confidence,
            routed_by=decision.routed_by,
            model_version=decision.model_version,
            explanation=[TermWeight(term=t, weight=w) for t, w in decision.explanation],
        )

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "language": "en",
                    "department": "IT",
                    "confidence": 0.9827,
                    "routed_by": "model",
                    "model_version": 1,
                    "explanation": [
                        {"term": "laptop", "weight": 0.6394},
                        {"term": "screen", "weight": 0.23},
                    ],
                }
            ]
        }
    )


class TicketPublic(RoutingDecision):
    """A stored ticket with its routing decision."""

    model_config = ConfigDict(
        from_attributes=True,
        json_schema_extra={
            "examples": [
                {
                    "id": 42,
                    "title": "Laptop",
                    "description": "My laptop screen is broken",
                    "requester": "priya@example.com",
                    "language": "en",
                    "department": "IT",
                    "confidence": 0.9827,
                    "routed_by": "model",
                    "model_version": 1,
                    "explanation": [{"term": "laptop", "weight": 0.6394}],
                    "created_at": "2026-01-05T09:30:00Z",
                    "owner": "priya",
                }
            ]
        },
    )

    id: int
    title: str | None
    description: str
    requester: str | None
    created_at: datetime
    owner: str | None = Field(description="The name of the API key that created the ticket")


class TicketsPublic(BaseModel):
    """One page of tickets, newest first, and how many match in all."""

    items: list[TicketPublic]
    total: int


class TicketQuery(BaseModel):
    """Paging and filters for GET /tickets; unknown parameters are refused."""

    model_config = ConfigDict(extra="forbid")

    limit: int = Field(20, ge=1, le=100, description="Page size")
    offset: int = Field(0, ge=0, le=MAX_ID, description="How many tickets to skip")
    department: Department | None = Field(None, description="Only this department")
    q: SearchText = Field(
        None, description="Words to find in the title or description (case and accents ignored)"
    )


class ModelInfo(BaseModel):
    name: str
    version: int
    sha256: str
    threshold: float = Field(description="Confidence under which tickets go to Triage")


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: bool = Field(description="Whether the database answered")
    model: ModelInfo


KeyName = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=KEY_NAME_MAX, pattern=r"^[A-Za-z0-9_.@+-]+$"
    ),
    Field(description="Who holds the key, e.g. `alice` or `chatbot`; owns their tickets"),
]


class KeyCreate(BaseModel):
    """A new API key for someone, with a role."""

    model_config = ConfigDict(extra="forbid")

    name: KeyName
    role: Role


class KeyPublic(BaseModel):
    """A stored key, without the key itself (only its sha256 is kept)."""

    model_config = ConfigDict(from_attributes=True)

    id: int
    name: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None = Field(description="When it was revoked; null while valid")


class KeyCreated(KeyPublic):
    """A new key: `key` is shown here once and cannot be read again."""

    key: str = Field(description="Send it as the X-API-Key header; store it now")


class KeysPublic(BaseModel):
    items: list[KeyPublic]
    total: int


class Message(BaseModel):
    """An error that is not about one field: {"detail": "..."}."""

    detail: str


DATABASE_UNAVAILABLE: dict[int | str, dict] = {
    503: {"model": Message, "description": "The database does not answer; retry later"}
}

TICKET_EXAMPLES = {
    "english": {
        "summary": "An English ticket",
        "value": {
            "title": "Laptop",
            "description": "My laptop screen stays black after the update",
            "requester": "priya@example.com",
        },
    },
    "french": {
        "summary": "Un ticket en français",
        "value": {
            "title": "Paie",
            "description": "Je n'ai pas reçu ma fiche de paie de mars",
            "requester": "marie.dupont@example.com",
        },
    },
    "minimal": {
        "summary": "Only the required field",
        "value": {"description": "The heating is off on the 3rd floor"},
    },
}
CLASSIFY_EXAMPLES = {
    "english": {"summary": "English", "value": {"text": "I need a copy of my payslip"}},
    "french": {"summary": "Français", "value": {"text": "Le chauffage ne marche plus au 2e"}},
}
