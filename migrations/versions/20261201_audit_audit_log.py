"""audit log: append-only audit_event table

Revision ID: audit0001
Revises: aa0864250cf3
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa

from course.models.audit import PG_GUARD_FUNCTION, PG_GUARD_TRIGGER

revision = "audit0001"
down_revision = "staff0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "audit_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=64), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.Column("actor_role", sa.String(length=32), nullable=False),
        sa.Column("subject_id", sa.Integer(), nullable=True),
        sa.Column("organisation_id", sa.Integer(), nullable=True),
        sa.Column("course_id", sa.Integer(), nullable=True),
        sa.Column("object_type", sa.String(length=40), nullable=True),
        sa.Column("object_id", sa.String(length=64), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(["actor_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["subject_id"], ["user.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["organisation_id"], ["organisation.id"], ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.create_index("ix_audit_event_created_at", ["created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_subject_id"), ["subject_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_event_organisation_id"), ["organisation_id"], unique=False)
    if op.get_bind().dialect.name == "postgresql":
        op.execute(PG_GUARD_FUNCTION)
        op.execute(PG_GUARD_TRIGGER)


def downgrade():
    with op.batch_alter_table("audit_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_event_organisation_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_subject_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_actor_id"))
        batch_op.drop_index(batch_op.f("ix_audit_event_action"))
        batch_op.drop_index("ix_audit_event_created_at")
    op.drop_table("audit_event")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION IF EXISTS audit_event_append_only()")
