"""worker: scheduled runs, mail expiry, cancelled mail

Revision ID: worker0001
Revises: aa0864250cf3
Create Date: 2026-12-01 10:00:00

"""
import sqlalchemy as sa
from alembic import op

revision = "worker0001"
down_revision = "erasure0001"
branch_labels = None
depends_on = None

OLD_STATUS = sa.Enum("queued", "sent", "failed", name="ck_mailstatus", native_enum=False,
                     create_constraint=True, length=32)
NEW_STATUS = sa.Enum("queued", "sent", "failed", "cancelled", name="ck_mailstatus", native_enum=False,
                     create_constraint=True, length=32)


def upgrade():
    op.create_table(
        "scheduled_run",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=60), nullable=False),
        sa.Column("period", sa.String(length=20), nullable=False),
        sa.Column("worker", sa.String(length=120), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scheduled_run")),
        sa.UniqueConstraint("job", "period", name=op.f("uq_scheduled_run_job_period")),
    )
    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        batch_op.add_column(sa.Column("expires_at", sa.DateTime(), nullable=True))
        batch_op.alter_column("status", existing_type=OLD_STATUS, type_=NEW_STATUS, existing_nullable=False)


def downgrade():
    op.execute("UPDATE outbox_mail SET status = 'failed' WHERE status = 'cancelled'")
    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        batch_op.alter_column("status", existing_type=NEW_STATUS, type_=OLD_STATUS, existing_nullable=False)
        batch_op.drop_column("expires_at")
    op.drop_table("scheduled_run")
