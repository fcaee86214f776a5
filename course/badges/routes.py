"""Badges, Open Badges 2.0 hosted verification, certificates, attendance lists.

Public: the OB JSON-LD documents (/ob/…), badge images, the verification pages.
Everything else: load → check with course/permissions.py → call a service → render.
"""
import json

from flask import Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from markupsafe import Markup

from course import permissions
from course.audit.services import record_export
from course.csvutil import csv_response
from course.errors import wants_json
from course.models import BadgeAssertion
from course.pagination import requested_page

from . import bp, certificate, images, openbadges, queries, services
from .forms import AllBadgeSettingsForm, BadgeChoicesForm, RevokeForm
from .shelf import trophy_shelf

LD_JSON = "application/ld+json"


def ld_json(document: dict, status: int = 200) -> Response:
    response = Response(json.dumps(document, ensure_ascii=False, indent=2), status=status,
                        mimetype=LD_JSON)
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Cache-Control"] = "no-cache"
    return response


def _assertion_or_404(public_id: str) -> BadgeAssertion:
    return queries.get_assertion(public_id) or abort(404)


def _image(data, mimetype: str, download_name: str | None = None) -> Response:
    response = Response(data, mimetype=mimetype)
    response.headers["Access-Control-Allow-Origin"] = "*"
    if download_name:
        response.headers["Content-Disposition"] = f'attachment; filename="{download_name}"'
    return response


# ---- the celebration message --------------------------------------------


@bp.app_context_processor
def celebrate_new_badges():
    """Once, on the learner's next page view after earning a badge: a short message.
    A context processor, so only rendered pages (not downloads or JSON) show it. It only
    reads; the page's own request marks the badges as celebrated once it was sent. The
    user loader already knows whether any badge is pending (g.badges_pending): no query then."""
    if (request.method == "GET" and "celebrated_ids" not in g and current_user.is_authenticated
            and g.get("badges_pending", True) and not wants_json()):
        pending = queries.pending_celebrations(current_user)
        g.celebrated_ids = [row.id for row in pending]
        for row in pending:
            link = Markup('<a href="{}">{}</a>').format(url_for("badges.my_badges"), _("See your badges"))
            # The catalogue text is trusted; Markup's % escapes the badge name.
            message = Markup(_("Congratulations, you earned the badge “%(name)s”! %(link)s"))  # noqa: S704
            flash(message % {"name": row.name, "link": link}, "celebration")  # a calm star (learn.css, app.css)
    return {"course_badges": queries.valid_assertions_for_enrolment}


@bp.after_app_request
def _mark_badges_celebrated(response):
    if g.get("celebrated_ids") and response.status_code == 200 and response.mimetype == "text/html":
        services.mark_celebrated(g.pop("celebrated_ids"))
    return response


# ---- the learner's badges ------------------------------------------------


def _badge_choices(assertions, formdata=None) -> dict:
    """One row of choices per badge that is still valid (a revoked badge has no settings)."""
    return {a.id: BadgeChoicesForm(formdata, prefix=a.public_id, show_name=a.show_name,
                                   publish_evidence=a.evidence_published)
            for a in assertions if not queries.is_revoked(a)}


def _render_my_badges(assertions, form, choices, problems=None, status=200):
    return render_template("badges/my_badges.html", assertions=assertions, form=form, choices=choices,
                           problems=problems or {}, shelf=trophy_shelf(current_user, assertions),
                           certificates=queries.certificates_of(current_user), is_revoked=queries.is_revoked,
                           linkedin_url=queries.linkedin_url,
                           can_have_evidence=queries.can_have_evidence), status


@bp.get("/mijn-badges")
@login_required
def my_badges():
    assertions = queries.assertions_of(current_user)
    return _render_my_badges(assertions, AllBadgeSettingsForm(), _badge_choices(assertions))


@bp.post("/mijn-badges")
@login_required
def save_settings():
    """The settings of all badges, one save. On a problem nothing is saved and the page comes
    back with what the learner chose, each problem beside its badge."""
    assertions = queries.assertions_of(current_user)
    form, choices = AllBadgeSettingsForm(), _badge_choices(assertions, request.form)
    if not form.validate_on_submit():
        return _render_my_badges(assertions, form, choices, status=400)
    by_id = {a.id: a for a in assertions}
    problems = services.update_all_settings(
        [(by_id[i], row.show_name.data, row.publish_evidence.data) for i, row in choices.items()])
    for assertion_id, problem in problems.items():
        choices[assertion_id].publish_evidence.errors = [problem]  # beside the badge it concerns
    if problems:
        return _render_my_badges(assertions, form, choices, problems, status=422)
    flash(_("The settings of your badges have been saved."), "success")
    return redirect(url_for("badges.my_badges"))


# ---- public verification pages ------------------------------------------


@bp.get("/badges/<public_id>")
def assertion_page(public_id):
    assertion = _assertion_or_404(public_id)
    if wants_json():
        return assertion_json(public_id)
    revoked = queries.is_revoked(assertion)
    return render_template("badges/assertion_page.html", assertion=assertion, badge=assertion.badge_class,
                           issuer=queries.issuer_name(assertion.badge_class.course),
                           revoked=revoked, reason=queries.revocation_reason(assertion) if revoked else "",
                           revoke_form=RevokeForm(), json_url=queries.assertion_url(assertion))


