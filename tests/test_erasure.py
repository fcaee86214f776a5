"""Erasing an account: personal data and texts go, badges answer as revoked, sessions end."""
import sqlalchemy as sa

from course.auth import services
from course.badges.queries import is_revoked
from course.extensions import db
from course.models import BadgeAssertion, Membership, Submission, SubmissionVersion, User
from tests import factories, factories_badges


def _learner_with_work(organisation):
    from tests.factories_review import make_submission

    user = factories.make_user(email="sukru@example.org", name="Şükrü", org=organisation,
                               registration_number="123456789")
    course = factories.make_course()
    enrolment = factories.make_enrolment(user, course)
    submission = make_submission(enrolment, course.modules[0])
    return user, course, enrolment, submission


def test_erasing_removes_personal_data_and_texts_and_revokes_badges(app, client, organisation):
    user, course, enrolment, submission = _learner_with_work(organisation)
    assertion = factories_badges.award_module_badge(enrolment, course.modules[0])
    login = factories.PASSWORD
    client.post("/inloggen", data={"email": user.email, "password": login})
    response = client.post("/mijn-account/verwijderen", data={"current_password": login})
    assert response.status_code == 302
    db.session.expire_all()
    erased = db.session.get(User, user.id)
    assert erased.erased_at is not None and erased.name == services.ERASED_NAME
    assert "sukru" not in erased.email and erased.registration_number is None and erased.password_hash is None
    assert db.session.scalars(sa.select(Membership).where(Membership.user_id == user.id)).all() == []
    assert db.session.get(Submission, submission.id).draft_fields == {}
    versions = db.session.scalars(sa.select(SubmissionVersion)).all()
    assert versions and all(v.fields == {} for v in versions)
    assert client.get("/mijn-account").status_code == 302, "logged out"
    again = client.post("/inloggen", data={"email": "sukru@example.org", "password": login})
    assert again.status_code == 200, "the old login no longer works"
    row = db.session.get(BadgeAssertion, assertion.id)
    assert is_revoked(row) and row.recipient_hash == "" and row.recipient_salt == ""
    answer = client.get(f"/ob/assertions/{row.public_id}.json")
    assert answer.json["revoked"] is True
    assert "sukru" not in answer.get_data(as_text=True)


def test_erasing_needs_the_current_password(learner_client, learner):
    response = learner_client.post("/mijn-account/verwijderen", data={"current_password": "not it"})
    assert response.status_code == 200 and b"field__error" in response.data
    db.session.refresh(learner)
    assert learner.erased_at is None


def test_the_address_can_register_again_after_erasure(app, client, learner, outbox):
    import re

    services.erase_account(learner)
    client.post("/registreren", data={"name": "Nieuw", "email": "learner@example.org"})
    [mail] = [m for m in outbox() if m.to_address == "learner@example.org"]
    assert mail.kind == "register_confirm", "a new account, not the erased one"
    link = re.search(r"http://leerlijn\.test(/registreren/\S+)", mail.body_text).group(1)
    response = client.post(link, data={"password": "een lange zin", "confirm": "een lange zin"})
    assert response.status_code == 302


def test_erase_command(app, learner):
    result = app.test_cli_runner().invoke(args=["users", "erase", "--email", learner.email, "--yes"])
    assert result.exit_code == 0, result.output
    db.session.refresh(learner)
    assert learner.erased_at is not None
