"""Which new passwords are refused: the most common ones (bundled offline lists, see
data/README.md) and ones built from the person's own e-mail address or name.
Length is checked by the form field; this is the part a length rule cannot catch."""
import gzip
import re
from functools import cache
from pathlib import Path

from flask_babel import lazy_gettext as _l
from wtforms.validators import ValidationError

DATA = Path(__file__).resolve().parent / "data"
SHORTEST_PERSONAL_PART = 4  # "de", "van", "Ann" in a password say little; "fatima" says a lot
_TRAILING_DIGITS_AND_MARKS = re.compile(r"[\d\W_]+$")

COMMON = _l("This is one of the most used passwords, so it is guessed first. "
            "Choose another: a sentence of a few words works well.")
HAS_EMAIL = _l("Do not use your e-mail address in your password.")
HAS_NAME = _l("Do not use your name in your password.")


@cache
def common_passwords() -> frozenset[str]:
    with gzip.open(DATA / "common-passwords.txt.gz", "rt", encoding="utf-8") as handle:
        words = {line.strip() for line in handle}
    for line in (DATA / "common-passwords-nl.txt").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            words.add(line.strip().lower())
    words.discard("")
    return frozenset(words)


def _is_common(password: str) -> bool:
    plain = password.strip().lower()
    candidates = {plain, plain.replace(" ", "")}
    candidates |= {_TRAILING_DIGITS_AND_MARKS.sub("", c) for c in list(candidates)}
    listed = common_passwords()
    return any(c in listed for c in candidates if len(c) >= SHORTEST_PERSONAL_PART or c == plain)


def _personal_parts(text: str) -> set[str]:
    text = (text or "").strip().lower()
    parts = {p for p in re.split(r"[\s.\-_+'@]+", text) if len(p) >= SHORTEST_PERSONAL_PART}
    whole = re.sub(r"[\s.\-_+']+", "", text)
    if len(whole) >= SHORTEST_PERSONAL_PART:
        parts.add(whole)
    return parts


def password_problem(password: str, email: str | None = None, name: str | None = None):
    """The reason this password is refused (a translatable message), or None."""
    plain = (password or "").lower()
    squeezed = re.sub(r"[\s.\-_+']+", "", plain)
    if name and any(p in plain or p in squeezed for p in _personal_parts(name)):
        return HAS_NAME
    if email:
        local = email.strip().lower().partition("@")[0]
        if plain.strip() == email.strip().lower() or any(
                p in plain or p in squeezed for p in _personal_parts(local)):
            return HAS_EMAIL
    if _is_common(password or ""):
        return COMMON
    return None


class StrongPassword:
    """WTForms validator. The owner's e-mail and name come from the form's `email` and
    `name` fields, or from `form.password_owner` (a User) when the form has none."""

    def __call__(self, form, field):
        owner = getattr(form, "password_owner", None)
        email = _field_data(form, "email") or getattr(owner, "email", None)
        name = _field_data(form, "name") or getattr(owner, "name", None)
        problem = password_problem(field.data, email, name)
        if problem is not None:
            raise ValidationError(problem)


def _field_data(form, name: str) -> str | None:
    field = getattr(form, name, None)
    data = getattr(field, "data", None)
    return data if isinstance(data, str) else None
