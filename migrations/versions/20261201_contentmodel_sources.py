"""content model: keep the sources of the course files, so a course can be exported

Revision ID: contentmodel0001
Revises: discussion0001
Create Date: 2026-12-01 13:45:00

"""
from alembic import op
import sqlalchemy as sa


revision = "contentmodel0001"
down_revision = 'discussion0001'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(sa.Column("course_file", sa.JSON(), nullable=True))
    with op.batch_alter_table("course_module", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reading_md", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("media", sa.JSON(), nullable=True))


def downgrade():
    with op.batch_alter_table("course_module", schema=None) as batch_op:
        batch_op.drop_column("media")
        batch_op.drop_column("reading_md")
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_column("course_file")
