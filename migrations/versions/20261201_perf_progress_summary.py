"""progress summary per enrolment, maintained with the events (issue 16)

Revision ID: perf0001
Revises: authoring0001
Create Date: 2026-12-01 13:45:00

The rows are filled by `flask progress summarise` (run by `make run` after loading
content); until then the pages compute a missing summary on read.
"""
from alembic import op
import sqlalchemy as sa


revision = "perf0001"
down_revision = 'authoring0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "progress_summary",
        sa.Column("enrolment_id", sa.Integer(), nullable=False),
        sa.Column("cells", sa.JSON(), nullable=False),
        sa.Column("last_event_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["enrolment_id"], ["enrolment.id"],
                                name=op.f("fk_progress_summary_enrolment_id_enrolment"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("enrolment_id", name=op.f("pk_progress_summary")),
    )


def downgrade():
    op.drop_table("progress_summary")
