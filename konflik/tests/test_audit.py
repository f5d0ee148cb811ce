import pytest
from django.template import Context, Template
from django.test import RequestFactory

from konflik.models import AuditEvent, Region
from konflik.services import audit_log, snapshot


@pytest.mark.django_db
def test_audit_log_writes_one_event_with_before_and_after(sec_a):
    region = Region.objects.create(
        code="61.71.01", name="Pontianak Selatan", level="district", parent_id="61.71"
    )
    before = snapshot(region)
    region.name = "Pontianak Selatan Baru"
    region.save()
    event = audit_log(actor=sec_a, action="update", obj=region, before=before, after=snapshot(region))
    assert AuditEvent.objects.count() == 1
    assert event.changes == {"name": ["Pontianak Selatan", "Pontianak Selatan Baru"]}
    assert (event.actor, event.actor_repr, event.region_id, event.object_id) == (
        sec_a,
        "sek-a",
        "61.71.01",
        "61.71.01",
    )


@pytest.mark.django_db
def test_history_fragment_shows_in_scope_events_only(sec_a, sec_b):
    region = Region.objects.get(code="61.71")
    audit_log(
        actor=sec_a, action="update", obj=region, before={"name": "Lama"}, after={"name": "Kota Pontianak"}
    )
    template = Template("{% load konflik_tags %}{% object_history obj %}")
    request = RequestFactory().get("/")
    request.user = sec_a
    html = template.render(Context({"obj": region, "request": request}))
    assert "sek-a" in html and "Lama" in html
    request.user = sec_b
    html = template.render(Context({"obj": region, "request": request}))
    assert "Lama" not in html and "Belum ada riwayat" in html
