"""The one region filter (`konflik.filters.RegionCodeFilter`) on every list that has `?region=`: a
Kemendagri code narrows to that region and below it, anything else is a field error (400), and a
list never widens past `visible_to(user)`."""

import pytest

from tests.security.world import build_world

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/teams/": "team",
    "/api/institutions/": "institution",
    "/api/members/": "member",
    "/api/meetings/": "meeting",
    "/api/follow-ups/": "follow_up",
    "/api/action-plans/": "plan",
    "/api/activities/": "activity",
    "/api/realisations/": "realisation",
    "/api/incidents/": "incident",
    "/api/conflict-potentials/": "potential",
    "/api/conflict-statuses/": "status",
}


@pytest.fixture
def world(sec_a, sec_b, province_sec, member_a):
    return build_world({"sec_a": sec_a, "sec_b": sec_b, "province_sec": province_sec, "member_a": member_a})


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


@pytest.mark.parametrize("url,kind", LISTS.items())
def test_a_region_code_narrows_to_that_region_and_below(api, province_sec, sec_a, world, url, kind):
    province = api(province_sec)
    a, b = getattr(world["A"], kind), getattr(world["B"], kind)
    assert a.pk in ids(province.get(url + "?region=61.71")) and b.pk not in ids(
        province.get(url + "?region=61.71")
    )
    assert {a.pk, b.pk} <= ids(province.get(url + "?region=61"))
    assert ids(api(sec_a).get(url + "?region=61.01")) == set()  # never past the scope


@pytest.mark.parametrize("url", LISTS)
@pytest.mark.parametrize("value", ["abc", "61.7", "61.71' OR 1=1", "٦١"])
def test_anything_else_is_a_field_error(api, province_sec, world, url, value):
    response = api(province_sec).get(url, {"region": value})
    assert response.status_code == 400
    assert response.json() == {"region": ["Kode wilayah tidak valid."]}
