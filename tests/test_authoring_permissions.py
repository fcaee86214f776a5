"""Who may edit what in the course editor, as a truth table over the roles: platform
admin, appointed author of this course, author of another course, trainer, learner,
inactive author, visitor."""
import pytest
from flask_login import AnonymousUserMixin

from course import permissions
from course.extensions import db
from course.models import CourseAuthor
from tests import factories

# role: (edit this course's draft, start a new course / edit a draft without a course, editor in the menu)
TABLE = {
    "admin": (True, True, True),
    "author": (True, False, True),
    "author_elsewhere": (False, False, True),
    "trainer": (False, False, False),
    "learner": (False, False, False),
    "inactive_author": (False, False, False),
    "visitor": (False, False, False),
}


def _user(role, course, other):
    if role == "visitor":
        return AnonymousUserMixin()
    user = factories.make_user(role={"admin": "admin", "trainer": "trainer"}.get(role, "learner"))
    target = {"author": course, "inactive_author": course, "author_elsewhere": other}.get(role)
    if target is not None:
        db.session.add(CourseAuthor(course_id=target.id, user_id=user.id))
    if role == "inactive_author":
        user.is_active_account = False
    db.session.commit()
    return user


@pytest.mark.parametrize("role", sorted(TABLE))
def test_the_editor_policy(app, role):
    course, other = factories.make_course(), factories.make_course()
    user = _user(role, course, other)
    edit, create, menu = TABLE[role]
    assert permissions.can_edit_draft(user, course) is edit
    assert permissions.can_create_course(user) is create
    assert permissions.can_edit_draft(user, None) is create
    assert permissions.can_author_any_course(user) is menu
