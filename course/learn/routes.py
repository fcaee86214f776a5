from flask import render_template
from flask_login import login_required

from . import bp


@bp.get("/mijn-leren")
@login_required
def my_learning():
    return render_template("learn/my_learning.html")


@bp.get("/cursussen")
def catalogue():
    return render_template("learn/catalogue.html")
