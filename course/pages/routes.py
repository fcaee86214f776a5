"""The statements, public and linked from every page's footer."""
from flask import render_template
from flask_babel import get_locale

from . import bp, statements


def _show(name: str):
    statement = statements.load(name, str(get_locale() or "nl"))
    return render_template("pages/statement.html", statement=statement)


@bp.get("/privacy")
def privacy():
    return _show("privacy")


@bp.get("/toegankelijkheid")
def accessibility():
    return _show("accessibility")