@bp.get("/badges/<public_id>/bewijs")
def evidence(public_id):
    assertion = _assertion_or_404(public_id)
    if not assertion.evidence_published or queries.is_revoked(assertion):
        abort(404)
    return render_template("badges/evidence.html", assertion=assertion, badge=assertion.badge_class)


@bp.get("/badges/<public_id>/badge.png")
def baked_png(public_id):
    assertion = _assertion_or_404(public_id)
    if queries.is_revoked(assertion):
        abort(404)
    png = images.bake_png(images.render_png(assertion.badge_class), queries.assertion_url(assertion))
    return _image(png, "image/png", download_name=request.args.get("download") and "badge.png")


@bp.get("/badges/<public_id>/badge.svg")
def baked_svg(public_id):
    assertion = _assertion_or_404(public_id)
    if queries.is_revoked(assertion):
        abort(404)
    svg = images.bake_svg(assertion.badge_class, queries.assertion_url(assertion),
                          openbadges.assertion(assertion))
    return _image(svg, "image/svg+xml", download_name=request.args.get("download") and "badge.svg")


@bp.post("/badges/<public_id>/intrekken")
@login_required
def revoke(public_id):
    assertion = _assertion_or_404(public_id)
    if not permissions.can_revoke_badge(current_user, assertion):
        abort(403)
    form = RevokeForm()
    if not form.validate_on_submit():
        flash(_("Give a reason (at most 300 characters) to revoke this badge."), "error")
        return redirect(url_for("badges.assertion_page", public_id=public_id))
    services.revoke(assertion, form.reason.data, actor=current_user)
    flash(_("The badge has been revoked."), "success")
    return redirect(url_for("badges.assertion_page", public_id=public_id))


@bp.get("/beheer/badges")
@login_required
def list_badges():
    if not permissions.can_list_badges(current_user):
        abort(403)
    # A page number beyond any list (or beyond the database's integers) shows the last pages' "nothing".
    number = requested_page(request.args)
    return render_template("badges/list_badges.html", page=queries.issued_badges_page(page=number),
                           is_revoked=queries.is_revoked)


# ---- Open Badges 2.0 documents -------------------------------------------


@bp.get("/ob/issuer.json")
def issuer_json():
    return ld_json(openbadges.issuer_profile())


@bp.get("/ob/issuers/<course_slug>.json")
def course_issuer_json(course_slug):
    """The course's issuer (its `issuer` from course.yml, else the platform): see queries.issuer_name."""
    course = queries.course_by_slug(course_slug) or abort(404)
    return ld_json(openbadges.issuer_profile(course))


@bp.get("/ob/badges/<public_id>.json")
def badge_class_json(public_id):
    badge = queries.get_badge_class(public_id) or abort(404)
    return ld_json(openbadges.badge_class(badge))


@bp.get("/ob/badges/<public_id>/image.png")
def badge_class_png(public_id):
    badge = queries.get_badge_class(public_id) or abort(404)
    return _image(images.render_png(badge), "image/png")


@bp.get("/ob/badges/<public_id>/image.svg")
def badge_class_svg(public_id):
    badge = queries.get_badge_class(public_id) or abort(404)
    return _image(images.render_svg(badge), "image/svg+xml")


@bp.get("/ob/badges/<public_id>/criteria")
def criteria(public_id):
    badge = queries.get_badge_class(public_id) or abort(404)
    return render_template("badges/criteria.html", badge=badge)


@bp.get("/ob/assertions/<public_id>.json")
def assertion_json(public_id):
    assertion = _assertion_or_404(public_id)
    document = openbadges.assertion(assertion)
    # Open Badges 2.0: a revoked hosted assertion answers 410 Gone with `revoked: true`.
    return ld_json(document, status=410 if document.get("revoked") else 200)


# ---- certificates --------------------------------------------------------


@bp.get("/certificaat/<public_id>")
def certificate_page(public_id):
    item = queries.get_certificate(public_id) or abort(404)
    return render_template("badges/certificate_page.html", certificate=item, enrolment=item.enrolment,
                           course=item.enrolment.course, valid=queries.certificate_is_valid(item),
                           issuer=queries.issuer_name(item.enrolment.course))


@bp.get("/certificaat/<public_id>/bewijs-van-deelname.pdf")
@login_required
def certificate_pdf(public_id):
    item = queries.get_certificate(public_id)
    if item is None or not permissions.can_download_certificate(current_user, item) \
            or not queries.certificate_is_valid(item):
        abort(404)
    response = Response(certificate.render(item), mimetype="application/pdf")
    response.headers["Content-Disposition"] = (
        f'attachment; filename="bewijs-van-deelname-{item.enrolment.course.slug}.pdf"'
    )
    return response


@bp.get("/groepen/<public_id>/presentielijst.csv")
@login_required
def export_attendance(public_id):
    cohort = queries.get_cohort(public_id)
    if cohort is None or not permissions.can_export_attendance(current_user, cohort):
        abort(404)
    header, rows = queries.attendance_list(cohort)
    record_export(current_user, "attendance", organisation=cohort.organisation_id, course=cohort.course_id,
                  obj=cohort, rows=len(rows))
    return csv_response(f"presentielijst-{cohort.name}.csv", header, rows,
                        separator="," if request.args.get("sep") == "," else ";")
