"""Home, health check and the language switch."""
import sqlalchemy as sa
from flask import current_app, jsonify, redirect, request, session, url_for
from flask_login import current_user

from course import permissions
from course.extensions import db
from course.forms import EmptyForm
from course.urls import safe_next

from . import bp


@bp.get("/healthz")
def healthz():
    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        return jsonify(status="unavailable", database="down"), 503
    return jsonify(status="ok", database="ok")


@bp.post("/taal")
def switch_language():
    """For visitors; a logged-in user's language is in their profile, so update that too."""
    form = EmptyForm()
    lang = request.form.get("lang", "")
    if form.validate_on_submit() and lang in current_app.config["LANGUAGES"]:
        session["lang"] = lang
        if current_user.is_authenticated:
            from course.auth.services import set_locale

            set_locale(current_user, lang)
    return redirect(safe_next(url_for("main.index")))


@bp.get("/")
def index():
    from flask import render_template

    from course.models import Course

    courses = db.session.scalars(
        sa.select(Course).where(Course.is_active.is_(True)).order_by(Course.title)
    ).all()
    return render_template("main/index.html", courses=courses, home=permissions.home_endpoint(current_user))
