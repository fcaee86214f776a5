"""perf16: an index on submission (enrolment_id, status) for the review queue (issue 16)

The review queue, its count, the navigation's "7 te beoordelen", the place in the queue
on the review page and "Opslaan en volgende" all ask for the submissions with one status
among a trainer's enrolments. With this index both databases start from those
enrolments instead of every submission with that status (SQLite: from 3.5 ms to 0.2 ms
for the count at 10,000 learners).

Revision ID: perf160002
Revises: audit150001
Create Date: 2026-12-01 23:30:00

"""
from alembic import op

revision = "perf160002"
down_revision = "audit150001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.create_index("ix_submission_enrolment_id_status", ["enrolment_id", "status"], unique=False)


def downgrade():
    with op.batch_alter_table("submission", schema=None) as batch_op:
        batch_op.drop_index("ix_submission_enrolment_id_status")
