"""audit15: change timestamps for the API's updated_since on members and cohorts (issue 15)

Membership.updated_at (a role change), Cohort.updated_at (renamed, new dates, a learner
added or removed) and User.profile_updated_at (a new name or e-mail address). Existing
rows start at their creation time.

Revision ID: audit150001
Revises: team0001
Create Date: 2026-12-01 20:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = "audit150001"
down_revision = "team0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.add_column(sa.Column("updated_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.add_column(sa.Column("profile_updated_at", sa.DateTime(), nullable=True))
    op.execute("UPDATE membership SET updated_at = created_at")
    op.execute("UPDATE cohort SET updated_at = created_at")


def downgrade():
    with op.batch_alter_table("user", schema=None) as batch_op:
        batch_op.drop_column("profile_updated_at")
    with op.batch_alter_table("cohort", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
    with op.batch_alter_table("membership", schema=None) as batch_op:
        batch_op.drop_column("updated_at")
