"""The one list of an activity's writable fields (`ACTIVITY_FIELDS`) is complete: a field added to the
model reaches the form, the API and the services together, or this test names it."""

from actionplans.api.serializers import ActivitySerializer
from actionplans.forms import ActivityForm
from actionplans.models import ACTIVITY_FIELDS, Activity

NOT_WRITTEN = {"id", "plan", "created", "updated"}  # set by the service, or by the database


def test_every_writable_field_of_an_activity_is_listed_once():
    fields = {f.name for f in Activity._meta.get_fields() if f.concrete and not f.auto_created} - NOT_WRITTEN
    assert sorted(ACTIVITY_FIELDS) == sorted(fields) and len(set(ACTIVITY_FIELDS)) == len(ACTIVITY_FIELDS)
    assert list(ActivityForm.base_fields) == list(ACTIVITY_FIELDS)
    assert set(ACTIVITY_FIELDS) <= set(ActivitySerializer().fields)
