"""live sessions: sessions, parts, trainers, registrations, calendar feeds, mail attachments

Revision ID: sessions0001
Revises: teamplan0001
Create Date: 2026-12-01 13:13:33.103123

"""
from alembic import op
import sqlalchemy as sa


revision = 'sessions0001'
down_revision = 'teamplan0001'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('calendar_feed',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('revoked_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_calendar_feed_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_calendar_feed')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_calendar_feed_token_hash'))
    )
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_calendar_feed_user_id'), ['user_id'], unique=False)

    op.create_table('live_session',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('course_id', sa.Integer(), nullable=False),
    sa.Column('cohort_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('place', sa.Text(), nullable=False),
    sa.Column('online_url', sa.String(length=500), nullable=False),
    sa.Column('capacity', sa.Integer(), nullable=False),
    sa.Column('registration_deadline', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('scheduled', 'cancelled', name='ck_sessionstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('ics_sequence', sa.Integer(), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.Column('reminder_sent_at', sa.DateTime(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.CheckConstraint('capacity > 0 AND capacity <= 10000', name=op.f('ck_live_session_capacity_in_range')),
    sa.ForeignKeyConstraint(['cohort_id'], ['cohort.id'], name=op.f('fk_live_session_cohort_id_cohort'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['course_id'], ['course.id'], name=op.f('fk_live_session_course_id_course'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_live_session_created_by_id_user'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_live_session'))
    )
    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_live_session_cohort_id'), ['cohort_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_session_course_id'), ['course_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_live_session_public_id'), ['public_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_live_session_status'), ['status'], unique=False)

    op.create_table('outbox_attachment',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('mail_id', sa.Integer(), nullable=False),
    sa.Column('filename', sa.String(length=120), nullable=False),
    sa.Column('content_type', sa.String(length=100), nullable=False),
    sa.Column('content', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['mail_id'], ['outbox_mail.id'], name=op.f('fk_outbox_attachment_mail_id_outbox_mail'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_attachment'))
    )
    with op.batch_alter_table('outbox_attachment', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outbox_attachment_mail_id'), ['mail_id'], unique=False)

    op.create_table('session_part',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('starts_at', sa.DateTime(), nullable=False),
    sa.Column('ends_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('ends_at > starts_at', name=op.f('ck_session_part_ends_after_start')),
    sa.ForeignKeyConstraint(['session_id'], ['live_session.id'], name=op.f('fk_session_part_session_id_live_session'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_part'))
    )
    with op.batch_alter_table('session_part', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_part_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_part_starts_at'), ['starts_at'], unique=False)

    op.create_table('session_registration',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('public_id', sa.String(length=32), nullable=False),
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('status', sa.Enum('registered', 'waiting', 'cancelled', name='ck_registrationstatus', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('registered_at', sa.DateTime(), nullable=True),
    sa.Column('queued_at', sa.DateTime(), nullable=True),
    sa.Column('promoted_at', sa.DateTime(), nullable=True),
    sa.Column('cancelled_at', sa.DateTime(), nullable=True),
    sa.Column('attendance', sa.Enum('unknown', 'present', 'absent', 'partial', name='ck_attendance', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('attended_minutes', sa.Integer(), nullable=True),
    sa.Column('attendance_marked_at', sa.DateTime(), nullable=True),
    sa.Column('attendance_marked_by_id', sa.Integer(), nullable=True),
    sa.CheckConstraint('attended_minutes IS NULL OR attended_minutes >= 0', name=op.f('ck_session_registration_attended_minutes_positive')),
    sa.ForeignKeyConstraint(['attendance_marked_by_id'], ['user.id'], name=op.f('fk_session_registration_attendance_marked_by_id_user'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['session_id'], ['live_session.id'], name=op.f('fk_session_registration_session_id_live_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_session_registration_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_session_registration')),
    sa.UniqueConstraint('session_id', 'user_id', name=op.f('uq_session_registration_session_id_user_id'))
    )
    with op.batch_alter_table('session_registration', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_registration_public_id'), ['public_id'], unique=True)
        batch_op.create_index(batch_op.f('ix_session_registration_session_id'), ['session_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_registration_status'), ['status'], unique=False)
        batch_op.create_index(batch_op.f('ix_session_registration_user_id'), ['user_id'], unique=False)

    op.create_table('session_trainer',
    sa.Column('session_id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['session_id'], ['live_session.id'], name=op.f('fk_session_trainer_session_id_live_session'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['user_id'], ['user.id'], name=op.f('fk_session_trainer_user_id_user'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('session_id', 'user_id', name=op.f('pk_session_trainer'))
    )
    with op.batch_alter_table('session_trainer', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_session_trainer_user_id'), ['user_id'], unique=False)



def downgrade():
    with op.batch_alter_table('session_trainer', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_trainer_user_id'))

    op.drop_table('session_trainer')
    with op.batch_alter_table('session_registration', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_registration_user_id'))
        batch_op.drop_index(batch_op.f('ix_session_registration_status'))
        batch_op.drop_index(batch_op.f('ix_session_registration_session_id'))
        batch_op.drop_index(batch_op.f('ix_session_registration_public_id'))

    op.drop_table('session_registration')
    with op.batch_alter_table('session_part', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_session_part_starts_at'))
        batch_op.drop_index(batch_op.f('ix_session_part_session_id'))

    op.drop_table('session_part')
    with op.batch_alter_table('outbox_attachment', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_outbox_attachment_mail_id'))

    op.drop_table('outbox_attachment')
    with op.batch_alter_table('live_session', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_live_session_status'))
        batch_op.drop_index(batch_op.f('ix_live_session_public_id'))
        batch_op.drop_index(batch_op.f('ix_live_session_course_id'))
        batch_op.drop_index(batch_op.f('ix_live_session_cohort_id'))

    op.drop_table('live_session')
    with op.batch_alter_table('calendar_feed', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_calendar_feed_user_id'))

    op.drop_table('calendar_feed')
