"""Forms of the learner's path. Field rules live here; state rules live in services."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, TextAreaField
from wtforms.validators import ValidationError


class QuizForm(FlaskForm):
    """CSRF and the attempt number; the answers are read by grading.parse_answers,
    which also refuses anything our form cannot have sent."""

    attempt = HiddenField()


def field_name(field_id: str) -> str:
    return "field-" + field_id


def _max_length(limit: int, label: str):
    def check(form, field):
        length = len((field.data or "").replace("\r\n", "\n"))
        if length > limit:
            raise ValidationError(_l(
                "%(label)s is %(length)d characters long; the limit is %(max)d. Shorten it a little: "
                "your text is still here.", label=label, length=length, max=limit))
    return check


class _AssignmentBase(FlaskForm):
    pass


def assignment_form(module, **kwargs) -> FlaskForm:
    """A form with one text area per structured field of the module's assignment."""
    assignment = module.assignment_spec
    specs = assignment.fields if assignment else []
    form_class = type("AssignmentForm", (_AssignmentBase,), {})
    for spec in specs:
        setattr(form_class, field_name(spec.id), TextAreaField(
            spec.label, description=spec.help,
            validators=[_max_length(spec.max_length, spec.label)],
            render_kw={"rows": 8, "data-max-length": spec.max_length, "data-field-id": spec.id},
        ))
    form = form_class(**kwargs)
    form.specs = specs
    return form


def field_values(form) -> dict[str, str]:
    """{field id: text} from a bound assignment form."""
    return {spec.id: form[field_name(spec.id)].data or "" for spec in form.specs}
