"""attendance: a course's live-attendance requirement, preferred dates of an in-company request

Revision ID: attendance0001
Revises: perf0001
Create Date: 2026-12-01 13:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "attendance0001"
down_revision = 'perf0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attendance_sessions", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(sa.Column("attendance_hours", sa.Integer(), nullable=False, server_default="0"))
    with op.batch_alter_table("in_company_request", schema=None) as batch_op:
        batch_op.add_column(sa.Column("preferred_dates", sa.JSON(), nullable=False, server_default="[]"))


def downgrade():
    with op.batch_alter_table("in_company_request", schema=None) as batch_op:
        batch_op.drop_column("preferred_dates")
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_column("attendance_hours")
        batch_op.drop_column("attendance_sessions")
