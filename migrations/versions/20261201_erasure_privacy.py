"""privacy: who a kept form and a queued mail belong to, and the inactivity warning

Revision ID: erasure0001
Revises: aa0864250cf3
Create Date: 2026-12-01 10:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'erasure0001'
down_revision = "audit0001"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('form_stash', schema=None) as batch_op:
        batch_op.add_column(sa.Column('user_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_form_stash_user_id'), ['user_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_form_stash_user_id_user'), 'user', ['user_id'], ['id'],
                                    ondelete='CASCADE')

    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recipient_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_outbox_mail_recipient_id'), ['recipient_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_outbox_mail_recipient_id_user'), 'user', ['recipient_id'],
                                    ['id'], ondelete='SET NULL')

    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.add_column(sa.Column('inactivity_warned_at', sa.DateTime(), nullable=True))


def downgrade():
    with op.batch_alter_table('user', schema=None) as batch_op:
        batch_op.drop_column('inactivity_warned_at')

    with op.batch_alter_table('outbox_mail', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_outbox_mail_recipient_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_outbox_mail_recipient_id'))
        batch_op.drop_column('recipient_id')

    with op.batch_alter_table('form_stash', schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_form_stash_user_id_user'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_form_stash_user_id'))
        batch_op.drop_column('user_id')
