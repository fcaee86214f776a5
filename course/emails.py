"""The one rule for e-mail addresses, used by every form, the enrolment files and the CLI.

A practical check (one @, a dotted domain, no spaces, not too long) that accepts what
real organisations use, test domains such as `.test` included: no DNS look-ups and
no list of "real" top-level domains.
"""
import re

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

MAX_EMAIL = 254
EMAIL_RE = re.compile(r"^[A-Za-z0-9.!#$%&'*/=?^_`{|}~+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
                      r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$")
INVALID_MESSAGE = _l("Enter a valid e-mail address, such as name@organisation.nl.")


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def valid_email(value: str) -> bool:
    return bool(value) and len(value) <= MAX_EMAIL and EMAIL_RE.match(value) is not None


class EmailAddress:
    """WTForms validator: trims and lower-cases the address, then applies valid_email."""

    def __call__(self, form, field):
        value = normalise_email(field.data)
        if value and not valid_email(value):
            raise ValidationError(INVALID_MESSAGE)
        field.data = value
