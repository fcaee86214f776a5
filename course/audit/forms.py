"""The audit log's filter form, read from the query string."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectField
from wtforms.validators import Length, Optional

from course.models import AuditAction

from .services import AuditFilters


class AuditFilterForm(FlaskForm):
    class Meta:
        csrf = False  # a GET filter: it never changes anything

    action = SelectField(_l("Action"), validators=[Optional()])
    actor = SearchField(_l("Done by (name or e-mail)"), validators=[Optional(), Length(max=120)])
    subject = SearchField(_l("Concerns (name or e-mail)"), validators=[Optional(), Length(max=120)])
    organisation = SelectField(_l("Organisation"), validators=[Optional()])
    date_from = DateField(_l("From"), validators=[Optional()])
    date_to = DateField(_l("Up to and including"), validators=[Optional()])

    def fill_choices(self, organisations) -> None:
        everything = [("", _l("All"))]
        self.action.choices = everything + [(a.value, a.label) for a in AuditAction]
        self.organisation.choices = everything + [(o.public_id, o.name) for o in organisations]

    def filters(self) -> AuditFilters:
        """The filters that passed validation; an invalid value counts as no filter."""
        self.validate()
        value = {name: (None if field.errors else field.data) for name, field in self._fields.items()}
        return AuditFilters(action=value["action"] or "", actor=(value["actor"] or "").strip(),
                            subject=(value["subject"] or "").strip(), organisation=value["organisation"] or "",
                            date_from=value["date_from"], date_to=value["date_to"])

    def query_args(self) -> dict:
        """The non-empty filters as query-string arguments, for the page links."""
        return {name: field.raw_data[0] for name, field in self._fields.items()
                if field.raw_data and field.raw_data[0] and not field.errors}
