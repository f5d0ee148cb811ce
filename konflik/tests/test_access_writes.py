"""The one write check (`konflik.access.require_write`) and the answers it gives on every surface:
outside the actor's scope 404 (pages and API, the same 404 as an object that does not exist), in
scope but not allowed 403 with the service's message."""

import pytest
from rest_framework.exceptions import NotFound

from conftest import REGION_A, REGION_B
from konflik.access import NotAllowedHere, OutOfScope, require_in_scope, require_write
from konflik.permissions import PROVINCE_ROLES

pytestmark = pytest.mark.django_db


def test_a_secretariat_writes_in_its_scope_and_below(sec_a, province_sec, admin_user):
    require_write(sec_a, region_code=REGION_A)
    require_write(sec_a, region_code=REGION_A + ".01")
    require_write(province_sec, region_code=REGION_B)
    require_write(admin_user, region_code=REGION_B, roles=PROVINCE_ROLES)
    require_write(admin_user)  # no region: only the role


def test_outside_the_scope_is_out_of_scope_whatever_the_role(sec_a, leadership_a, member_a, inactive):
    for actor in (sec_a, leadership_a, member_a, inactive):
        with pytest.raises(OutOfScope):
            require_write(actor, region_code=REGION_B)
    with pytest.raises(OutOfScope):
        require_in_scope(sec_a, "61")  # the province is above a regency's scope


def test_in_scope_with_the_wrong_role_is_not_allowed_with_the_message(sec_a, leadership, member_a):
    with pytest.raises(NotAllowedHere, match="Tidak boleh") as refused:
        require_write(leadership, region_code=REGION_B, message="Tidak boleh.")
    assert not isinstance(refused.value, OutOfScope)
    with pytest.raises(NotAllowedHere, match="Hanya provinsi"):
        require_write(sec_a, region_code=REGION_A, roles=PROVINCE_ROLES, message="Hanya provinsi.")
    with pytest.raises(NotAllowedHere):
        require_write(member_a, region_code="61.01")
    with pytest.raises(NotAllowedHere):
        require_write(sec_a, region_code=REGION_A, allowed=False)


def test_both_are_permission_denied_for_callers_that_only_ask_refused_or_not(sec_a):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    assert issubclass(NotAllowedHere, PermissionDenied) and not issubclass(NotAllowedHere, Http404)
    assert issubclass(OutOfScope, PermissionDenied) and issubclass(OutOfScope, Http404)


@pytest.mark.urls("konflik.tests.access_urls")
@pytest.mark.parametrize(
    "actor,query,status",
    [
        ("sec_a", f"region={REGION_A}", 200),
        ("sec_a", f"region={REGION_B}", 404),
        ("leadership_a", f"region={REGION_B}", 404),
        ("leadership_a", f"region={REGION_A}", 403),
        ("sec_a", f"region={REGION_A}&roles=province", 403),
        ("province_sec", f"region={REGION_B}&roles=province", 200),
    ],
)
def test_pages_answer_404_outside_and_403_inside(request, web, actor, query, status):
    response = web(request.getfixturevalue(actor)).get(f"/uji/tulis/?{query}")
    assert response.status_code == status
    if status == 404:  # the project's 404 page, not a hint that the region was refused
        assert "Tidak boleh" not in response.content.decode()


@pytest.mark.urls("konflik.tests.access_urls")
@pytest.mark.parametrize(
    "actor,query,status",
    [
        ("sec_a", f"region={REGION_A}", 200),
        ("sec_a", f"region={REGION_B}", 404),
        ("leadership_a", f"region={REGION_B}", 404),
        ("leadership_a", f"region={REGION_A}", 403),
        ("sec_a", f"region={REGION_A}&roles=province", 403),
        ("province_sec", f"region={REGION_B}&roles=province", 200),
    ],
)
def test_the_api_answers_404_and_403_as_json(request, api, actor, query, status):
    client = api(request.getfixturevalue(actor))
    response = client.post(f"/api/uji/tulis/?{query}")
    assert response.status_code == status
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    if status == 403:
        assert body == {"detail": "Tidak boleh."}
    if status == 404:
        # DRF's own 404 body, the one a scoped `get_object` gives: nothing says what was refused
        assert body == {"detail": str(NotFound().detail)}
