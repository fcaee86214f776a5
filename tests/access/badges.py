"""Badges, Open Badges documents, certificates and attendance lists."""
from . import Row, everyone, logged_in, only


def prepare(w):
    """The learner holds the first module's badge (evidence published) and a certificate.
    Made directly, without progress or submission rows, so the other areas' worlds stay as they are."""
    from course.badges import services
    from course.extensions import db
    from tests.factories_badges import award_module_badge

    w.badge = award_module_badge(w.enrolment, w.module)
    w.badge.show_name = True
    w.badge.evidence_published = True
    w.badge.evidence_excerpt = "**Doelgroep**\n\nMantelzorgers in de wijk."
    w.certificate = services.issue_certificate(w.enrolment)
    db.session.commit()


def _badge(w):
    return w.badge.public_id


def _class(w):
    return w.badge.badge_class.public_id


ROWS = [
    Row("badges.my_badges", lambda w: "/mijn-badges", logged_in()),
    Row("badges.save_settings", lambda w: "/mijn-badges", logged_in(ok=302), method="POST",
        data=lambda w: {}, note="one save for the settings of all one's own badges (none: nothing to save)"),
    Row("badges.assertion_page", lambda w: f"/badges/{_badge(w)}", everyone(200), note="public verification"),
    Row("badges.evidence", lambda w: f"/badges/{_badge(w)}/bewijs", everyone(200),
        note="public once the learner published it"),
    Row("badges.baked_png", lambda w: f"/badges/{_badge(w)}/badge.png", everyone(200)),
    Row("badges.baked_svg", lambda w: f"/badges/{_badge(w)}/badge.svg", everyone(200)),
    Row("badges.revoke", lambda w: f"/badges/{_badge(w)}/intrekken", only("admin", ok=302), method="POST",
        data=lambda w: {"reason": "Test"}),
    Row("badges.list_badges", lambda w: "/beheer/badges", only("admin")),
    Row("badges.issuer_json", lambda w: "/ob/issuer.json", everyone(200)),
    Row("badges.course_issuer_json", lambda w: f"/ob/issuers/{w.course.slug}.json", everyone(200)),
    Row("badges.badge_class_json", lambda w: f"/ob/badges/{_class(w)}.json", everyone(200)),
    Row("badges.badge_class_png", lambda w: f"/ob/badges/{_class(w)}/image.png", everyone(200)),
    Row("badges.badge_class_svg", lambda w: f"/ob/badges/{_class(w)}/image.svg", everyone(200)),
    Row("badges.criteria", lambda w: f"/ob/badges/{_class(w)}/criteria", everyone(200)),
    Row("badges.assertion_json", lambda w: f"/ob/assertions/{_badge(w)}.json", everyone(200)),
    Row("badges.certificate_page", lambda w: f"/certificaat/{w.certificate.public_id}", everyone(200)),
    Row("badges.certificate_pdf", lambda w: f"/certificaat/{w.certificate.public_id}/bewijs-van-deelname.pdf",
        only("learner", "trainer", "admin", denied=404), note="carries the registration number"),
    Row("badges.export_attendance", lambda w: f"/groepen/{w.cohort.public_id}/presentielijst.csv",
        only("trainer", "org_admin", "admin", denied=404),
        note="the cohort's trainers and its own organisation's admins; names and registration numbers"),
]
