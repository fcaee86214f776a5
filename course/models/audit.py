"""The audit log: an append-only record of who did what, when and to whom.

A row holds ids and a role, never a name, an e-mail address or a text: names are
looked up when the log is read, so an erased account shows as erased and the log
keeps no personal data of its own.
"""
import enum
from datetime import datetime

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from course.extensions import db

from .base import created_at_column


class AuditAction(enum.StrEnum):
    """What happened. Adding an action is one member here (value, translated title)
    plus one `record_event` call; the column is a plain string, so no migration."""

    def __new__(cls, value: str, title):
        member = str.__new__(cls, value)
        member._value_ = value
        member.label = title
        return member

    SUBMISSION_APPROVED = "review.approved", _l("Submission approved")
    REVISION_REQUESTED = "review.revision_requested", _l("Revision requested")
    ORG_ADMIN_APPOINTED = "org.admin_appointed", _l("Organisation admin appointed")
    ORG_ADMIN_REMOVED = "org.admin_removed", _l("Organisation admin removed")
    ORG_ADMIN_INVITED = "org.admin_invited", _l("Organisation admin invited")
    ORG_ADMIN_INVITATION_ACCEPTED = "org.admin_invitation_accepted", _l("Organisation admin invitation accepted")
    ORG_ADMIN_INVITATION_WITHDRAWN = "org.admin_invitation_withdrawn", _l("Organisation admin invitation withdrawn")
    TRAINER_APPOINTED = "platform.trainer_appointed", _l("Trainer appointed")
    SEATS_CHANGED = "org.seats_changed", _l("Seats changed")
    LEARNER_REMOVED = "org.learner_removed", _l("Learner removed from a group")
    BADGE_REVOKED = "badge.revoked", _l("Badge revoked")
    EXPORT_DOWNLOADED = "export.downloaded", _l("Export downloaded")
    ACCOUNT_ERASED = "account.erased", _l("Account erased")
    COURSE_TRAINER_APPOINTED = "course.trainer_appointed", _l("Course trainer appointed")
    COURSE_TRAINER_REMOVED = "course.trainer_removed", _l("Course trainer removed")
    COURSE_AUTHOR_APPOINTED = "course.author_appointed", _l("Course author appointed")
    COURSE_AUTHOR_REMOVED = "course.author_removed", _l("Course author removed")
    OVERRIDE_GRANTED = "review.override_granted", _l("Exception granted to a learner")
    OVERRIDE_WITHDRAWN = "review.override_withdrawn", _l("Exception withdrawn")
    API_TOKEN_CREATED = "org.api_token_created", _l("API token created")
    API_TOKEN_REVOKED = "org.api_token_revoked", _l("API token revoked")
    SSO_CONFIGURED = "org.sso_configured", _l("Single sign-on set up or changed")
    SSO_ACCOUNT_CREATED = "account.sso_created", _l("Account created through single sign-on")
    SSO_ACCOUNT_LINKED = "account.sso_linked", _l("Work account linked")
    COURSE_SCOPE_CHANGED = "course.trainer_scope_changed", _l("Course trainers' scope changed")
    TEAM_PLAN_PUBLISHED = "teamplan.published", _l("Team plan published")
    TEAM_PLAN_UPDATED = "teamplan.updated", _l("Published team plan updated")
    TEAM_PLAN_WITHDRAWN = "teamplan.withdrawn", _l("Team plan publication withdrawn")
    SESSION_CREATED = "session.created", _l("Live session planned")
    SESSION_CHANGED = "session.changed", _l("Live session changed")
    SESSION_CANCELLED = "session.cancelled", _l("Live session cancelled")
    PEER_SETTINGS_CHANGED = "peer.settings_changed", _l("Peer feedback settings changed")
    PEER_REVIEW_HIDDEN = "peer.review_hidden", _l("Peer feedback hidden")
    PEER_REVIEW_SHOWN = "peer.review_shown", _l("Peer feedback shown again")
    DISCUSSION_POST_HIDDEN = "discussion.post_hidden", _l("Discussion post hidden")
    DISCUSSION_POST_SHOWN = "discussion.post_shown", _l("Discussion post shown again")
    DISCUSSION_THREAD_LOCKED = "discussion.thread_locked", _l("Discussion thread locked")
    DISCUSSION_THREAD_UNLOCKED = "discussion.thread_unlocked", _l("Discussion thread unlocked")
    DISCUSSION_THREAD_PINNED = "discussion.thread_pinned", _l("Discussion thread pinned")
    DISCUSSION_THREAD_UNPINNED = "discussion.thread_unpinned", _l("Discussion thread unpinned")
    DISCUSSION_REPORT_RESOLVED = "discussion.report_resolved", _l("Discussion report resolved")
    COURSE_PUBLISHED = "course.published", _l("Course content published")
    COURSE_ROLLED_BACK = "course.rolled_back", _l("Course content rolled back")
    COURSE_UPLOADED = "course.uploaded", _l("Course ZIP uploaded as a draft")
    ATTENDANCE_MARKED = "session.attendance_marked", _l("Attendance marked")


