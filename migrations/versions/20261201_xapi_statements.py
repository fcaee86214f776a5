"""xapi: the outbox of learning records for an LRS

Revision ID: xapi0001
Revises: aa0864250cf3
Create Date: 2026-12-01 11:30:00

"""
import sqlalchemy as sa
from alembic import op

revision = "xapi0001"
down_revision = "api0001"
branch_labels = None
depends_on = None

STATUS = sa.Enum("queued", "sent", "failed", name="ck_xapistatus", native_enum=False,
                 create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "xapi_statement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("statement_id", sa.String(length=36), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=32), nullable=False),
        sa.Column("verb", sa.String(length=40), nullable=False),
        sa.Column("statement", sa.JSON(), nullable=False),
        sa.Column("status", STATUS, nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_xapi_statement_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_xapi_statement")),
        sa.UniqueConstraint("statement_id", name=op.f("uq_xapi_statement_statement_id")),
    )
    with op.batch_alter_table("xapi_statement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_xapi_statement_user_id"), ["user_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_xapi_statement_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_xapi_statement_next_attempt_at"), ["next_attempt_at"], unique=False)


def downgrade():
    op.drop_table("xapi_statement")
