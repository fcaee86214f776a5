"""The public in-company request form on every course page: rate-limited, with a honeypot."""
import logging

import sqlalchemy as sa
from flask import abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _

from course.extensions import db, limiter
from course.models import Course
from course.org.requests import submit_in_company_request

from . import bp
from .forms import InCompanyRequestForm

log = logging.getLogger(__name__)


def _public_form_limit() -> str:
    return current_app.config["PUBLIC_FORM_LIMIT"]


@bp.route("/cursussen/<course_slug>/in-company", methods=["GET", "POST"])
@limiter.limit(_public_form_limit, methods=["POST"])
def request_in_company(course_slug):
    course = db.session.scalar(sa.select(Course).where(Course.slug == course_slug, Course.is_active.is_(True)))
    if course is None:
        abort(404)
    if request.method == "GET" and request.args.get("verzonden"):
        return render_template("org/request_sent.html", course=course)
    form = InCompanyRequestForm()
    if form.validate_on_submit():
        if form.website.data:
            # A bot filled the honeypot: answer as if it worked, store and mail nothing.
            log.info("In-company request honeypot triggered for %s", course.slug)
        else:
            submit_in_company_request(course, form.organisation.data, form.contact_name.data,
                                      form.email.data, form.team_size.data, form.wishes.data,
                                      form.preferred_dates())
        # Redirect after POST: reloading the thank-you page must not send the request again.
        return redirect(url_for("org.request_in_company", course_slug=course.slug, verzonden=1))
    status = 400 if form.errors else 200
    return render_template("org/request_in_company.html", course=course, form=form,
                           title=_("Request %(course)s for your team", course=course.title)), status
