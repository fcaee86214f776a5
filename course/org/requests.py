"""In-company requests: an organisation asks for a course for its team. The public
form stores the request and mails every platform admin; the admin area converts or
declines it."""
from __future__ import annotations

import sqlalchemy as sa
from flask_babel import lazy_gettext as _l

from course import permissions
from course.extensions import db
from course.mail import queue_mail
from course.models import Course, InCompanyRequest, User
from course.urls import external_url


def platform_admins() -> list[User]:
    return list(db.session.scalars(
        sa.select(User).where(permissions.platform_admin_accounts()).order_by(User.id)))


def submit_in_company_request(course: Course, organisation_name: str, contact_name: str, email: str,
                              team_size: int, wishes: str, preferred_dates=()) -> InCompanyRequest:
    """Store the request (with its preferred dates for the live sessions) and mail every
    platform admin through the outbox."""
    from course.attendance.incompany import store_preferred_dates

    request = InCompanyRequest(course_id=course.id, organisation_name=organisation_name.strip(),
                               contact_name=contact_name.strip(), email=email.strip().lower(),
                               team_size=team_size, wishes=(wishes or "").strip())
    store_preferred_dates(request, preferred_dates)
    db.session.add(request)
    db.session.flush()
    link = external_url("admin.view_request", public_id=request.public_id)
    for admin in platform_admins():
        queue_mail(admin.email, _l("In-company request from %(org)s", org=request.organisation_name),
                   "org_request_received", kind="org_request_received", locale=admin.locale,
                   in_company=request, course=course, link=link)
    db.session.commit()
    return request

