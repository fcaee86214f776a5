"""course authoring: drafts and published content versions (issue 11)

Revision ID: authoring0001
Revises: contentmodel0001
Create Date: 2026-12-01 13:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = "authoring0001"
down_revision = "contentmodel0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "course_version",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_slug", sa.String(length=80), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("source", sa.Enum("editor", "rollback", "load", name="ck_versionsource", native_enum=False,
                                    create_constraint=True, length=32), nullable=False),
        sa.Column("restored_number", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=300), nullable=False),
        sa.Column("published_by_id", sa.Integer(), nullable=True),
        sa.Column("published_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["published_by_id"], ["user.id"],
                                name=op.f("fk_course_version_published_by_id_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_version")),
        sa.UniqueConstraint("course_slug", "number", name=op.f("uq_course_version_course_slug_number")),
    )
    with op.batch_alter_table("course_version", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_version_course_slug"), ["course_slug"], unique=False)
    op.create_table(
        "course_version_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("version_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.ForeignKeyConstraint(["version_id"], ["course_version.id"],
                                name=op.f("fk_course_version_file_version_id_course_version"), ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_version_file")),
        sa.UniqueConstraint("version_id", "path", name=op.f("uq_course_version_file_version_id_path")),
    )
    with op.batch_alter_table("course_version_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_version_file_version_id"), ["version_id"], unique=False)
    op.create_table(
        "course_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_slug", sa.String(length=80), nullable=False),
        sa.Column("base_version_id", sa.Integer(), nullable=True),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["base_version_id"], ["course_version.id"],
                                name=op.f("fk_course_draft_base_version_id_course_version"), ondelete="SET NULL"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"], name=op.f("fk_course_draft_updated_by_id_user"),
                                ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_draft")),
        sa.UniqueConstraint("course_slug", name=op.f("uq_course_draft_course_slug")),
    )
    op.create_table(
        "course_draft_file",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("path", sa.String(length=300), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("lock_version", sa.Integer(), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["draft_id"], ["course_draft.id"],
                                name=op.f("fk_course_draft_file_draft_id_course_draft"), ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["updated_by_id"], ["user.id"],
                                name=op.f("fk_course_draft_file_updated_by_id_user"), ondelete="SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_course_draft_file")),
        sa.UniqueConstraint("draft_id", "path", name=op.f("uq_course_draft_file_draft_id_path")),
    )
    with op.batch_alter_table("course_draft_file", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_course_draft_file_draft_id"), ["draft_id"], unique=False)


def downgrade():
    with op.batch_alter_table("course_draft_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_draft_file_draft_id"))
    op.drop_table("course_draft_file")
    op.drop_table("course_draft")
    with op.batch_alter_table("course_version_file", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_version_file_version_id"))
    op.drop_table("course_version_file")
    with op.batch_alter_table("course_version", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_course_version_course_slug"))
    op.drop_table("course_version")
