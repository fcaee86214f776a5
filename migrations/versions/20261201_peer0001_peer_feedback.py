"""peer feedback (issue 14): settings per cohort or course, consent, allocated reviews, workbook choice

Revision ID: peer0001
Revises: sessions0001
Create Date: 2026-12-01 13:21:14.119486

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'peer0001'
down_revision = 'sessions0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('peer_setting',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('pool_key', sa.String(length=40), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('enabled', sa.Boolean(), nullable=False),
    sa.Column('reviews_per_learner', sa.Integer(), nullable=False),
    sa.Column('anonymous', sa.Boolean(), nullable=False),
    sa.Column('use_rubric', sa.Boolean(), nullable=False),
    sa.Column('module_ids', sa.JSON(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('reviews_per_learner BETWEEN 1 AND 5', name=op.f('ck_peer_setting_reviews_per_learner_range')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_peer_setting_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_peer_setting_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['updated_by_id'], ['user.id'], name=op.f('fk_peer_setting_updated_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_setting')),
    sa.UniqueConstraint('pool_key', name=op.f('uq_peer_setting_pool_key'))
    )
    with op.batch_alter_table('peer_setting', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peer_setting_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_setting_course_id'), ['course_id'], unique=False)

    op.create_table('peer_preference',
    sa.Column('enrolment_id', sa.Integer(), nullable=False),
    sa.Column('show_in_workbook', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['enrolment_id'], ['enrolment.id'], name=op.f('fk_peer_preference_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('enrolment_id', name=op.f('pk_peer_preference'))
    )
    op.create_table('peer_consent',
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('consented', sa.Boolean(), nullable=False),
    sa.Column('decided_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_peer_consent_submission_id_submission'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('submission_id', name=op.f('pk_peer_consent'))
    )
    op.create_table('peer_review',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('setting_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('reviewer_enrolment_id', sa.Integer(), nullable=False),
    sa.Column('author_enrolment_id', sa.Integer(), nullable=False),
    sa.Column('submission_id', sa.Integer(), nullable=False),
    sa.Column('version_id', sa.Integer(), nullable=False),
    sa.Column('slot', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('assigned', 'given', name='ck_peerreviewstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('strengths', sa.Text(), nullable=False),
    sa.Column('improvements', sa.Text(), nullable=False),
    sa.Column('rubric_levels', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('given_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('reviewer_enrolment_id <> author_enrolment_id', name=op.f('ck_peer_review_not_own_work')),
    sa.CheckConstraint('slot >= 1', name=op.f('ck_peer_review_slot_positive')),
    sa.ForeignKeyConstraint(['author_enrolment_id'], ['enrolment.id'], name=op.f('fk_peer_review_author_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user.id'], name=op.f('fk_peer_review_hidden_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['module_id'], ['course_module.id'], name=op.f('fk_peer_review_module_id_course_module')),
    sa.ForeignKeyConstraint(['reviewer_enrolment_id'], ['enrolment.id'], name=op.f('fk_peer_review_reviewer_enrolment_id_enrolment'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['setting_id'], ['peer_setting.id'], name=op.f('fk_peer_review_setting_id_peer_setting'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['submission_id'], ['submission.id'], name=op.f('fk_peer_review_submission_id_submission'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['version_id'], ['submission_version.id'], name=op.f('fk_peer_review_version_id_submission_version'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_peer_review')),
    sa.UniqueConstraint('reviewer_enrolment_id', 'module_id', 'slot', name=op.f('uq_peer_review_reviewer_enrolment_id_module_id_slot')),
    sa.UniqueConstraint('reviewer_enrolment_id', 'submission_id', name=op.f('uq_peer_review_reviewer_enrolment_id_submission_id'))
    )
    with op.batch_alter_table('peer_review', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_peer_review_author_enrolment_id'), ['author_enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_review_module_id'), ['module_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_review_public_id'), ['public_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_peer_review_reviewer_enrolment_id'), ['reviewer_enrolment_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_review_setting_id'), ['setting_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_review_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_peer_review_submission_id'), ['submission_id'], unique=False)



def downgrade():
    with op.batch_alter_table('peer_review', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peer_review_submission_id'))
        batch_op.drop_index(batch_op.f('ix_peer_review_status'))
        batch_op.drop_index(batch_op.f('ix_peer_review_setting_id'))
        batch_op.drop_index(batch_op.f('ix_peer_review_reviewer_enrolment_id'))
        batch_op.drop_index(batch_op.f('ix_peer_review_public_id'))
        batch_op.drop_index(batch_op.f('ix_peer_review_module_id'))
        batch_op.drop_index(batch_op.f('ix_peer_review_author_enrolment_id'))

    op.drop_table('peer_review')
    op.drop_table('peer_consent')
    op.drop_table('peer_preference')
    with op.batch_alter_table('peer_setting', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_peer_setting_course_id'))
        batch_op.drop_index(batch_op.f('ix_peer_setting_cohort_id'))

    op.drop_table('peer_setting')
