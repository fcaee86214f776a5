"""Single sign-on per organisation through OpenID Connect (issue 15).

secrets.py keeps client secrets encrypted, oidc.py talks to the provider (Authlib),
services.py decides what a verified sign-in means for the accounts, routes.py and
admin_routes.py are the pages."""
from flask import Blueprint

bp = Blueprint("sso", __name__)

from . import admin_routes, routes  # noqa: E402,F401
