"""trainer overrides; per-course workbook name

Revision ID: overrides0001
Revises: aa0864250cf3
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


revision = 'overrides0001'
down_revision = "worker0001"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('override',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('extra_attempts', 'lift_cooldown', 'reopen_assignment', 'move_due_date', name='ck_overridekind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('amount', sa.Integer(), nullable=True),
    sa.Column('new_date', sa.Date(), nullable=True),
    sa.Column('previous_date', sa.Date(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.Column('revoked_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('amount IS NULL OR amount >= 1', name=op.f('ck_override_amount_positive')),
    sa.ForeignKeyConstraint(['actor_id'], ['user.id'], name=op.f('fk_override_actor_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_override_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['course_module.id'], name=op.f('fk_override_module_id_course_module')),
    sa.ForeignKeyConstraint(['revoked_by_id'], ['user.id'], name=op.f('fk_override_revoked_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_override'))
    )
    with op.batch_alter_table('override', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_override_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_override_public_id'), ['public_id'], unique=True)

    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.add_column(sa.Column('workbook_title', sa.String(length=120), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('workbook_subtitle', sa.String(length=200), nullable=False, server_default=''))


def downgrade():
    with op.batch_alter_table('course', schema=None) as batch_op:
        batch_op.drop_column('workbook_subtitle')
        batch_op.drop_column('workbook_title')

    with op.batch_alter_table('override', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_override_public_id'))
        batch_op.drop_index(batch_op.f('ix_override_enrolment_id'))

    op.drop_table('override')
