"""Language choice: the user's profile, else the visitor's switch, else Accept-Language, else Dutch.
During a database outage the profile is not read (see course/outage.py)."""
from flask import Flask, current_app, has_request_context, request, session
from flask_login import current_user

from .extensions import babel
from .outage import database_unavailable


def select_locale() -> str:
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and mail rendering outside a request
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    if not database_unavailable() and current_user and current_user.is_authenticated \
            and current_user.locale in languages:
        return current_user.locale
    chosen = session.get("lang")
    if chosen in languages:
        return chosen
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale)