class AuditEvent(db.Model):
    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = created_at_column()
    action: Mapped[str] = mapped_column(sa.String(64), index=True)
    # Who acted; NULL for the system (a CLI command, the worker) or a deleted row.
    actor_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    # The actor's role at that moment: "platform_admin", "trainer", "org_admin", "learner" or "system".
    actor_role: Mapped[str] = mapped_column(sa.String(32))
    subject_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id", ondelete="SET NULL"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("organisation.id", ondelete="SET NULL"), index=True)
    course_id: Mapped[int | None] = mapped_column(sa.ForeignKey("course.id", ondelete="SET NULL"))
    object_type: Mapped[str | None] = mapped_column(sa.String(40))
    object_id: Mapped[str | None] = mapped_column(sa.String(64))
    # Small facts only (counts, a kind, a decision): never a text a person wrote.
    details: Mapped[dict] = mapped_column(sa.JSON, default=dict)

    actor: Mapped["User | None"] = relationship(foreign_keys=[actor_id])  # noqa: F821
    subject: Mapped["User | None"] = relationship(foreign_keys=[subject_id])  # noqa: F821
    organisation: Mapped["Organisation | None"] = relationship()  # noqa: F821
    course: Mapped["Course | None"] = relationship()  # noqa: F821

    __table_args__ = (sa.Index("ix_audit_event_created_at", "created_at"),)

    @validates("action")
    def _known_action(self, _key, value):
        return AuditAction(value).value

    @property
    def action_enum(self) -> AuditAction | None:
        try:
            return AuditAction(self.action)
        except ValueError:  # an action removed from the code later: still listed
            return None

    def __repr__(self) -> str:
        return f"<AuditEvent {self.id} {self.action} actor={self.actor_id} subject={self.subject_id}>"


class AppendOnly(Exception):
    """Raised when code tries to change or delete an audit event."""


def _refuse(*_args, **_kwargs):
    raise AppendOnly("The audit log is append-only: events are never changed or deleted.")


sa.event.listen(AuditEvent, "before_update", _refuse)
sa.event.listen(AuditEvent, "before_delete", _refuse)


@sa.event.listens_for(sa.orm.Session, "do_orm_execute")
def _refuse_bulk_changes(state):
    """`session.execute(update(AuditEvent))` skips the mapper events above: refuse it here."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and state.bind_mapper.class_ is AuditEvent:
        _refuse()


# PostgreSQL refuses it too, whoever connects: DELETE always, UPDATE unless only the
# foreign keys become NULL (ON DELETE SET NULL). The tests' cleanup switches the
# trigger off for its own DELETE, in one transaction.
PG_GUARD_FUNCTION = """
CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE'
     AND NEW.id = OLD.id AND NEW.created_at = OLD.created_at AND NEW.action = OLD.action
     AND NEW.actor_role = OLD.actor_role
     AND NEW.object_type IS NOT DISTINCT FROM OLD.object_type
     AND NEW.object_id IS NOT DISTINCT FROM OLD.object_id
     AND NEW.details::text = OLD.details::text
     AND (NEW.actor_id IS NULL OR NEW.actor_id = OLD.actor_id)
     AND (NEW.subject_id IS NULL OR NEW.subject_id = OLD.subject_id)
     AND (NEW.organisation_id IS NULL OR NEW.organisation_id = OLD.organisation_id)
     AND (NEW.course_id IS NULL OR NEW.course_id = OLD.course_id) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'the audit log is append-only';
END;
$$ LANGUAGE plpgsql
"""
PG_GUARD_TRIGGER = """
CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event
FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
"""

for _statement in (PG_GUARD_FUNCTION, PG_GUARD_TRIGGER):
    sa.event.listen(AuditEvent.__table__, "after_create",
                    sa.DDL(_statement).execute_if(dialect="postgresql"))
