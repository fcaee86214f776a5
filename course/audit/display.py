"""How the audit log shows ids: names are read now, never stored with the event."""
from flask_babel import lazy_gettext as _l

ROLE_TITLES = {
    "platform_admin": _l("platform admin"),
    "org_admin": _l("organisation admin"),
    "trainer": _l("trainer"),
    "learner": _l("learner"),
    "system": _l("system"),
}

OBJECT_TITLES = {
    "submission": _l("Submission"),
    "badge_assertion": _l("Badge"),
    "invitation": _l("Invitation"),
    "seat_licence": _l("Seat licence"),
    "cohort": _l("Group"),
    "enrolment": _l("Enrolment"),
    "review": _l("Trainer review"),
    "team_plan": _l("Team plan"),
    "discussion_post": _l("Discussion post"),
    "discussion_thread": _l("Discussion thread"),
    "discussion_report": _l("Discussion report"),
    "course_version": _l("Course version"),
    "live_session": _l("Live session"),
}


def person(user) -> str:
    """Name and e-mail address as they are today; an erased account only as erased."""
    if user.erased_at is not None:
        return user.name
    return f"{user.name} <{user.email}>"


def role(value: str) -> str:
    return str(ROLE_TITLES.get(value, value))


def object_title(value: str) -> str:
    return str(OBJECT_TITLES.get(value, value))


HELPERS = {"audit_person": person, "audit_role": role, "audit_object": object_title}
