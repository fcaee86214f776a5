"""Factories for the organisation area: licences, invitations, links, progress states."""
from datetime import timedelta

from course.extensions import db
from course.models import (
    Invitation,
    InviteLink,
    ModuleProgress,
    SeatLicence,
    Submission,
    SubmissionStatus,
    utcnow,
)
from tests import factories


def make_licence(organisation, course, seats=10, seats_used=0, ends_on=None) -> SeatLicence:
    licence = SeatLicence(organisation_id=organisation.id, course_id=course.id, seats=seats,
                          seats_used=seats_used, ends_on=ends_on)
    db.session.add(licence)
    db.session.commit()
    return licence


def make_team(organisation, seats=10, trainers=(), **course_fields):
    """A course with a licence and one cohort: (course, licence, cohort)."""
    course = factories.make_course(open_enrolment=False, **course_fields)
    licence = make_licence(organisation, course, seats=seats)
    cohort = factories.make_cohort(organisation, course, trainers=trainers)
    return course, licence, cohort


def enrol_with_seat(user, cohort, licence, **fields):
    """An enrolment holding a seat, as the enrolment service leaves it."""
    enrolment = factories.make_enrolment(user, cohort.course, cohort=cohort, seat_licence_id=licence.id, **fields)
    licence.seats_used += 1
    db.session.commit()
    return enrolment


def make_invitation(organisation, email, cohort=None, as_org_admin=False, days=14, **fields) -> Invitation:
    invitation = Invitation(organisation_id=organisation.id, cohort_id=cohort.id if cohort else None,
                            email=email.lower(), as_org_admin=as_org_admin,
                            expires_at=utcnow() + timedelta(days=days), **fields)
    db.session.add(invitation)
    db.session.commit()
    return invitation


def make_link(cohort, seat_cap=5, days=7, **fields) -> InviteLink:
    link = InviteLink(cohort_id=cohort.id, seat_cap=seat_cap, expires_at=utcnow() + timedelta(days=days), **fields)
    db.session.add(link)
    db.session.commit()
    return link


def complete_module(enrolment, module, when=None):
    when = when or utcnow()
    db.session.add(ModuleProgress(enrolment_id=enrolment.id, module_id=module.id, read_at=when,
                                  quiz_passed_at=when, assignment_approved_at=when, completed_at=when))
    db.session.commit()


def make_submission(enrolment, module, status=SubmissionStatus.SUBMITTED, fields=None) -> Submission:
    submission = Submission(enrolment_id=enrolment.id, module_id=module.id, status=status,
                            draft_fields=fields or {"doelgroep": "Geheime tekst van de leerling"},
                            submitted_at=utcnow() if status != SubmissionStatus.DRAFT else None)
    db.session.add(submission)
    db.session.commit()
    return submission

