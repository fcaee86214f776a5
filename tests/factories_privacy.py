"""The person who did everything: invited through an uploaded file, enrolled, quizzes
taken, work submitted twice and reviewed with feedback quoting it, badges published,
certificate, mail sent and queued, a password reset, an in-company request, kept forms.
Built through the real services, so the rows are what the application writes."""
from types import SimpleNamespace

import sqlalchemy as sa
from werkzeug.datastructures import MultiDict

from course.auth import services as auth_services
from course.badges import queries as badge_queries
from course.badges import services as badge_services
from course.extensions import db
from course.learn import services as learn
from course.mail.sender import send_queued
from course.models import Enrolment, FollowupCheckin, FormStash, Invitation, Submission, User, utcnow
from course.org.invitations import accept_invitation_new_account
from course.org.requests import submit_in_company_request
from course.org.tokens import invitation_token
from course.org.uploads import confirm_upload, preview_upload
from course.review import overrides as review_overrides
from course.review import services as review
from tests import factories, factories_org
from tests.factories_learn import correct_answers, wrong_answers
from tests.factories_review import scores_for

NAME = "Fenna Zonneveld-Quist"
EMAIL = "fenna.zq@example.org"
MARKER = "ZWALUWSTAART-7431"
NEEDLES = (NAME, "Zonneveld", EMAIL, "fenna.zq", MARKER)


def _answers(data: dict) -> MultiDict:
    return MultiDict([(key, value) for key, values in data.items() for value in values])


def _work(module, extra: str = "") -> dict:
    return {f["id"]: f"{MARKER} over {f['label']} <script>alert(1)</script>{extra}"
            for f in module.assignment["fields"]}


def _upload(cohort, actor, confirm: bool):
    text = f"naam;e-mail\n{NAME};{EMAIL}\nAnder Persoon;ander-{cohort.id}@example.org\n"
    batch = preview_upload(cohort, "team.csv", text.encode(), actor)
    if confirm:
        confirm_upload(batch, actor)
    return batch


def _review_module(enrolment, module, user, trainer) -> None:
    learn.mark_read(enrolment, module, user)
    learn.submit_quiz(enrolment, module, 1, _answers(wrong_answers(module)), user)
    learn.submit_quiz(enrolment, module, 2, _answers(correct_answers(module)), user)
    submission, _ = learn.submit_assignment(enrolment, module, _work(module), user)
    quote = f"{NAME.split()[0]} Zonneveld schreef: '{MARKER}'."
    review.decide(submission, trainer, "revision_requested", scores_for(module, "voldoende", comment=quote),
                  f"Beste {NAME}, {quote} Maak het concreter.", submission.lock_version)
    submission = db.session.get(Submission, submission.id)
    submission, _ = learn.submit_assignment(enrolment, module, _work(module, " (herzien)"), user)
    review.decide(submission, trainer, "approved", scores_for(module, "goed", comment=quote),
                  f"Mooi, {NAME}. {quote}", submission.lock_version)


def _share_and_follow_up(enrolment, cohort, course, trainer, user) -> None:
    """Issue 14: their approved work is in the published team plan, a check-in mail was
    sent after completing the course, and they answered it naming themselves."""
    from datetime import timedelta

    from course.followup import services as followup
    from course.teamplan import services as teamplan

    teamplan.give_consent(enrolment)
    field_id = course.modules[0].assignment["fields"][0]["id"]
    teamplan.save_plan(cohort, trainer, "", "", {f"{course.modules[0].id}:{field_id}": enrolment.public_id})
    teamplan.set_published(cohort, trainer, True)
    enrolment = db.session.get(Enrolment, enrolment.id)
    enrolment.completed_at = (enrolment.completed_at or utcnow()) - timedelta(days=31)
    db.session.commit()
    followup.send_due_checkins()
    checkin = db.session.scalar(sa.select(FollowupCheckin).where(FollowupCheckin.enrolment_id == enrolment.id))
    followup.answer(checkin, f"{MARKER} plan", f"{NAME} haalde het doel", f"{MARKER} succes", "tijd")
    followup.opt_out(db.session.get(User, user.id))


def person_who_did_everything(app, locale: str = "nl") -> SimpleNamespace:
    org = factories.make_organisation()
    org_admin = factories.make_user(org=org, org_role="admin")
    trainer = factories.make_user(role="trainer")
    factories.make_user(role="admin")  # receives the in-company request mail
    course, licence, cohort = factories_org.make_team(org, seats=10, trainers=[trainer])
    colleague = factories.make_user(org=org)
    factories_org.enrol_with_seat(colleague, cohort, licence)
    later_cohort = factories.make_cohort(org, course)

    with app.test_request_context():
        batch = _upload(cohort, org_admin, confirm=True)
        send_queued()  # the invitation is delivered
        invitation = db.session.scalar(sa.select(Invitation).where(Invitation.email == EMAIL))
        user = accept_invitation_new_account(invitation_token(invitation), NAME,
                                                          factories.PASSWORD, locale=locale)
        user = db.session.get(User, user.id)
        user.registration_number = "123456789"
        db.session.commit()
        pending_batch = _upload(later_cohort, org_admin, confirm=False)
        enrolment = db.session.scalar(sa.select(Enrolment).where(Enrolment.user_id == user.id))
        for module in course.modules:
            _review_module(enrolment, module, user, trainer)
        for assertion in badge_queries.assertions_of(user):
            badge_services.update_settings(assertion, show_name=True, publish_evidence=True)
        # A trainer's exception whose reason names the learner and quotes the work.
        review_overrides.reopen_assignment(enrolment, course.modules[0], f"{NAME} wil {MARKER} herschrijven",
                                           trainer)
        send_queued()  # the feedback mail quoting the work is delivered
        auth_services.request_password_reset(EMAIL)  # queued, not sent
        submit_in_company_request(course, "Buurtteam Noord", NAME, EMAIL, 5,
                                                 f"Graag in januari. {MARKER}")
        _share_and_follow_up(enrolment, cohort, course, trainer, user)
        # Live sessions (issue 13): a place with its .ics mail, a waiting place, a calendar feed.
        from course.live import feeds as live_feeds
        from course.live import services as live_services
        from tests.factories_sessions import make_live_session

        live_services.sign_up(user, make_live_session(course, cohort=cohort, capacity=5))
        full = make_live_session(course, capacity=1, title="Volle sessie")
        live_services.sign_up(factories.make_user(name="Eerste Aanmelder"), full)
        live_services.sign_up(user, full)
        live_feeds.new_feed(user)
    db.session.add(FormStash(path=f"/leren/{course.slug}/module-1/opdracht", user_id=user.id,
                             data={"field-doelgroep": [f"{MARKER} bewaard"]}))
    db.session.commit()
    return SimpleNamespace(user=user, org=org, org_admin=org_admin, trainer=trainer, course=course,
                           cohort=cohort, licence=licence, colleague=colleague, enrolment=enrolment,
                           batch=batch, pending_batch=pending_batch, invitation=invitation)
