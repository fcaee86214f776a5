"""The organisation admin's form for a new API token."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from .services import SCOPES


class TokenForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=80)],
                       description=_l("For example the name of the HR system that will use it."),
                       render_kw={"maxlength": 80})
    scopes = SelectMultipleField(
        _l("What may it read?"), validators=[DataRequired(message=_l("Choose at least one kind of data."))],
        option_widget=CheckboxInput(), widget=ListWidget(prefix_label=False))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scopes.choices = [(name, label) for name, label in SCOPES.items()]
