"""What can go wrong in a sign-in, each with its own page (templates/sso/error.html)."""
from course.errors import DomainError


class SSOError(DomainError):
    """kind: provider_down | clock | invalid_token | cancelled | state | provider_error |
    domain | unknown_domain | inactive | misconfigured"""

    def __init__(self, kind: str, detail: str = ""):
        super().__init__(detail or kind)
        self.kind = kind
        self.detail = detail
