"""Forms of the course editor. The content forms (settings, reading, assignment) are
plain HTML fields named by their key in the file ("quiz.pass_mark", "fields.0.label"),
so each message of the content checker lands next to its field; WTForms carries the
CSRF token and the small one-purpose forms."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import HiddenField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length


class NewCourseForm(FlaskForm):
    title = StringField(_l("Title of the course"), validators=[DataRequired(), Length(max=200)],
                        render_kw={"maxlength": 200})
    slug = StringField(_l("Course id"), validators=[DataRequired(), Length(max=80)],
                       description=_l("Lowercase letters, digits and dashes, e.g. feedback-geven. It appears in "
                                      "the web address and never changes."), render_kw={"maxlength": 80})
    submit = SubmitField(_l("Start the course"))


class AddModuleForm(FlaskForm):
    title = StringField(_l("Title of the module"), validators=[DataRequired(), Length(max=200)],
                        render_kw={"maxlength": 200})
    slug = StringField(_l("Module id"), validators=[Length(max=80)],
                       description=_l("Optional: made from the title when empty. Lowercase letters, digits and "
                                      "dashes; it never changes once learners start."), render_kw={"maxlength": 80})
    lock = HiddenField()
    submit = SubmitField(_l("Add module"))


class PublishForm(FlaskForm):
    note = StringField(_l("What changed (optional)"), validators=[Length(max=300)], render_kw={"maxlength": 300})
    submit = SubmitField(_l("Publish"))


class LockForm(FlaskForm):
    """One button that changes course.yml (move, retire), based on its lock version."""

    lock = HiddenField()


class ZipUploadForm(FlaskForm):
    file = FileField(_l("ZIP file of the course"), validators=[DataRequired()],
                     description=_l("A ZIP with course.yml and the module folders, as the download gives. "
                                    "It becomes the draft: nothing is published until you publish it."))
    submit = SubmitField(_l("Upload as draft"))


class ImageForm(FlaskForm):
    file = FileField(_l("Image"), validators=[DataRequired()],
                     description=_l("PNG, JPG, GIF, WebP or SVG, at most 2 MB."))
    description = StringField(_l("Description of the image"), validators=[DataRequired(), Length(max=300)],
                              description=_l("What the image shows, for learners who cannot see it. Required."),
                              render_kw={"maxlength": 300})
    submit = SubmitField(_l("Upload image"))


class FileForm(FlaskForm):
    text = TextAreaField(_l("Contents of the file"))
    lock = HiddenField()
    submit = SubmitField(_l("Save file"))
