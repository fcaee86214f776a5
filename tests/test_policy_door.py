"""Templates reach the policy through one door, `can`, and a navigation link uses
the predicate of the area it opens."""
import pytest

from course import permissions

NAV_LINK = '<a href="/organisatie">Organisatie</a>'


def test_can_resolves_only_can_predicates(app, platform_admin):
    can = permissions.Can(platform_admin)
    assert can.administer_platform() is True
    for name in ("is_platform_admin", "home_endpoint", "admin_org_ids", "Can"):
        with pytest.raises(AttributeError):
            getattr(can, name)


@pytest.mark.parametrize("who, sees_link", [("platform_admin", True), ("org_admin", True), ("learner", False),
                                            ("trainer", False)])
def test_the_organisation_link_follows_the_area_predicate(request, login_as, who, sees_link):
    user = request.getfixturevalue(who)
    page = login_as(user).get("/").get_data(as_text=True)
    assert (NAV_LINK in page) is sees_link
    assert login_as(user).get("/organisatie").status_code == (200 if sees_link else 403)
