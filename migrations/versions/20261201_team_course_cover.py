"""team: a course's cover image (course.yml `cover:` and `cover_alt:`, issue 12)

Revision ID: team0001
Revises: attendance0001
Create Date: 2026-12-01 16:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = "team0001"
down_revision = "attendance0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cover", sa.String(length=200), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("cover_alt", sa.String(length=300), nullable=False, server_default=""))


def downgrade():
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_column("cover_alt")
        batch_op.drop_column("cover")
