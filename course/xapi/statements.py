"""Building xAPI 1.0.3 statements: standard verbs, activity ids from BASE_URL and slugs.

The actor is an account (homePage BASE_URL, name the user's public id), never the
e-mail address: the LRS learns nothing that identifies the person outside Leerlijn."""
import uuid
from dataclasses import dataclass

from flask import current_app

from course.models import Course, CourseModule, User


@dataclass(frozen=True)
class Verb:
    id: str
    display: str


COMPLETED = Verb("http://adlnet.gov/expapi/verbs/completed", "completed")
PASSED = Verb("http://adlnet.gov/expapi/verbs/passed", "passed")
FAILED = Verb("http://adlnet.gov/expapi/verbs/failed", "failed")
# Not in the ADL core set; these are the ADL registry's (DoD ISD profile) terms.
SUBMITTED = Verb("https://w3id.org/xapi/dod-isd/verbs/submitted", "submitted")
APPROVED = Verb("https://w3id.org/xapi/dod-isd/verbs/approved", "approved")
ATTENDED = Verb("http://adlnet.gov/expapi/verbs/attended", "attended")

COURSE_TYPE = "http://adlnet.gov/expapi/activities/course"
MODULE_TYPE = "http://adlnet.gov/expapi/activities/module"
QUIZ_TYPE = "http://adlnet.gov/expapi/activities/assessment"
ASSIGNMENT_TYPE = "http://adlnet.gov/expapi/activities/performance"
MEETING_TYPE = "http://adlnet.gov/expapi/activities/meeting"


def _base() -> str:
    return current_app.config["BASE_URL"].rstrip("/")


def course_activity_id(course: Course) -> str:
    return f"{_base()}/xapi/activities/course/{course.slug}"


def module_activity_id(module: CourseModule) -> str:
    return f"{course_activity_id(module.course)}/module/{module.slug}"


def actor(user: User) -> dict:
    return {"objectType": "Agent", "account": {"homePage": _base(), "name": user.public_id}}


def activity(activity_id: str, kind: str, title: str, language: str) -> dict:
    return {"objectType": "Activity", "id": activity_id,
            "definition": {"type": kind, "name": {language or "nl": title}}}


def course_object(course: Course) -> dict:
    return activity(course_activity_id(course), COURSE_TYPE, course.title, course.language)


def module_object(module: CourseModule, part: str | None = None) -> dict:
    """The module itself, or its quiz / assignment (`part`)."""
    language = module.course.language
    if part == "quiz":
        return activity(f"{module_activity_id(module)}/quiz", QUIZ_TYPE, module.title, language)
    if part == "assignment":
        assignment = module.assignment_spec
        title = (assignment.title if assignment else "") or module.title
        return activity(f"{module_activity_id(module)}/assignment", ASSIGNMENT_TYPE, title, language)
    return activity(module_activity_id(module), MODULE_TYPE, module.title, language)


def session_object(session) -> dict:
    """A live session (issue 13), under its course: …/course/<slug>/session/<public id>."""
    course = session.course
    return activity(f"{course_activity_id(course)}/session/{session.public_id}", MEETING_TYPE, session.title,
                    course.language)


def duration(minutes: int) -> str:
    """ISO 8601 duration: 150 → PT2H30M."""
    hours, rest = divmod(max(int(minutes or 0), 0), 60)
    return "PT" + (f"{hours}H" if hours else "") + (f"{rest}M" if rest or not hours else "")


def statement(user: User, verb: Verb, obj: dict, at, *, course: Course, result: dict | None = None) -> dict:
    """A complete statement with a fresh UUID: the id a redelivery sends again."""
    data = {
        "id": str(uuid.uuid4()),
        "actor": actor(user),
        "verb": {"id": verb.id, "display": {"en-US": verb.display}},
        "object": obj,
        "timestamp": at.isoformat(timespec="milliseconds") + "Z",  # `at` is naive UTC
        "context": {"platform": "Leerlijn", "language": course.language or "nl"},
    }
    if obj["id"] != course_activity_id(course):
        data["context"]["contextActivities"] = {"parent": [{"objectType": "Activity",
                                                             "id": course_activity_id(course)}]}
    if result:
        data["result"] = result
    return data


def score_result(score: int, max_score: int, passed: bool) -> dict:
    scaled = round(score / max_score, 4) if max_score else 0.0
    return {"score": {"raw": score, "min": 0, "max": max_score, "scaled": scaled},
            "success": passed, "completion": True}
