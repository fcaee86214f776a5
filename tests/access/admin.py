"""Platform administration: platform admins only; everyone else 403, visitors to the login page."""
from course.extensions import db
from course.models import InCompanyRequest
from tests.factories_org import make_invitation

from . import Row, only


def prepare(w):
    w.in_company = InCompanyRequest(course_id=w.course.id, organisation_name="Stichting Aanvraag",
                                    contact_name="Aad", email="aad@example.org", team_size=5)
    db.session.add(w.in_company)
    db.session.commit()
    w.admin_invitation = make_invitation(w.org, "beheerder-uitgenodigd@example.org", as_org_admin=True)


def admin_invitation(w, action):
    return f"/beheer/organisaties/{w.org.public_id}/uitnodigingen/{w.admin_invitation.public_id}/{action}"


def admin(ok=200):
    return only("admin", ok=ok)


ROWS = [
    Row("admin.dashboard", lambda w: "/beheer", admin()),
    Row("admin.list_requests", lambda w: "/beheer/aanvragen", admin()),
    Row("admin.view_request", lambda w: f"/beheer/aanvragen/{w.in_company.public_id}", admin()),
    Row("admin.view_request", lambda w: f"/beheer/aanvragen/{w.in_company.public_id}", admin(302), method="POST",
        data=lambda w: {"seats": "5"}),
    Row("admin.decline_request", lambda w: f"/beheer/aanvragen/{w.in_company.public_id}/afwijzen", admin(302),
        method="POST"),
    Row("admin.list_organisations", lambda w: "/beheer/organisaties", admin()),
    Row("admin.new_organisation", lambda w: "/beheer/organisaties/nieuw", admin()),
    Row("admin.new_organisation", lambda w: "/beheer/organisaties/nieuw", admin(302), method="POST",
        data=lambda w: {"name": "Nieuwe Stichting"}),
    Row("admin.view_organisation", lambda w: f"/beheer/organisaties/{w.org.public_id}", admin()),
    Row("admin.set_seats", lambda w: f"/beheer/organisaties/{w.org.public_id}/plaatsen", admin(302), method="POST",
        data=lambda w: {"course": w.course.slug, "seats": "60"}),
    Row("admin.appoint_admin", lambda w: f"/beheer/organisaties/{w.org.public_id}/beheerders", admin(302),
        method="POST", data=lambda w: {"email": "nieuwe-beheerder@example.org"}),
    Row("admin.remove_admin",
        lambda w: f"/beheer/organisaties/{w.org.public_id}/beheerders/{w.org_admin.public_id}/verwijderen",
        admin(302), method="POST"),
    Row("admin.resend_admin_invitation", lambda w: admin_invitation(w, "opnieuw-versturen"), admin(302),
        method="POST"),
    Row("admin.revoke_admin_invitation", lambda w: admin_invitation(w, "intrekken"), admin(302), method="POST"),
    Row("admin.list_trainers", lambda w: "/beheer/trainers", admin()),
    Row("admin.list_trainers", lambda w: "/beheer/trainers", admin(302), method="POST",
        data=lambda w: {"email": w.learner.email}),
]
