"""Invitation and module states carry their own words and look (issue 10); the invitation
table and the course overview render them with the one status_pill macro."""
from datetime import datetime, timedelta

from course.learn.queries.progress import ModuleState, ModuleStatus
from course.models import Invitation, ModuleProgress
from course.models.org import InvitationState

NOW = datetime(2026, 12, 1, 12, 0)


def _invitation(**values) -> Invitation:
    return Invitation(**{"email": "a@example.org", "expires_at": NOW + timedelta(days=1), **values})


def test_an_invitation_knows_its_state():
    assert _invitation().state(NOW) is InvitationState.OPEN
    assert _invitation(expires_at=NOW).state(NOW) is InvitationState.EXPIRED
    assert _invitation(accepted_at=NOW).state(NOW) is InvitationState.ACCEPTED
    assert _invitation(revoked_at=NOW).state(NOW) is InvitationState.WITHDRAWN
    assert InvitationState.EXPIRED.css == "problem" and str(InvitationState.OPEN.label) == "Still open"


def test_a_module_on_the_course_overview_knows_its_status():
    assert ModuleState(module=None).status is None
    assert ModuleState(module=None, locked=True).status is ModuleStatus.LOCKED
    done = ModuleState(module=None, progress=ModuleProgress(completed_at=NOW), locked=True)
    assert done.status is ModuleStatus.COMPLETE

