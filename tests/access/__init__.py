"""The role × route access matrix, one file per area.

Each `tests/access/<area>.py` defines `ROWS: list[Row]` and may define
`prepare(world)` to add the objects its URLs need (a submission, an invitation…).
tests/test_access_matrix.py checks every row for every role, and fails when an
endpoint in the app has no row.

Roles: anonymous, learner, other_learner, trainer, other_trainer, org_admin,
other_org_admin, admin. "learner" is enrolled in `world.cohort` of `world.org`
(trained by "trainer"); "other_*" belong to `world.other_org`/`world.other_cohort`.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

ROLES = ("anonymous", "learner", "other_learner", "trainer", "other_trainer", "org_admin",
         "other_org_admin", "admin")
LOGIN = 302  # anonymous visitors are sent to the login page


@dataclass
class Row:
    endpoint: str
    path: Callable[[SimpleNamespace], str]
    expect: dict[str, int]
    method: str = "GET"
    data: Callable[[SimpleNamespace], dict] | None = None
    note: str = ""
    id: str = field(default="")

    def __post_init__(self):
        missing = set(ROLES) - set(self.expect)
        if missing:
            raise ValueError(f"Row {self.endpoint}: no expectation for {sorted(missing)}")
        self.id = self.id or f"{self.method} {self.endpoint}"


def everyone(code: int = 200, **overrides) -> dict[str, int]:
    """The same answer for every role (public pages)."""
    return {role: overrides.get(role, code) for role in ROLES}


def only(*roles: str, ok: int = 200, denied: int = 403, anonymous: int = LOGIN, **overrides) -> dict[str, int]:
    """`ok` for the named roles, `denied` for the other logged-in roles."""
    expect = {role: (ok if role in roles else denied) for role in ROLES}
    expect["anonymous"] = anonymous
    expect.update(overrides)
    return expect


def logged_in(ok: int = 200, **overrides) -> dict[str, int]:
    return only(*ROLES[1:], ok=ok, **overrides)
