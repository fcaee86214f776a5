"""team plan and follow-up (issue 14): the cohort's shared protocol with sharing consent, check-ins after the course

Revision ID: teamplan0001
Revises: oidc0001
Create Date: 2026-12-01 13:14:50.926974

"""
from alembic import op
import sqlalchemy as sa


revision = 'teamplan0001'
down_revision = 'oidc0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('followup_opt_out',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_followup_opt_out_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_followup_opt_out'))
    )
    op.create_table('team_plan',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=False),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('intro_md', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('draft', 'published', name='ck_teamplanstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('published_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_team_plan_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_team_plan_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_plan')),
    sa.UniqueConstraint('cohort_id', name=op.f('uq_team_plan_cohort_id'))
    )
    with op.batch_alter_table('team_plan', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_plan_public_id'), ['public_id'], unique=True)

    op.create_table('followup_checkin',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('stage', sa.Enum('day30', 'day90', name='ck_checkinstage', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('sent_at', sa.DateTime(), nullable=False),
    sa.Column('answered_at', sa.DateTime(), nullable=True),
    sa.Column('plan_md', sa.Text(), nullable=False),
    sa.Column('goal_md', sa.Text(), nullable=False),
    sa.Column('success_md', sa.Text(), nullable=False),
    sa.Column('obstacles_md', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_followup_checkin_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_followup_checkin')),
    sa.UniqueConstraint('enrolment_id', 'stage', name=op.f('uq_followup_checkin_enrolment_id_stage'))
    )
    with op.batch_alter_table('followup_checkin', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_checkin_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_checkin_public_id'), ['public_id'], unique=True)

    op.create_table('team_plan_consent',
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('given_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_team_plan_consent_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enrolment_id', name=op.f('pk_team_plan_consent'))
    )
    op.create_table('team_plan_entry',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('plan_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('field_id', sa.String(length=80), nullable=False),
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('chosen_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_team_plan_entry_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['module_id'], ['course_module.id'], name=op.f('fk_team_plan_entry_module_id_course_module'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['plan_id'], ['team_plan.id'], name=op.f('fk_team_plan_entry_plan_id_team_plan'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_team_plan_entry')),
    sa.UniqueConstraint('plan_id', 'module_id', 'field_id', name=op.f('uq_team_plan_entry_plan_id_module_id_field_id'))
    )
    with op.batch_alter_table('team_plan_entry', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_team_plan_entry_enrolment_id'), ['enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_team_plan_entry_plan_id'), ['plan_id'], unique=False)



def downgrade():
    with op.batch_alter_table('team_plan_entry', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_plan_entry_plan_id'))
        batch_op.drop_index(batch_op.f('ix_team_plan_entry_enrolment_id'))

    op.drop_table('team_plan_entry')
    op.drop_table('team_plan_consent')
    with op.batch_alter_table('followup_checkin', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_followup_checkin_public_id'))
        batch_op.drop_index(batch_op.f('ix_followup_checkin_enrolment_id'))

    op.drop_table('followup_checkin')
    with op.batch_alter_table('team_plan', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_team_plan_public_id'))

    op.drop_table('team_plan')
    op.drop_table('followup_opt_out')
