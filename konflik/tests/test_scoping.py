"""`scope_region_code(obj)`: the region of one object, from the same `scope_field` that scopes the
queries, so an audit event, a reminder or a write check can never place an object elsewhere than
`visible_to(user)` does."""

import pytest
from django.apps import apps

from konflik.models import Region
from konflik.scoping import scope_region_code
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


def scoped_models():
    return [model for model in apps.get_models() if getattr(model, "scope_field", None) is not None]


def test_every_scoped_object_has_the_region_its_queries_give(sec_a, sec_b, province_sec, member_a):
    world = build_world({"sec_a": sec_a, "sec_b": sec_b, "province_sec": province_sec, "member_a": member_a})
    checked = set()
    for model in scoped_models():
        path = model.scope_field or "pk"
        expected = dict(model._base_manager.values_list("pk", path))
        for obj in model._base_manager.all():
            assert scope_region_code(obj) == expected[obj.pk], (model.__name__, obj.pk)
            checked.add(model.__name__)
    assert len(checked) >= 20  # every app's region-owned kinds, the deep ones included
    # the two kinds the world does not build, unsaved
    from incidents.models import ConflictStatusExtension
    from teams.models import Decree

    assert scope_region_code(Decree(team=world["B"].team)) == "61.01"
    assert scope_region_code(ConflictStatusExtension(status=world["A"].status)) == world["A"].status.region_id


def test_a_select_related_read_costs_no_query(
    sec_a, sec_b, province_sec, member_a, django_assert_num_queries
):
    from actionplans.models import Evidence
    from teams.models import MinutesAttachment

    build_world({"sec_a": sec_a, "sec_b": sec_b, "province_sec": province_sec, "member_a": member_a})
    evidence = Evidence.objects.select_related("realisation__activity__plan__team").first()
    minutes = MinutesAttachment.objects.select_related("meeting__team").first()
    with django_assert_num_queries(0):
        assert scope_region_code(evidence) == evidence.realisation.activity.plan.team.region_id
        assert scope_region_code(minutes) == minutes.meeting.team.region_id
    region = Region.objects.get(code="61.71")
    with django_assert_num_queries(0):
        assert scope_region_code(region) == "61.71"


def test_an_unset_relation_gives_none():
    from teams.models import Meeting

    assert scope_region_code(Meeting()) is None
