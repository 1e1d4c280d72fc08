"""API keys (stored as sha256) and the owner of each ticket.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "api_keys",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("key_hash", sa.String(64), nullable=False, unique=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("revoked_at", sa.DateTime(timezone=True), nullable=True),
        sqlite_autoincrement=True,
    )
    # Tickets created before keys existed have no owner: agents and admins still see them.
    op.add_column("tickets", sa.Column("owner", sa.String(100), nullable=True))
    op.create_index("ix_tickets_owner", "tickets", ["owner"])


def downgrade() -> None:
    op.drop_index("ix_tickets_owner", table_name="tickets")
    with op.batch_alter_table("tickets") as batch:
        batch.drop_column("owner")
    op.drop_table("api_keys")
