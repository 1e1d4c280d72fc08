"""Service settings: one pydantic-settings object read from TRIAGE_* environment variables."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DEPARTMENT_MODEL = "ticket-department"


class Settings(BaseSettings):
    """Everything the service reads from its environment (prefix TRIAGE_)."""

    model_config = SettingsConfigDict(env_prefix="TRIAGE_", extra="ignore")

    database_url: str = Field(
        "sqlite:///var/triage.db",
        description="SQLAlchemy URL; SQLite (WAL) or postgresql+psycopg://user@host/db",
    )
    models_dir: Path = Field(Path("models"), description="Where exported models live")
    department_model_version: str = Field(
        "champion", description="A version number, `champion` or `latest`"
    )
    confidence_threshold: float | None = Field(
        None,
        ge=0.0,
        le=1.0,
        description="Overrides the model manifest's threshold for the Triage fallback",
    )
    rules_path: Path = Field(
        Path(__file__).with_name("rules.yaml"),
        description="The YAML file of keyword / regex routing rules",
    )
    migrate_on_start: bool = Field(True, description="Apply Alembic migrations at start-up")
    api_keys: SecretStr | None = Field(
        None,
        description="Development and test keys: `key=role` pairs separated by commas, accepted "
        "besides the stored keys (`triage-keys create`)",
    )
    api_key_cache_seconds: float = Field(
        10.0,
        ge=0.0,
        le=3600.0,
        description="How long a worker trusts what it read about a stored key: a key revoked "
        "elsewhere stops working within this delay",
    )
    max_body_bytes: int = Field(
        65536,
        ge=1024,
        description="Larger request bodies are refused with 413 before they are read",
    )


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests replace them through app.dependency_overrides."""
    return Settings()
