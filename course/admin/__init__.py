"""Platform administration (issue 5): requests, organisations, seats, admins, trainers."""
from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import mail_routes, routes  # noqa: E402,F401


def _register_nav_counter() -> None:
    from course import permissions
    from course.templating import NAV_COUNTERS

    from .services import new_request_count

    NAV_COUNTERS["open_requests"] = (
        lambda user: new_request_count() if permissions.can_administer_platform(user) else 0)


_register_nav_counter()
