"""Service settings: one pydantic-settings object read from TRIAGE_* environment variables."""

from functools import lru_cache
from pathlib import Path

from pydantic import Field
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


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings; tests replace them through app.dependency_overrides."""
    return Settings()
