"""Organisation area: organisation admins (and platform admins) manage their own
cohorts; another organisation's admin gets 404; everyone else 403. Invitations and
the in-company request form are public."""
import io
from datetime import timedelta

from course.extensions import db
from course.models import UploadBatch, utcnow
from course.org.tokens import invitation_token, invite_link_token
from tests.factories_org import make_invitation, make_licence, make_link

from . import Row, everyone, only


def prepare(w):
    w.org_licence = make_licence(w.org, w.course, seats=50)
    w.org_link = make_link(w.cohort, seat_cap=10)
    w.org_invitation = make_invitation(w.org, "uitgenodigd@example.org", cohort=w.cohort)
    w.org_batch = UploadBatch(cohort_id=w.cohort.id, created_by_id=w.org_admin.id, filename="team.csv", rows=[
        {"line": 2, "name": "Nieuw", "email": "nieuw-uit-bestand@example.org", "status": "ok", "problems": []}])
    db.session.add(w.org_batch)
    db.session.commit()
    w.org_invitation_token = invitation_token(w.org_invitation)
    w.org_link_token = invite_link_token(w.org_link)


def team(ok=200, **overrides):
    """The organisation's admin and the platform admin may; the other organisation's admin gets 404."""
    return only("org_admin", "admin", ok=ok, other_org_admin=404, **overrides)


def cohort(w, suffix=""):
    return f"/organisatie/groepen/{w.cohort.public_id}{suffix}"


def future():
    return (utcnow() + timedelta(days=10)).date().isoformat()


ROWS = [
    Row("org.overview", lambda w: "/organisatie", only("org_admin", "other_org_admin", "admin")),
    Row("org.new_cohort", lambda w: f"/organisatie/{w.org.public_id}/groepen/nieuw", team()),
    Row("org.new_cohort", lambda w: f"/organisatie/{w.org.public_id}/groepen/nieuw", team(302), method="POST",
        data=lambda w: {"name": "Nieuwe groep", "course": w.course.slug}),
    Row("org.view_cohort", lambda w: cohort(w), team()),
    Row("org.edit_cohort", lambda w: cohort(w, "/bewerken"), team()),
    Row("org.edit_cohort", lambda w: cohort(w, "/bewerken"), team(302), method="POST",
        data=lambda w: {"name": "Andere naam"}),
    Row("org.export_progress", lambda w: cohort(w, "/voortgang.csv"), team()),
    Row("org.view_learner", lambda w: cohort(w, f"/deelnemers/{w.enrolment.public_id}"), team()),
    Row("org.remove_learner", lambda w: cohort(w, f"/deelnemers/{w.enrolment.public_id}/verwijderen"), team(302),
        method="POST"),
    Row("org.send_reminders", lambda w: cohort(w, "/herinneringen"), team(302), method="POST"),
    Row("org.enrol_learners", lambda w: cohort(w, "/inschrijven"), team()),
    Row("org.upload_file", lambda w: cohort(w, "/bestand"), team(302), method="POST",
        data=lambda w: {"file": (io.BytesIO(b"naam;email\nAnna;anna-bestand@example.org\n"), "team.csv")}),
    Row("org.preview_upload", lambda w: f"/organisatie/bestanden/{w.org_batch.public_id}", team()),
    Row("org.confirm_upload", lambda w: f"/organisatie/bestanden/{w.org_batch.public_id}/bevestigen", team(302),
        method="POST"),
    Row("org.invite_learner", lambda w: cohort(w, "/uitnodigen"), team(302), method="POST",
        data=lambda w: {"email": "een-uitnodiging@example.org"}),
    Row("org.create_link", lambda w: cohort(w, "/links"), team(302), method="POST",
        data=lambda w: {"seat_cap": "5", "expires_on": future()}),
    Row("org.revoke_link", lambda w: f"/organisatie/links/{w.org_link.public_id}/intrekken", team(302),
        method="POST"),
    Row("org.revoke_invitation", lambda w: f"/organisatie/uitnodigingen/{w.org_invitation.public_id}/intrekken",
        team(302), method="POST"),
    Row("org.resend_invitation",
        lambda w: f"/organisatie/uitnodigingen/{w.org_invitation.public_id}/opnieuw-versturen", team(302),
        method="POST"),
    Row("org.accept_invitation", lambda w: f"/uitnodiging/{w.org_invitation_token}", everyone(403, anonymous=200),
        note="the invitation is for an address without an account: a visitor gets the account form, "
             "anyone logged in with another address is refused"),
    Row("org.accept_invitation", lambda w: f"/uitnodiging/{w.org_invitation_token}", everyone(403, anonymous=200),
        method="POST", note="anonymous: the empty account form comes back with errors"),
    Row("org.join_link", lambda w: f"/uitnodiging/link/{w.org_link_token}", everyone(200)),
    Row("org.join_link", lambda w: f"/uitnodiging/link/{w.org_link_token}",
        everyone(302, anonymous=200, learner=400, other_learner=400), method="POST",
        note="learner is already in the cohort; other_learner follows the course through another organisation"),
    Row("org.request_in_company", lambda w: f"/cursussen/{w.course.slug}/in-company", everyone(200)),
    Row("org.request_in_company", lambda w: f"/cursussen/{w.course.slug}/in-company", everyone(400),
        method="POST", note="an empty form gets form errors"),
]
