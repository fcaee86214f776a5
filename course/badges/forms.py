from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, Form, TextAreaField
from wtforms.validators import DataRequired, Length


class BadgeChoicesForm(Form):
    """One badge's row inside AllBadgeSettingsForm: its two choices, without a CSRF token of its own."""

    show_name = BooleanField(_l("Show my name on the public page of this badge"))
    publish_evidence = BooleanField(
        _l("Publish an excerpt of my approved assignment as evidence"),
        description=_l("Off by default. Anyone with the badge link can then read the excerpt."),
    )


class AllBadgeSettingsForm(FlaskForm):
    """Mijn badges: the settings of every badge in one form and one save (issue 12). Carries the CSRF
    token; the view adds one BadgeChoicesForm per badge, prefixed with the badge's public id."""


class RevokeForm(FlaskForm):
    reason = TextAreaField(
        _l("Reason for revoking"),
        validators=[DataRequired(), Length(max=300)],
        description=_l("Shown on the public verification page and in the assertion."),
        render_kw={"maxlength": 300, "rows": 3},
    )
