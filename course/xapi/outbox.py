"""Queueing statements. Never commits: the caller's unit of work does, so a statement
exists exactly when the progress it records does."""
from dataclasses import dataclass

import sqlalchemy as sa
from flask import current_app

from course.extensions import db
from course.models import CourseModule, Enrolment, EventKind, ProgressEvent, XapiStatement

from . import statements as st

INSTALLATION = ""  # the target of the installation's own LRS (XAPI_ENDPOINT)


@dataclass(frozen=True)
class Lrs:
    endpoint: str
    username: str
    password: str


def lrs_for(target: str) -> Lrs | None:
    """The LRS of a target: the installation's, or an organisation's (by public id)."""
    cfg = current_app.config
    if target == INSTALLATION:
        settings = {"endpoint": cfg.get("XAPI_ENDPOINT"), "username": cfg.get("XAPI_USERNAME"),
                    "password": cfg.get("XAPI_PASSWORD")}
    else:
        settings = (cfg.get("XAPI_ORGANISATIONS") or {}).get(target) or {}
    if not settings.get("endpoint"):
        return None
    return Lrs(settings["endpoint"].rstrip("/") + "/", settings.get("username") or "",
               settings.get("password") or "")


def enabled() -> bool:
    return bool(current_app.config.get("XAPI_ENDPOINT") or current_app.config.get("XAPI_ORGANISATIONS"))


def targets_for(enrolment: Enrolment) -> list[str]:
    """Where this enrolment's records go: the installation's LRS, and the LRS of the
    organisation whose cohort it belongs to, when either is configured."""
    found = [INSTALLATION] if current_app.config.get("XAPI_ENDPOINT") else []
    organisations = current_app.config.get("XAPI_ORGANISATIONS") or {}
    if organisations and enrolment.cohort is not None:
        public_id = enrolment.cohort.organisation.public_id
        if public_id in organisations:
            found.append(public_id)
    return found


def build(event: ProgressEvent, enrolment: Enrolment, module: CourseModule | None) -> tuple[str, dict] | None:
    """(verb name, statement) for a progress event worth a learning record, else None."""
    user, course, at, data = enrolment.user, enrolment.course, event.created_at, event.data or {}
    kind = event.kind
    if kind == EventKind.COURSE_COMPLETED:
        return "completed", st.statement(user, st.COMPLETED, st.course_object(course), at, course=course,
                                         result={"completion": True})
    if module is None:
        return None
    if kind == EventKind.MODULE_COMPLETED:
        return "completed", st.statement(user, st.COMPLETED, st.module_object(module), at, course=course,
                                         result={"completion": True})
    if kind == EventKind.QUIZ_ATTEMPTED:  # every attempt: passed or failed, with its score
        passed = bool(data.get("passed"))
        result = st.score_result(int(data.get("score") or 0), int(data.get("max_score") or 0), passed)
        verb = st.PASSED if passed else st.FAILED
        return verb.display, st.statement(user, verb, st.module_object(module, "quiz"), at, course=course,
                                          result=result)
    if kind == EventKind.ASSIGNMENT_SUBMITTED:
        return "submitted", st.statement(user, st.SUBMITTED, st.module_object(module, "assignment"), at,
                                         course=course)
    if kind == EventKind.ASSIGNMENT_APPROVED:
        return "approved", st.statement(user, st.APPROVED, st.module_object(module, "assignment"), at,
                                        course=course, result={"success": True})
    return None


def record_attendance(registration, session, enrolment: Enrolment | None, at) -> None:
    """"Attended a session" (ADL `attended`), when a trainer marks someone present or
    partly present. Adds rows, never commits. Without an enrolment in the course (a
    public session someone joined without the online part) only the installation's LRS
    gets it: the organisation's LRS is reached through a cohort."""
    if not enabled():
        return
    user, course = registration.user, session.course
    if enrolment is not None:
        targets = targets_for(enrolment)
    else:
        targets = [INSTALLATION] if current_app.config.get("XAPI_ENDPOINT") else []
    activity = st.session_object(session)
    # Once per person, session and LRS: marked present, then absent by mistake, then present
    # again is still one attendance (and a correction of the minutes sends nothing).
    already = set(db.session.scalars(sa.select(XapiStatement.target).where(
        XapiStatement.user_id == user.id, XapiStatement.verb == "attended",
        XapiStatement.statement["object"]["id"].as_string() == activity["id"])))
    for target in [t for t in targets if t not in already]:
        result = {"completion": registration.attendance == "present",
                  "duration": st.duration(registration.attended_minutes or 0)}
        statement = st.statement(user, st.ATTENDED, activity, at, course=course, result=result)
        db.session.add(XapiStatement(statement_id=statement["id"], user_id=user.id, target=target,
                                     verb="attended", statement=statement))


def record_event(event: ProgressEvent, enrolment: Enrolment, module: CourseModule | None = None) -> None:
    """Queue the statement for `event` for every configured LRS. Adds rows, never commits."""
    if not enabled() or event.kind not in RECORDED:
        return
    for target in targets_for(enrolment):
        built = build(event, enrolment, module)
        if built is None:
            return
        verb, statement = built  # one UUID per LRS: each stores its own copy
        db.session.add(XapiStatement(statement_id=statement["id"], user_id=enrolment.user_id, target=target,
                                     verb=verb, statement=statement))


RECORDED = {EventKind.COURSE_COMPLETED, EventKind.MODULE_COMPLETED, EventKind.QUIZ_ATTEMPTED,
            EventKind.ASSIGNMENT_SUBMITTED, EventKind.ASSIGNMENT_APPROVED}
