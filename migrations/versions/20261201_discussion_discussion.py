"""cohort discussion (issue 14): threads, posts, reports, reads, follows, mail settings

Revision ID: discussion0001
Revises: peer0001
Create Date: 2026-12-01 13:15:51.187438

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'discussion0001'
down_revision = 'peer0001'
branch_labels = None
depends_on = None


def upgrade():

    op.create_table('discussion_setting',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('mail_mode', sa.Enum('immediate', 'daily', 'off', name='ck_mailmode', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('digest_sent_until', sa.DateTime(), nullable=True),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_discussion_setting_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', name=op.f('pk_discussion_setting'))
    )
    op.create_table('discussion_thread',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('module_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('pinned', sa.Boolean(), nullable=False),
    sa.Column('locked', sa.Boolean(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_post_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_discussion_thread_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_discussion_thread_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_discussion_thread_course_id_course')),
    sa.ForeignKeyConstraint(['module_id'], ['course_module.id'], name=op.f('fk_discussion_thread_module_id_course_module')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_thread'))
    )
    with op.batch_alter_table('discussion_thread', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_thread_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_thread_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_thread_public_id'), ['public_id'], unique=True)
        batch_op.create_index('ix_discussion_thread_space', ['module_id', 'cohort_id', 'last_post_at'], unique=False)

    op.create_table('discussion_follow',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_thread.id'], name=op.f('fk_discussion_follow_thread_id_discussion_thread'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_discussion_follow_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'thread_id', name=op.f('pk_discussion_follow'))
    )
    with op.batch_alter_table('discussion_follow', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_follow_thread_id'), ['thread_id'], unique=False)

    op.create_table('discussion_post',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('edited_at', sa.DateTime(), nullable=True),
    sa.Column('deleted_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_at', sa.DateTime(), nullable=True),
    sa.Column('hidden_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['author_id'], ['user.id'], name=op.f('fk_discussion_post_author_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['hidden_by_id'], ['user.id'], name=op.f('fk_discussion_post_hidden_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_thread.id'], name=op.f('fk_discussion_post_thread_id_discussion_thread'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_post'))
    )
    with op.batch_alter_table('discussion_post', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_post_author_id'), ['author_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_post_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_post_public_id'), ['public_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_discussion_post_thread_id'), ['thread_id'], unique=False)

    op.create_table('discussion_read',
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('thread_id', sa.Integer(), nullable=False),
    sa.Column('read_until', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['thread_id'], ['discussion_thread.id'], name=op.f('fk_discussion_read_thread_id_discussion_thread'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_discussion_read_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('user_id', 'thread_id', name=op.f('pk_discussion_read'))
    )
    with op.batch_alter_table('discussion_read', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_read_thread_id'), ['thread_id'], unique=False)

    op.create_table('discussion_report',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('post_id', sa.Integer(), nullable=False),
    sa.Column('reporter_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('resolved_at', sa.DateTime(), nullable=True),
    sa.Column('resolved_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['post_id'], ['discussion_post.id'], name=op.f('fk_discussion_report_post_id_discussion_post'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['reporter_id'], ['user.id'], name=op.f('fk_discussion_report_reporter_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['resolved_by_id'], ['user.id'], name=op.f('fk_discussion_report_resolved_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_discussion_report'))
    )
    with op.batch_alter_table('discussion_report', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_discussion_report_post_id'), ['post_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_discussion_report_public_id'), ['public_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_discussion_report_reporter_id'), ['reporter_id'], unique=False)




def downgrade():

    with op.batch_alter_table('discussion_report', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_report_reporter_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_report_public_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_report_post_id'))

    op.drop_table('discussion_report')
    with op.batch_alter_table('discussion_read', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_read_thread_id'))

    op.drop_table('discussion_read')
    with op.batch_alter_table('discussion_post', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_post_thread_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_post_public_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_post_created_at'))
        batch_op.drop_index(batch_op.f('ix_discussion_post_author_id'))

    op.drop_table('discussion_post')
    with op.batch_alter_table('discussion_follow', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_discussion_follow_thread_id'))

    op.drop_table('discussion_follow')
    with op.batch_alter_table('discussion_thread', schema=None) as batch_op:
        batch_op.drop_index('ix_discussion_thread_space')
        batch_op.drop_index(batch_op.f('ix_discussion_thread_public_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_thread_course_id'))
        batch_op.drop_index(batch_op.f('ix_discussion_thread_cohort_id'))

    op.drop_table('discussion_thread')
    op.drop_table('discussion_setting')

