"""The OpenID Connect relying party, on Authlib: discovery, the authorization code flow
with PKCE (S256), state and nonce, and ID-token validation through the provider's JWKS
(joserfc, Authlib's JOSE library). Every failure becomes an SSOError with its kind.

Authlib, requests and joserfc (about 16 MB and 0.15 s per process) are imported by the
first sign-in through a provider, not when the app loads (issue 16)."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import SSOError

if TYPE_CHECKING:
    from authlib.integrations.requests_client import OAuth2Session

TIMEOUT_SECONDS = 5
SCOPE = "openid email profile"
ALGORITHMS = ["RS256", "PS256", "ES256"]


def _get_json(url: str) -> dict:
    import requests

    try:
        response = requests.get(url, timeout=TIMEOUT_SECONDS)
        response.raise_for_status()
        document = response.json()
    except requests.ConnectionError as error:
        raise SSOError("provider_down", str(error)) from error
    except requests.Timeout as error:
        raise SSOError("provider_down", str(error)) from error
    except (requests.RequestException, ValueError) as error:
        raise SSOError("provider_error", str(error)) from error
    if not isinstance(document, dict):  # a list, a string, null: not metadata, not a key set
        raise SSOError("provider_error", f"{url} is not a JSON object")
    return document


def discover(issuer: str) -> dict:
    """The provider's metadata; its issuer must be the one configured (OIDC Discovery §4.3)."""
    metadata = _get_json(issuer.rstrip("/") + "/.well-known/openid-configuration")
    if str(metadata.get("issuer", "")).rstrip("/") != issuer.rstrip("/"):
        raise SSOError("invalid_token", "discovery issuer differs from the configured issuer")
    for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
        if not isinstance(metadata.get(key), str) or not metadata[key].startswith(("https://", "http://")):
            raise SSOError("provider_error", f"discovery has no {key}")
    return metadata


def _client(client_id: str, client_secret: str, redirect_uri: str) -> OAuth2Session:
    from authlib.integrations.requests_client import OAuth2Session

    return OAuth2Session(client_id, client_secret, scope=SCOPE, redirect_uri=redirect_uri,
                         code_challenge_method="S256")


def start(issuer: str, client_id: str, client_secret: str, redirect_uri: str, login_hint: str) -> tuple[str, dict]:
    """The URL to send the browser to, and what the callback needs to check the answer."""
    from authlib.common.security import generate_token

    metadata = discover(issuer)
    verifier, nonce = generate_token(64), generate_token(32)
    with _client(client_id, client_secret, redirect_uri) as client:
        url, state = client.create_authorization_url(metadata["authorization_endpoint"], code_verifier=verifier,
                                                     nonce=nonce, login_hint=login_hint)
    return url, {"state": state, "nonce": nonce, "verifier": verifier}


def finish(issuer: str, client_id: str, client_secret: str, redirect_uri: str, code: str, pending: dict,
           leeway: int) -> dict:
    """Exchange the code (with the PKCE verifier) and return the validated ID-token claims."""
    metadata = discover(issuer)
    id_token = exchange_code(metadata, client_id, client_secret, redirect_uri, code, pending["verifier"])
    jwks = _get_json(metadata["jwks_uri"])
    return validate_id_token(id_token, jwks, issuer=metadata["issuer"], client_id=client_id,
                             nonce=pending["nonce"], leeway=leeway)


def exchange_code(metadata: dict, client_id: str, client_secret: str, redirect_uri: str, code: str,
                  verifier: str) -> str:
    """The raw ID token from the token endpoint (client_secret_basic)."""
    import requests
    from authlib.common.errors import AuthlibBaseError

    try:
        with _client(client_id, client_secret, redirect_uri) as client:
            token = client.fetch_token(metadata["token_endpoint"], grant_type="authorization_code", code=code,
                                       code_verifier=verifier, timeout=TIMEOUT_SECONDS)
    except (requests.ConnectionError, requests.Timeout) as error:
        raise SSOError("provider_down", str(error)) from error
    except (AuthlibBaseError, requests.RequestException, ValueError) as error:
        raise SSOError("provider_error", str(error)) from error
    if not token.get("id_token"):
        raise SSOError("invalid_token", "no id_token in the token response")
    return token["id_token"]


def validate_id_token(id_token: str, jwks: dict, *, issuer: str, client_id: str, nonce: str, leeway: int) -> dict:
    """Signature through the JWKS, then iss, aud (and azp), exp, iat and nonce."""
    from joserfc import jwt
    from joserfc.errors import ClaimError, ExpiredTokenError, JoseError
    from joserfc.jwk import KeySet

    try:
        token = jwt.decode(id_token, KeySet.import_key_set(jwks), algorithms=ALGORITHMS)
    except (JoseError, ValueError, TypeError, KeyError, AttributeError) as error:  # also a malformed key set
        raise SSOError("invalid_token", f"signature: {error}") from error
    registry = jwt.JWTClaimsRegistry(
        leeway=leeway,
        iss={"essential": True, "value": issuer},
        aud={"essential": True, "value": client_id},
        sub={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        nonce={"essential": True, "value": nonce},
    )
    try:
        registry.validate(token.claims)
    except ExpiredTokenError as error:
        raise SSOError("clock", "the token has expired") from error
    except ClaimError as error:
        kind = "clock" if error.claim in ("iat", "nbf") else "invalid_token"
        raise SSOError(kind, f"claim {error.claim}: {error.description}") from error
    audiences = token.claims["aud"] if isinstance(token.claims["aud"], list) else [token.claims["aud"]]
    if len(audiences) > 1 and token.claims.get("azp") != client_id:
        raise SSOError("invalid_token", "azp is not this client")
    return dict(token.claims)
