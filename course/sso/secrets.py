"""Client secrets are stored encrypted: Fernet, with a key derived from OIDC_SECRET_KEY
(or SECRET_KEY) through HKDF, so a database dump alone does not reveal them.

`cryptography` (about 6 MB per process) is imported when a secret is first used, not
when the app loads (issue 16)."""
from __future__ import annotations

import base64
from typing import TYPE_CHECKING

from flask import current_app

if TYPE_CHECKING:
    from cryptography.fernet import Fernet


def _fernet() -> Fernet:
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    secret = current_app.config.get("OIDC_SECRET_KEY") or current_app.config["SECRET_KEY"]
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"leerlijn oidc client secret").derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def encrypt(plain: str) -> str:
    return _fernet().encrypt(plain.encode()).decode()


def decrypt(token: str) -> str | None:
    """None when the key changed since the secret was stored (the admin enters it again)."""
    from cryptography.fernet import InvalidToken

    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken:
        return None
