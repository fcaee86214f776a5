from flask import Blueprint

bp = Blueprint("workbook", __name__)

from . import routes  # noqa: E402,F401
