"""course staff: course authors, and whether course trainers see in-company cohorts

Revision ID: staff0001
Revises: aa0864250cf3
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "staff0001"
down_revision = "aa0864250cf3"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "course_author",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["course.id"], name=op.f("fk_course_author_course_id_course"),
                                ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user.id"], name=op.f("fk_course_author_user_id_user"),
                                ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("course_id", "user_id", name=op.f("pk_course_author")),
    )
    with op.batch_alter_table("course_author", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_author_user_id"), ["user_id"], unique=False)
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.add_column(sa.Column("course_trainers_see_cohorts", sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade():
    with op.batch_alter_table("course", schema=None) as batch_op:
        batch_op.drop_column("course_trainers_see_cohorts")
    with op.batch_alter_table("course_author", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_author_user_id"))
    op.drop_table("course_author")
