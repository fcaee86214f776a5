"""Language choice: the user's profile, else the visitor's switch, else Accept-Language, else Dutch.
During a database outage the profile is not read (see course/outage.py)."""
from types import SimpleNamespace

import flask_babel
from flask import Flask, current_app, has_request_context, request, session
from flask.globals import _cv_app
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


def _babel_context() -> SimpleNamespace | None:
    """Flask-Babel's `_get_current_context` (where it keeps the request's locale, time
    zone and translations), read from the app context directly instead of through the
    `g` proxy three times. Flask-Babel asks for it several times per translated word and
    formatted date, hundreds of times per page: that was about a tenth of a learner
    page's CPU (issue 16). Same namespace, same place (`g._flask_babel`)."""
    app_context = _cv_app.get(None)
    if app_context is None:
        return None
    namespace = app_context.g.__dict__.get("_flask_babel")
    if namespace is None:
        namespace = app_context.g._flask_babel = SimpleNamespace()
    return namespace


_domain_translations = flask_babel.Domain.get_translations


def _request_translations(self):
    """Flask-Babel's `Domain.get_translations`, kept for the rest of the request beside
    the locale it was looked up for: Flask-Babel looks the catalogue up again for every
    translated word (the domain, the locale as a string, its cache), dozens of times per
    page (issue 16). Another locale (`force_locale`, `refresh`) or domain looks it up again;
    the catalogue is the one Flask-Babel keeps for that locale and domain anyway."""
    ctx = _babel_context()
    if ctx is None:
        return _domain_translations(self)
    kept = ctx.__dict__.get("leerlijn_translations")
    if kept is not None and kept[0] is getattr(ctx, "babel_locale", None) and kept[1] is self:
        return kept[2]
    translations = _domain_translations(self)
    ctx.leerlijn_translations = (getattr(ctx, "babel_locale", None), self, translations)
    return translations


def _translations():
    """The request's catalogue as Flask-Babel's `get_translations()` gives it, straight
    from where _request_translations keeps it while the locale and domain are the same."""
    ctx = _babel_context()
    kept = ctx.__dict__.get("leerlijn_translations") if ctx is not None else None
    if kept is not None and kept[0] is ctx.__dict__.get("babel_locale") and kept[1] is ctx.__dict__.get("babel_domain"):
        return kept[2]
    return flask_babel.get_translations()


def init_app(app: Flask) -> None:
    flask_babel._get_current_context = _babel_context  # Flask-Babel is pinned (requirements.txt)
    flask_babel.Domain.get_translations = _request_translations
    babel.init_app(app, locale_selector=select_locale)
    # Flask-Babel's own callables for templates, with the catalogue found as above: a page
    # translates dozens of words, each through the domain, the locale and the catalogue
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
