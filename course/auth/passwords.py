"""Password hashing with Argon2id."""
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app

_default = PasswordHasher()
# Tests hash hundreds of passwords; the cheap parameters are only for them.
_fast = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)

# Verifying against a dummy hash keeps "unknown e-mail" as slow as "wrong password". It
# is a constant made with the default parameters, so that no worker spends a full hash
# on it when the app loads (issue 16); should the library's defaults ever change, the
# first such login makes a fresh one with the new parameters.
_DUMMY_HASH = "$argon2id$v=19$m=65536,t=3,p=4$rTvWo9m90HmhZRde2XFGrA$4UeagN/lMNxu46pwFxtYDMimjUJYQE2XIgEDujkOlgQ"


@cache
def _dummy_hash() -> str:
    if _default.check_needs_rehash(_DUMMY_HASH):
        return _default.hash("not-a-real-password")
    return _DUMMY_HASH


def _hasher() -> PasswordHasher:
    return _fast if current_app.config.get("PASSWORD_HASH_FAST") else _default


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str | None, password: str) -> bool:
    try:
        return _hasher().verify(password_hash or _dummy_hash(), password) and password_hash is not None
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher().check_needs_rehash(password_hash)
